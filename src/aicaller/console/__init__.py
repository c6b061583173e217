"""The supervisor console: server-rendered pages over the domain services (ADR 0019)."""
