"""Test infrastructure the pipeline ships: servers and fixtures that tests and sessions run against."""
