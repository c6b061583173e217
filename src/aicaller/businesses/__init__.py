"""The business (tenant) and its configuration."""
