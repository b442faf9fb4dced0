"""Sessions that measure: figures printed for a reader, never a gate on a duration."""
