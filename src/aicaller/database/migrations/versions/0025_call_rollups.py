"""analytics: the calls' additive figures per business and 15-minute UTC slot, kept by triggers

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-07 14:00:00

The console's overview read every call of its period twice (the dashboard's two periods, then
the charts' days). Summed from per-slot rollups, the same figures read a few thousand rows.
Triggers on ``calls`` keep them, not the application, so every write (services, the agent,
telephony, jobs, cascades, rows inserted by tests) reaches them, on both engines; migration
0011's triggers keep ``escalated`` and the QA columns on the call, so escalations and
evaluations reach them through the call's update. ADR 0024 says why and what was rejected.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0025"
down_revision: str | None = "0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# What one call adds to its slot's row (``{r}`` is the row: NEW, OLD or calls), restated from
# ``analytics.figures`` (a migration must not change when the code does). Everything here is
# code, never input.
_COMPLETED = "{r}.status = 'completed'"
_ANSWERED = "{r}.status IN ('completed', 'in_progress')"
CONTRIBUTIONS = {
    "calls": "true",
    "inbound_calls": "{r}.direction = 'inbound'",
    "outbound_calls": "{r}.direction = 'outbound'",
    "web_calls": "{r}.direction = 'web'",
    "answered_calls": _ANSWERED,
    "missed_calls": "{r}.status IN ('no_answer', 'busy', 'failed')",
    "abandoned_calls": "{r}.status = 'canceled'",
    "completed_calls": _COMPLETED,
    "contained_calls": f"{_COMPLETED} AND NOT {{r}}.escalated"
    " AND NOT COALESCE({r}.end_reason IN ('transferred', 'escalated'), false)",
    "escalated_calls": "{r}.escalated",
    "sentiment_positive": "{r}.sentiment = 'positive'",
    "sentiment_neutral": "{r}.sentiment = 'neutral'",
    "sentiment_negative": "{r}.sentiment = 'negative'",
    "sentiment_unknown": "{r}.sentiment IS NULL",
    "timed_calls": f"{_ANSWERED} AND {{r}}.duration_seconds IS NOT NULL",
    "evaluated_calls": "{r}.qa_evaluator IS NOT NULL",
    "scored_calls": "{r}.qa_score IS NOT NULL",
    "auto_failed_calls": "{r}.qa_auto_failed IS TRUE",
}
SUMS = {
    "handle_seconds": f"CASE WHEN {_ANSWERED} THEN COALESCE({{r}}.duration_seconds, 0) ELSE 0 END",
    "qa_score_sum": "COALESCE({r}.qa_score, 0)",
}
COLUMNS = (*CONTRIBUTIONS, *SUMS)
# The columns a row's contribution depends on: an update of anything else changes nothing.
SOURCE_COLUMNS = (
    "business_id", "started_at", "direction", "status", "duration_seconds", "sentiment",
    "end_reason", "escalated", "qa_evaluator", "qa_score", "qa_auto_failed",
)  # fmt: skip
SLOT = {
    "postgresql": "floor(extract(epoch FROM {r}.started_at) / 900)::bigint",
    # The stored text's whole seconds (no year before 1970 is accepted, so no negative slot).
    "sqlite": "CAST(strftime('%s', substr({r}.started_at, 1, 19)) AS INTEGER) / 900",
}


def _values(row: str) -> list[str]:
    counts = [f"CASE WHEN {sql.format(r=row)} THEN 1 ELSE 0 END" for sql in CONTRIBUTIONS.values()]
    return [*counts, *(sql.format(r=row) for sql in SUMS.values())]


def _upsert(dialect: str, row: str, sign: str, old: str | None = None) -> str:
    """Add (``sign`` '') or take away (``sign`` '-') one call's contribution to its slot; with
    ``old``, add the difference between ``row``'s and ``old``'s (a call edited in its slot:
    one upsert instead of two)."""
    pairs = zip(_values(row), _values(old) if old else _values(row), strict=True)
    values = ", ".join(
        f"({new}) - ({before})" if old else f"{sign}({new})" for new, before in pairs
    )
    updates = ", ".join(f"{c} = call_rollups.{c} + excluded.{c}" for c in COLUMNS)
    return (
        f"INSERT INTO call_rollups (business_id, slot, {', '.join(COLUMNS)}) "  # noqa: S608
        f"VALUES ({row}.business_id, {SLOT[dialect].format(r=row)}, {values}) "
        f"ON CONFLICT (business_id, slot) DO UPDATE SET {updates}"
    )


def _changed(old: str, new: str) -> str:
    return " OR ".join(f"{old}.{c} IS DISTINCT FROM {new}.{c}" for c in SOURCE_COLUMNS)


def _same_slot(dialect: str, old: str, new: str) -> str:
    slot = SLOT[dialect]
    return f"{old}.business_id = {new}.business_id AND {slot.format(r=old)} = {slot.format(r=new)}"


# A call deleted with its business (the cascade) has no business to count for any more, and
# its rollup rows go with the business; so does a call updated during that cascade (migration
# 0011's triggers update a call when its escalations and evaluations are deleted).
_BUSINESS_KEPT = "EXISTS (SELECT 1 FROM businesses WHERE id = {r}.business_id)"


def _sqlite_triggers() -> dict[str, str]:
    changed = _changed("old", "new").replace("IS DISTINCT FROM", "IS NOT")
    edited = f"AFTER UPDATE OF {', '.join(SOURCE_COLUMNS)} ON calls WHEN ({changed}) AND "
    same = _same_slot("sqlite", "old", "new")
    return {
        "call_rollups_insert": f"AFTER INSERT ON calls BEGIN {_upsert('sqlite', 'new', '')}; END",
        "call_rollups_delete": "AFTER DELETE ON calls "
        f"WHEN {_BUSINESS_KEPT.format(r='old')} BEGIN {_upsert('sqlite', 'old', '-')}; END",
        "call_rollups_update": f"{edited} {same} AND {_BUSINESS_KEPT.format(r='new')} "
        f"BEGIN {_upsert('sqlite', 'new', '', old='old')}; END",
        "call_rollups_move": f"{edited} NOT ({same}) AND {_BUSINESS_KEPT.format(r='new')} "
        f"BEGIN {_upsert('sqlite', 'old', '-')}; {_upsert('sqlite', 'new', '')}; END",
    }


POSTGRES_FUNCTION = f"""
    IF TG_OP <> 'INSERT' THEN
        IF NOT {_BUSINESS_KEPT.format(r="OLD")} THEN RETURN NULL; END IF;
        IF TG_OP = 'UPDATE' AND {_same_slot("postgresql", "OLD", "NEW")} THEN
            {_upsert("postgresql", "NEW", "", old="OLD")};
            RETURN NULL;
        END IF;
        {_upsert("postgresql", "OLD", "-")};
    END IF;
    IF TG_OP <> 'DELETE' THEN {_upsert("postgresql", "NEW", "")}; END IF;"""
POSTGRES_TRIGGERS = {
    "call_rollups_insert_delete": "AFTER INSERT OR DELETE ON calls FOR EACH ROW",
    "call_rollups_update": f"AFTER UPDATE OF {', '.join(SOURCE_COLUMNS)} ON calls FOR EACH ROW "
    f"WHEN ({_changed('OLD', 'NEW')})",
}


def _backfill(dialect: str) -> str:
    sums = ", ".join(f"sum({value})" for value in _values("calls"))
    slot = SLOT[dialect].format(r="calls")
    return (
        f"INSERT INTO call_rollups (business_id, slot, {', '.join(COLUMNS)}) "  # noqa: S608
        f"SELECT business_id, {slot}, {sums} FROM calls GROUP BY business_id, {slot}"
    )


def upgrade() -> None:
    op.create_table(
        "call_rollups",
        sa.Column("business_id", sa.Uuid(), nullable=False),
        sa.Column("slot", sa.BigInteger(), nullable=False),
        *(
            sa.Column(name, sa.Integer(), server_default="0", nullable=False)
            for name in CONTRIBUTIONS
        ),
        sa.Column("handle_seconds", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("qa_score_sum", sa.Double(), server_default="0", nullable=False),
        sa.ForeignKeyConstraint(
            ["business_id"],
            ["businesses.id"],
            name=op.f("fk_call_rollups_business_id_businesses"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("business_id", "slot", name=op.f("pk_call_rollups")),
    )
    dialect = op.get_bind().dialect.name
    op.execute(_backfill(dialect))
    if dialect == "sqlite":
        for name, definition in _sqlite_triggers().items():
            op.execute(f"CREATE TRIGGER {name} {definition}")
        return
    op.execute(
        "CREATE FUNCTION call_rollups_keep() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"{POSTGRES_FUNCTION} RETURN NULL; END $$"
    )
    for name, when in POSTGRES_TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {when} EXECUTE FUNCTION call_rollups_keep()")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in _sqlite_triggers():
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    else:
        for name in POSTGRES_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON calls")
        op.execute("DROP FUNCTION IF EXISTS call_rollups_keep()")
    op.drop_table("call_rollups")
