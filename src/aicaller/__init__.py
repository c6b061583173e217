"""aicaller: an open-source, self-hostable AI phone agent for businesses."""

__version__ = "0.1.0"
