"""Full-text search over chunks: one protocol, an SQLite FTS5 and a PostgreSQL backend.

Both take a question as a caller would say it, turn it into safe terms (so no input can raise a
query syntax error), look for chunks with every term and then for chunks with some, filter by
tenant inside the full-text query, rank title and headings above body text, and return hits
with a snippet and a score normalised to the best hit (1.0). ``backend_for(session)``
(``service.py``) picks the backend of the session's database.

Which queries run, in which order, and how their scores are normalised is decided in
``plan.py``, the same for both backends; ``service.py`` caches the results per knowledge
version, ``routes.py`` serves ``GET /api/v1/knowledge/search``.
"""
