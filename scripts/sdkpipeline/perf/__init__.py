"""Measurements that print figures (never gates): benchmarks and the scale run."""
