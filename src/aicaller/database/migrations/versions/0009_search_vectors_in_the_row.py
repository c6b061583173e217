"""search: PostgreSQL keeps each chunk's tsvector in its row; SQLite's FTS5 index merged

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 12:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# PostgreSQL: a chunk's text (~1,500 characters) and its search_vector (~1,300 bytes) together
# pass the 2 kB TOAST threshold, and pglz cannot shrink a tsvector, so most vectors were moved
# to the TOAST table: every ts_rank call then fetched its vector through the TOAST index, once
# for the candidate ranking and again for each term of the rerank (EXPLAIN: ~3 buffers a row).
# Storage MAIN keeps the vector in the row (the text, compressed or moved out, makes room); the
# UPDATE rewrites existing rows, recomputing the generated column into the new storage.
POSTGRES_UP = [
    "ALTER TABLE chunks ALTER COLUMN search_vector SET STORAGE MAIN",
    "UPDATE chunks SET title = title",
]
POSTGRES_DOWN = ["ALTER TABLE chunks ALTER COLUMN search_vector SET STORAGE EXTENDED"]
# SQLite: one b-tree instead of one per flushed batch (syncs now merge after they finish,
# ``knowledge/search/maintenance.py``; this catches up an index built before).
SQLITE_UP = ["INSERT INTO chunks_fts (chunks_fts) VALUES ('optimize')"]


def upgrade() -> None:
    statements = SQLITE_UP if op.get_bind().dialect.name == "sqlite" else POSTGRES_UP
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        for statement in POSTGRES_DOWN:
            op.execute(statement)
