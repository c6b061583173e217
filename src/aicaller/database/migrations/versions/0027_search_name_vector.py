"""search: PostgreSQL keeps each chunk's title and headings as a tsvector of their own, indexed

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-08 03:00:00

The first stage of PostgreSQL's ranking (``knowledge/search/postgres.py``) scores every chunk
matching a tier's query with ``ts_rank`` per term and keeps the best hundred. At 100,000 chunks
a common word matches thousands, and reading each one's row from the heap was most of a search
(issue 20, ADR 0047). ``ts_rank`` weighs a title (A) or heading (B) occurrence so far above body
text (C) that a chunk naming a word only in its body can never outrank one naming it in its
title or a heading. ``name_vector`` (the A and B parts of ``search_vector``, generated alike) and
its GIN index find those chunks alone; the search reads them first and falls back to every
match only when they cannot decide the pool. SQLite has nothing to add: FTS5's bm25 normalises
by length, so no such bound holds there.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0027"
down_revision: str | None = "0026"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

POSTGRES_UP = [
    """ALTER TABLE chunks ADD COLUMN name_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english', title), 'A')
        || setweight(to_tsvector('english', heading_path), 'B')) STORED""",
    "CREATE INDEX ix_chunks_name_vector ON chunks USING GIN (name_vector)",
]
POSTGRES_DOWN = [
    "DROP INDEX ix_chunks_name_vector",
    "ALTER TABLE chunks DROP COLUMN name_vector",
]


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for statement in POSTGRES_UP:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for statement in POSTGRES_DOWN:
            op.execute(statement)
