"""The SDK pipeline: vendored spec → normalizer → templated openapi-python-client run → package."""
