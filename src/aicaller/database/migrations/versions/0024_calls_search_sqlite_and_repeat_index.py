"""calls: FTS5 trigram tables for the list's text search on SQLite; an index for repeat
callers on PostgreSQL (issue 19)

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-07 11:00:00

The list's ``q`` is a case-insensitive substring of the summary or of a transcript turn. SQLite
scanned every turn of the business for it; an FTS5 table with the ``trigram`` tokenizer finds
substrings of three characters or more from an index, as pg_trgm does on PostgreSQL (0020).
Two such tables, summaries and turns (the two branches of the search), kept in step by
triggers as the knowledge search's ``chunks_fts`` is (0005, 0007), each row holding the call
and the business (unindexed) so a match names its call and is scoped to its business.

Each FTS row's rowid is the key ``calls_text_keys`` gives the call's or turn's id (an INTEGER
PRIMARY KEY, which VACUUM keeps): the triggers find the row to delete or replace by it. The
tables' own rowids would not do, since VACUUM renumbers them. A batch migration of ``calls`` or
``transcript_turns`` (a table rebuild) drops these triggers: it must recreate them
(``TRIGGERS``); a test checks they exist at head. PostgreSQL's text search has 0020's indexes.

PostgreSQL: ``ix_calls_repeat`` on (business, direction, number bytewise, start). The repeat
callers statement (``analytics.queries.calls.repeat_callers``) partitions each number's inbound
calls by ``from_number COLLATE "C"`` ordered by start; this index hands them over in that
order, so the statement reads the index alone instead of sorting the period's inbound calls.
The planner still sorts when a business's history is much longer than the period. SQLite gets
no such index: it has no "C" collation, and reads reports on one connection anyway.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0024"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KEY = "(SELECT key FROM calls_text_keys WHERE ref = {ref})"
_ADD_SUMMARY = f"""
    INSERT INTO calls_text_summaries (rowid, summary, call_id, business_id)
    SELECT {KEY.format(ref="new.id")}, new.summary, new.id, new.business_id
    WHERE new.summary IS NOT NULL;"""
_DROP_SUMMARY = f"DELETE FROM calls_text_summaries WHERE rowid = {KEY.format(ref='old.id')};"  # noqa: S608
_ADD_TURN = f"""
    INSERT INTO calls_text_turns (rowid, text, call_id, business_id)
    VALUES ({KEY.format(ref="new.id")}, new.text, new.call_id, new.business_id);"""  # noqa: S608
_DROP_TURN = f"DELETE FROM calls_text_turns WHERE rowid = {KEY.format(ref='old.id')};"  # noqa: S608
_NEW_KEY = "INSERT OR IGNORE INTO calls_text_keys (ref) VALUES (new.id);"
_OLD_KEY = "DELETE FROM calls_text_keys WHERE ref = old.id;"
TABLES = [
    "CREATE TABLE calls_text_keys (key INTEGER PRIMARY KEY, ref CHAR(32) NOT NULL UNIQUE)",
    """CREATE VIRTUAL TABLE calls_text_summaries USING fts5(
        summary, call_id UNINDEXED, business_id UNINDEXED,
        tokenize = 'trigram case_sensitive 0')""",
    """CREATE VIRTUAL TABLE calls_text_turns USING fts5(
        text, call_id UNINDEXED, business_id UNINDEXED,
        tokenize = 'trigram case_sensitive 0')""",
]
TRIGGERS = {
    "calls_text_call_insert": f"AFTER INSERT ON calls BEGIN {_NEW_KEY} {_ADD_SUMMARY} END",
    "calls_text_call_update": (
        f"AFTER UPDATE OF summary, business_id ON calls BEGIN {_DROP_SUMMARY} {_ADD_SUMMARY} END"
    ),
    "calls_text_call_delete": f"AFTER DELETE ON calls BEGIN {_DROP_SUMMARY} {_OLD_KEY} END",
    "calls_text_turn_insert": f"AFTER INSERT ON transcript_turns BEGIN {_NEW_KEY} {_ADD_TURN} END",
    "calls_text_turn_update": (
        "AFTER UPDATE OF text, call_id, business_id ON transcript_turns"
        f" BEGIN {_DROP_TURN} {_ADD_TURN} END"
    ),
    "calls_text_turn_delete": (
        f"AFTER DELETE ON transcript_turns BEGIN {_DROP_TURN} {_OLD_KEY} END"
    ),
}
BACKFILL = [
    "INSERT INTO calls_text_keys (ref) SELECT id FROM calls",
    "INSERT INTO calls_text_keys (ref) SELECT id FROM transcript_turns",
    """INSERT INTO calls_text_summaries (rowid, summary, call_id, business_id)
        SELECT k.key, c.summary, c.id, c.business_id
        FROM calls AS c JOIN calls_text_keys AS k ON k.ref = c.id
        WHERE c.summary IS NOT NULL""",
    """INSERT INTO calls_text_turns (rowid, text, call_id, business_id)
        SELECT k.key, t.text, t.call_id, t.business_id
        FROM transcript_turns AS t JOIN calls_text_keys AS k ON k.ref = t.id""",
]


def create_triggers() -> None:
    """The triggers that keep the indexes in step; a later rebuild of ``calls`` or
    ``transcript_turns`` must call this again."""
    for name, body in TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {body}")


REPEAT_INDEX = (
    "CREATE INDEX IF NOT EXISTS ix_calls_repeat ON calls (business_id, direction,"
    ' (from_number COLLATE "C"), started_at)'
)


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(REPEAT_INDEX)
        return
    if op.get_bind().dialect.name != "sqlite":
        return
    for statement in TABLES:
        op.execute(statement)
    for statement in BACKFILL:
        op.execute(statement)
    create_triggers()


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_calls_repeat")
        return
    if op.get_bind().dialect.name != "sqlite":
        return
    for name in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    for table in ("calls_text_turns", "calls_text_summaries", "calls_text_keys"):
        op.execute(f"DROP TABLE IF EXISTS {table}")
