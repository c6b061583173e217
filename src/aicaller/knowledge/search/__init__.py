"""Full-text search over chunks: SQLite FTS5 or PostgreSQL, one plan for both."""
