"""search: PostgreSQL keeps each chunk's tsvector in its row; lead indexes on both databases

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
# Storage MAIN keeps the vector in the row (the text, compressed or moved out, makes room).
# ``lead_vector`` is SQLite's lead index below for PostgreSQL (title, headings and the first
# LEAD_CHARS characters, weighted alike), generated like search_vector; adding it rewrites
# the table, which re-stores every existing vector under the new storage.
LEAD_CHARS = 500
POSTGRES_UP = [
    "ALTER TABLE chunks ALTER COLUMN search_vector SET STORAGE MAIN",
    f"""ALTER TABLE chunks ADD COLUMN lead_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english', title), 'A')
        || setweight(to_tsvector('english', heading_path), 'B')
        || setweight(to_tsvector('english', substr(text, 1, {LEAD_CHARS})), 'C')) STORED""",
    "CREATE INDEX ix_chunks_lead_vector ON chunks USING GIN (lead_vector)",
]
POSTGRES_DOWN = [
    "DROP INDEX ix_chunks_lead_vector",
    "ALTER TABLE chunks DROP COLUMN lead_vector",
    "ALTER TABLE chunks ALTER COLUMN search_vector SET STORAGE EXTENDED",
]
# SQLite: bm25 walks the whole posting list of every query term for its IDF and scores every
# match, so a question of several words each in tens of thousands of chunks is slow whatever
# the tenant filter (docs/benchmarks.md, "Retrieval quality"). ``chunks_fts_lead`` indexes each
# chunk's title, headings and first LEAD_CHARS characters (contentless: snippets come from
# ``chunks_fts``), under the same rowid; its lists are a fraction as long, and search uses it
# for such questions (``knowledge/search/sqlite.py``). The triggers keep both indexes in step;
# a contentless row is removed by repeating what was inserted, hence the same expressions on
# ``old``.
PARTITION_BITS = 40
_REF = "chunks_fts MATCH 'ref:\"c' || {row}.id || '0\"'"
_LEAD_INSERT = f"""
    INSERT INTO chunks_fts_lead (rowid, title, headings, body)
    SELECT rowid, new.title, new.heading_path, substr(new.text, 1, {LEAD_CHARS})
    FROM chunks_fts WHERE {_REF.format(row="new")};
"""  # noqa: S608 - constants only
_LEAD_DELETE = f"""
    INSERT INTO chunks_fts_lead (chunks_fts_lead, rowid, title, headings, body)
    SELECT 'delete', rowid, old.title, old.heading_path, substr(old.text, 1, {LEAD_CHARS})
    FROM chunks_fts WHERE {_REF.format(row="old")};
"""  # noqa: S608 - constants only
# 0007's statements, unchanged.
_INSERT = f"""
    INSERT OR IGNORE INTO chunks_fts_tenants (business_id) VALUES (new.business_id);
    INSERT INTO chunks_fts (rowid, ref, title, headings, body)
    SELECT coalesce(
               (SELECT f.rowid FROM chunks_fts AS f
                WHERE f.rowid BETWEEN p.partition << {PARTITION_BITS}
                                  AND ((p.partition + 1) << {PARTITION_BITS}) - 1
                ORDER BY f.rowid DESC LIMIT 1),
               p.partition << {PARTITION_BITS}) + 1,
           'c' || new.id || '0', new.title, new.heading_path, new.text
    FROM chunks_fts_tenants AS p WHERE p.business_id = new.business_id;
"""  # noqa: S608 - constants only
_DELETE = f"DELETE FROM chunks_fts WHERE {_REF.format(row='old')};"  # noqa: S608
TRIGGERS = ("chunks_fts_insert", "chunks_fts_delete", "chunks_fts_update")
SQLITE_UP = [
    *(f"DROP TRIGGER {name}" for name in TRIGGERS),
    """CREATE VIRTUAL TABLE chunks_fts_lead USING fts5(
        title, headings, body, content = '', tokenize = 'porter unicode61 remove_diacritics 2')""",
    f"CREATE TRIGGER chunks_fts_insert AFTER INSERT ON chunks BEGIN {_INSERT} {_LEAD_INSERT} END",
    f"CREATE TRIGGER chunks_fts_delete AFTER DELETE ON chunks BEGIN {_LEAD_DELETE} {_DELETE} END",
    f"""CREATE TRIGGER chunks_fts_update AFTER UPDATE ON chunks BEGIN
        {_LEAD_DELETE} {_DELETE} {_INSERT} {_LEAD_INSERT} END""",
    f"""INSERT INTO chunks_fts_lead (rowid, title, headings, body)
        SELECT f.rowid, c.title, c.heading_path, substr(c.text, 1, {LEAD_CHARS})
        FROM chunks_fts AS f JOIN chunks AS c ON c.id = substr(f.ref, 2, 32)""",  # noqa: S608
    "INSERT INTO chunks_fts (chunks_fts) VALUES ('optimize')",
    "INSERT INTO chunks_fts_lead (chunks_fts_lead) VALUES ('optimize')",
]
SQLITE_DOWN = [
    *(f"DROP TRIGGER {name}" for name in TRIGGERS),
    "DROP TABLE chunks_fts_lead",
    f"CREATE TRIGGER chunks_fts_insert AFTER INSERT ON chunks BEGIN {_INSERT} END",
    f"CREATE TRIGGER chunks_fts_delete AFTER DELETE ON chunks BEGIN {_DELETE} END",
    f"CREATE TRIGGER chunks_fts_update AFTER UPDATE ON chunks BEGIN {_DELETE} {_INSERT} END",
]


def upgrade() -> None:
    statements = SQLITE_UP if op.get_bind().dialect.name == "sqlite" else POSTGRES_UP
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    statements = SQLITE_DOWN if op.get_bind().dialect.name == "sqlite" else POSTGRES_DOWN
    for statement in statements:
        op.execute(statement)
