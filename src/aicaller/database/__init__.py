"""Persistence: engine and sessions, models, the base repository and migrations."""
