"""Inputs: the repository layout, the API registry, the specs lock, YAML I/O and JSON pointers."""
