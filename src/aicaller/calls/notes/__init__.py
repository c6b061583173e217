"""Notes people leave on a call."""
