"""Test infrastructure: contract fixtures and their recorder, Prism, a local package index, local servers."""
