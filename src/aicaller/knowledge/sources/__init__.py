"""Documentation sources: crawling a documentation site and keeping it in sync."""
