"""Escalations: a call handed to people, and the queue they work."""
