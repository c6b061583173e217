"""Fetching and extracting documentation pages."""
