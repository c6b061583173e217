"""search: PostgreSQL counts, per business, the chunks holding each lexeme

Revision ID: 0022
Revises: 0018
Create Date: 2026-12-07 05:00:00

PostgreSQL's ``ts_rank`` knows nothing of how rare a word is, and the planner's statistics are
global (every business's chunks together) and list only the thousand most common lexemes. Search
weighs each word of a question by how many of the business's own chunks hold it (BM25's inverse
document frequency, ``knowledge/search/postgres_stats.py``), so ``search_lexemes`` keeps that
count, kept in step with ``chunks`` by statement triggers (one set-based upsert per statement,
over its transition table); the row whose lexeme is '' (never a lexeme) counts the business's
chunks. Writers of one business's chunks take a transaction lock on it first: without it, two
transactions upserting the same lexemes in different statements could deadlock. No foreign key
to businesses: deleting a business deletes its chunks, whose trigger writes these rows in the
same statement. The row whose lexeme is ' ' sums the lexemes of its chunks (their lengths).
SQLite: nothing (FTS5's bm25 has its own IDF).
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0022"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COUNT = """
        INSERT INTO search_lexemes AS s (business_id, lexeme, chunks)
        SELECT business_id, lexeme, {sign}sum(n)
        FROM ({rows_lexemes}) AS x
        GROUP BY business_id, lexeme
        ORDER BY business_id, lexeme
        ON CONFLICT (business_id, lexeme) DO UPDATE SET chunks = s.chunks + excluded.chunks;"""
# A row per lexeme of each chunk (1 each), per chunk ('': 1) and its length (' ': the lexemes
# it holds, for BM25's average chunk length).
_LEXEMES = """
        SELECT business_id, unnest(tsvector_to_array(search_vector)) AS lexeme, 1 AS n FROM {rows}
        UNION ALL SELECT business_id, '', 1 FROM {rows}
        UNION ALL SELECT business_id, ' ', length(search_vector) FROM {rows}"""


def _count(rows: str, sign: str = "") -> str:
    return _COUNT.format(sign=sign, rows_lexemes=_LEXEMES.format(rows=rows))


_LOCK = """
        PERFORM pg_advisory_xact_lock(1936024419, hashtext(business_id::text))
        FROM (SELECT DISTINCT business_id FROM {rows} ORDER BY business_id) AS b;"""
_BOTH = "(SELECT business_id FROM removed UNION SELECT business_id FROM added) AS r"
UP = [
    """CREATE TABLE search_lexemes (
        business_id uuid NOT NULL,
        lexeme text NOT NULL,
        chunks bigint NOT NULL,
        CONSTRAINT pk_search_lexemes PRIMARY KEY (business_id, lexeme))""",
    f"""CREATE FUNCTION search_lexemes_added() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN {_LOCK.format(rows="added")} {_count("added")}
        RETURN NULL;
    END $$""",
    f"""CREATE FUNCTION search_lexemes_removed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN {_LOCK.format(rows="removed")} {_count("removed", "-")}
        RETURN NULL;
    END $$""",
    f"""CREATE FUNCTION search_lexemes_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN {_LOCK.format(rows=_BOTH)}
        {_count("removed", "-")} {_count("added")}
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER search_lexemes_insert AFTER INSERT ON chunks
        REFERENCING NEW TABLE AS added
        FOR EACH STATEMENT EXECUTE FUNCTION search_lexemes_added()""",
    """CREATE TRIGGER search_lexemes_delete AFTER DELETE ON chunks
        REFERENCING OLD TABLE AS removed
        FOR EACH STATEMENT EXECUTE FUNCTION search_lexemes_removed()""",
    """CREATE TRIGGER search_lexemes_update AFTER UPDATE ON chunks
        REFERENCING OLD TABLE AS removed NEW TABLE AS added
        FOR EACH STATEMENT EXECUTE FUNCTION search_lexemes_changed()""",
    f"""INSERT INTO search_lexemes (business_id, lexeme, chunks)
        SELECT business_id, lexeme, sum(n) FROM ({_LEXEMES.format(rows="chunks")}) AS x
        GROUP BY business_id, lexeme""",  # noqa: S608 - constants only
]
DOWN = [
    "DROP TRIGGER search_lexemes_update ON chunks",
    "DROP TRIGGER search_lexemes_delete ON chunks",
    "DROP TRIGGER search_lexemes_insert ON chunks",
    "DROP FUNCTION search_lexemes_changed()",
    "DROP FUNCTION search_lexemes_removed()",
    "DROP FUNCTION search_lexemes_added()",
    "DROP TABLE search_lexemes",
]


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for statement in UP:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for statement in DOWN:
            op.execute(statement)
