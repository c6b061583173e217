"""SQLite search: each business's chunks in their own rowid range of the FTS5 index

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26 11:45:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# 0005 filtered by tenant with a token on every row. bm25 reads the whole posting list of every
# phrase in a query to weigh it, and the tenant token's list is as long as the business's
# chunks, so every query paid for the business's size (docs/benchmarks.md, "Retrieval
# quality"). Now each business owns the
# rowids [partition << 40, (partition + 1) << 40) and the filter is a rowid range, which FTS5
# seeks to and bm25 does not weigh. ``chunks_fts_tenants.partition`` is an INTEGER PRIMARY KEY,
# so VACUUM keeps it.
PARTITION_BITS = 40
TRIGGERS = ("chunks_fts_insert", "chunks_fts_delete", "chunks_fts_update")
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
_DELETE = """DELETE FROM chunks_fts WHERE chunks_fts MATCH 'ref:"c' || old.id || '0"';"""
PARTITIONED = [
    """CREATE TABLE chunks_fts_tenants (
        partition INTEGER PRIMARY KEY, business_id VARCHAR(32) NOT NULL UNIQUE)""",
    """CREATE VIRTUAL TABLE chunks_fts USING fts5(
        ref, title, headings, body, tokenize = 'porter unicode61 remove_diacritics 2')""",
    f"CREATE TRIGGER chunks_fts_insert AFTER INSERT ON chunks BEGIN {_INSERT} END",
    f"CREATE TRIGGER chunks_fts_delete AFTER DELETE ON chunks BEGIN {_DELETE} END",
    f"CREATE TRIGGER chunks_fts_update AFTER UPDATE ON chunks BEGIN {_DELETE} {_INSERT} END",
    "INSERT INTO chunks_fts_tenants (business_id) SELECT DISTINCT business_id FROM chunks",
    f"""INSERT INTO chunks_fts (rowid, ref, title, headings, body)
        SELECT (p.partition << {PARTITION_BITS})
                   + row_number() OVER (PARTITION BY c.business_id ORDER BY c.id),
               'c' || c.id || '0', c.title, c.heading_path, c.text
        FROM chunks AS c JOIN chunks_fts_tenants AS p ON p.business_id = c.business_id""",  # noqa: S608
]


def _drop_index() -> None:
    for name in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute("DROP TABLE IF EXISTS chunks_fts")


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    _drop_index()
    for statement in PARTITIONED:
        op.execute(statement)


# 0005's index, for the downgrade.
_TENANT_TOKENS = "'t' || new.business_id || '0', 'c' || new.id || '0'"
_INSERT_0005 = f"""INSERT INTO chunks_fts (tenant, ref, title, headings, body) VALUES (
    {_TENANT_TOKENS}, new.title, new.heading_path, new.text);"""  # noqa: S608 - constants only
TOKENS = [
    """CREATE VIRTUAL TABLE chunks_fts USING fts5(
        tenant, ref, title, headings, body,
        tokenize = 'porter unicode61 remove_diacritics 2')""",
    f"CREATE TRIGGER chunks_fts_insert AFTER INSERT ON chunks BEGIN {_INSERT_0005} END",
    f"CREATE TRIGGER chunks_fts_delete AFTER DELETE ON chunks BEGIN {_DELETE} END",
    f"CREATE TRIGGER chunks_fts_update AFTER UPDATE ON chunks BEGIN {_DELETE} {_INSERT_0005} END",
    """INSERT INTO chunks_fts (tenant, ref, title, headings, body)
        SELECT 't' || business_id || '0', 'c' || id || '0', title, heading_path, text
        FROM chunks""",
]


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    _drop_index()
    op.execute("DROP TABLE IF EXISTS chunks_fts_tenants")
    for statement in TOKENS:
        op.execute(statement)
