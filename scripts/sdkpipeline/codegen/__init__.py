"""Normalized spec → package: the SDK model, the generator run through our templates, drift."""
