"""calls: trigram indexes for the calls list's text search on PostgreSQL (issue 19)

Revision ID: 0020
Revises: 0018
Create Date: 2026-12-07 05:10:00

The list's ``q`` is a case-insensitive substring of the summary or of a transcript turn,
``lower(column) LIKE '%...%'``: a B-tree cannot serve a pattern with a leading wildcard, a
pg_trgm GIN index on the same expression can. pg_trgm ships with the PostgreSQL server
(Debian's postgresql-15 package) and is a trusted extension (PostgreSQL 13+), so the database's
owner may create it without being a superuser. SQLite gets nothing: it scans (measured in
docs/benchmarks.md, "The console"). The extension stays on downgrade: other objects may use it.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (index, table, column); the names are left out of model comparisons (migrate.py).
INDEXES = (
    ("ix_calls_summary_trgm", "calls", "summary"),
    ("ix_transcript_turns_text_trgm", "transcript_turns", "text"),
)
EXTENSION_SCHEMA = (
    "SELECT nspname FROM pg_extension JOIN pg_namespace ON pg_namespace.oid = extnamespace"
    " WHERE extname = 'pg_trgm'"
)


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    # The operator class by its schema's name: the extension may already live in a schema
    # that is not on this connection's search path.
    schema = op.get_bind().execute(sa.text(EXTENSION_SCHEMA)).scalar_one()
    for name, table, column in INDEXES:
        op.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table}"
            f' USING gin (lower({column}) "{schema}".gin_trgm_ops)'
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for name, _table, _column in INDEXES:
        op.execute(f"DROP INDEX IF EXISTS {name}")
