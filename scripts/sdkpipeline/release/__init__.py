"""Releases: spec change reports, version bumps, CHANGELOG records, spec updates, build and publish."""
