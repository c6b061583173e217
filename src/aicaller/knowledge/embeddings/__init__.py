"""Hybrid semantic retrieval: when a business configures an OpenAI-compatible ``/embeddings``
endpoint, its chunks are embedded by a background job (``tasks.py``), their vectors stored in
the database, and search fuses the pages nearest in meaning with the lexical ranking
(``fusion.py``). Vectors are scored in-process over a per-business matrix (``vectors.py``):
ADR 0012 says why neither sqlite-vec nor pgvector."""
