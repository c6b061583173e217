"""analytics: whether an inbound call was followed by the number's next call within 7 days,
kept on the call by triggers (issue 19, follow-up of 0025)

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-07 14:50:00

Repeat callers were the overview's longest statement: each number's inbound calls of two
periods (and 7 days past them) sorted for ``LEAD()``. The one fact that statement derives per
call, "the number's next inbound call started within 7 days", does not depend on the report's
period, so the database keeps it on the call (``repeat_followed``) as 0011 keeps ``escalated``.
A report then reads only the followed calls, from a partial index, and the inbound calls'
count from the rollups (0025). ADR 0029 says why and what was rejected.

"Next" is in the order (``started_at``, ``id``): calls of one number starting at the same
instant follow each other, which gives the per-bucket counts ``LEAD()`` gives (its order among
ties is arbitrary, their count is not). A write of a call changes at most three facts: its own
and those of its predecessor before and after the write. The triggers recompute exactly those,
on both engines. On PostgreSQL two transactions writing calls of one number at once would not
see each other's row: each takes a transaction-scoped advisory lock on (business, number)
first, and under READ COMMITTED the trigger's statements after the lock see the committed row.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0026"
down_revision: str | None = "0025"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WINDOW_SECONDS = 7 * 24 * 3600  # restated from analytics.queries.calls.REPEAT_WINDOW
# The timestamp 7 days after ``{r}.started_at``, exactly as ``analytics.sql.shifted`` writes
# it (so the fact and the direct computation compare the same values).
SHIFTED = {
    "postgresql": f"({{r}}.started_at + {WINDOW_SECONDS} * INTERVAL '1 second')",
    "sqlite": f"(strftime('%Y-%m-%d %H:%M:%f', {{r}}.started_at, '{WINDOW_SECONDS} seconds')"
    " || '000')",
}
SOURCE_COLUMNS = ("business_id", "from_number", "direction", "started_at")
_SAME_NUMBER = (
    "n.business_id = {r}.business_id AND n.direction = 'inbound'"
    " AND n.from_number = {r}.from_number"
)


def _followed(dialect: str) -> str:
    """Whether the call ``calls`` (the row being updated) has a next call within the window."""
    return (
        f"EXISTS (SELECT 1 FROM calls n WHERE {_SAME_NUMBER.format(r='calls')}"  # noqa: S608
        " AND (n.started_at > calls.started_at"
        " OR (n.started_at = calls.started_at AND n.id > calls.id))"
        f" AND n.started_at <= {SHIFTED[dialect].format(r='calls')})"
    )


def _predecessor(row: str) -> str:
    """The id of the call before ``row``'s position among its number's inbound calls."""
    return (
        f"(SELECT n.id FROM calls n WHERE {_SAME_NUMBER.format(r=row)}"  # noqa: S608
        f" AND (n.started_at < {row}.started_at"
        f" OR (n.started_at = {row}.started_at AND n.id < {row}.id))"
        " ORDER BY n.started_at DESC, n.id DESC LIMIT 1)"
    )


def _recompute(dialect: str, ids: str) -> str:
    # Only a fact that changes is written: on PostgreSQL every UPDATE of a row writes a new
    # version of it and of its index entries, and most recomputed facts stay as they were.
    differs = "IS NOT" if dialect == "sqlite" else "IS DISTINCT FROM"
    followed = _followed(dialect)
    return (
        f"UPDATE calls SET repeat_followed = {followed} WHERE id IN ({ids})"  # noqa: S608
        f" AND repeat_followed {differs} {followed}"
    )


# A call deleted with its business (the cascade) leaves no figure to keep.
_BUSINESS_KEPT = "EXISTS (SELECT 1 FROM businesses WHERE id = {r}.business_id)"


def _sqlite_triggers() -> dict[str, str]:
    changed = " OR ".join(f"old.{c} IS NOT new.{c}" for c in SOURCE_COLUMNS)
    new_inbound = f"new.direction = 'inbound' AND {_BUSINESS_KEPT.format(r='new')}"
    old_inbound = f"old.direction = 'inbound' AND {_BUSINESS_KEPT.format(r='old')}"
    add = f"{_recompute('sqlite', 'new.id, ' + _predecessor('new'))} AND {new_inbound}"
    take = f"{_recompute('sqlite', _predecessor('old'))} AND {old_inbound}"
    not_inbound = "UPDATE calls SET repeat_followed = 0 WHERE id = new.id AND repeat_followed"
    return {
        "call_repeats_insert": f"AFTER INSERT ON calls WHEN {new_inbound} BEGIN {add}; END",
        "call_repeats_delete": f"AFTER DELETE ON calls WHEN {old_inbound} BEGIN {take}; END",
        "call_repeats_update": f"AFTER UPDATE OF {', '.join(SOURCE_COLUMNS)} ON calls"
        f" WHEN {changed} BEGIN {take}; {add}; {not_inbound} AND new.direction <> 'inbound'; END",
    }


_LOCK = (
    "PERFORM pg_advisory_xact_lock(hashtextextended({r}.business_id::text || {r}.from_number, 26));"
)
POSTGRES_FUNCTION = f"""
    IF TG_OP <> 'INSERT' AND OLD.direction = 'inbound' THEN
        IF NOT {_BUSINESS_KEPT.format(r="OLD")} THEN RETURN NULL; END IF;
        {_LOCK.format(r="OLD")}
        {_recompute("postgresql", _predecessor("OLD"))};
    END IF;
    IF TG_OP <> 'DELETE' THEN
        IF NEW.direction = 'inbound' THEN
            {_LOCK.format(r="NEW")}
            {_recompute("postgresql", "NEW.id, " + _predecessor("NEW"))};
        ELSIF TG_OP = 'UPDATE' THEN
            UPDATE calls SET repeat_followed = false WHERE id = NEW.id AND repeat_followed;
        END IF;
    END IF;"""  # noqa: S608
POSTGRES_TRIGGERS = {
    "call_repeats_insert_delete": "AFTER INSERT OR DELETE ON calls FOR EACH ROW",
    "call_repeats_update": f"AFTER UPDATE OF {', '.join(SOURCE_COLUMNS)} ON calls FOR EACH ROW "
    f"WHEN ({' OR '.join(f'OLD.{c} IS DISTINCT FROM NEW.{c}' for c in SOURCE_COLUMNS)})",
}


def _backfill(dialect: str) -> str:
    return f"UPDATE calls SET repeat_followed = {_followed(dialect)} WHERE direction = 'inbound'"  # noqa: S608


def upgrade() -> None:
    # Not a batch operation: a rebuilt table would lose 0024's and 0025's triggers.
    op.add_column(
        "calls",
        sa.Column("repeat_followed", sa.Boolean(), server_default=sa.false(), nullable=False),
    )
    dialect = op.get_bind().dialect.name
    op.execute(_backfill(dialect))
    # The followed calls alone, in period order, with the number for counting callers.
    where = {"sqlite_where": sa.text("repeat_followed = 1")}
    where["postgresql_where"] = sa.text("repeat_followed")
    op.create_index(
        "ix_calls_repeat_followed",
        "calls",
        ["business_id", "started_at", "from_number"],
        **where,  # type: ignore[arg-type]
    )
    # A p90 read from the longest calls down (``analytics.queries.calls.nth_longest``).
    op.create_index(
        "ix_calls_business_duration_started",
        "calls",
        ["business_id", "duration_seconds", "started_at", "status"],
    )
    if dialect == "sqlite":
        for name, definition in _sqlite_triggers().items():
            op.execute(f"CREATE TRIGGER {name} {definition}")
        return
    op.execute(
        "CREATE FUNCTION call_repeats_keep() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"{POSTGRES_FUNCTION} RETURN NULL; END $$"
    )
    for name, when in POSTGRES_TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {when} EXECUTE FUNCTION call_repeats_keep()")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in _sqlite_triggers():
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    else:
        for name in POSTGRES_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON calls")
        op.execute("DROP FUNCTION IF EXISTS call_repeats_keep()")
    op.drop_index("ix_calls_business_duration_started", table_name="calls")
    op.drop_index("ix_calls_repeat_followed", table_name="calls")
    op.drop_column("calls", "repeat_followed")
