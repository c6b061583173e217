"""analytics: each call's escalation and effective QA evaluation on the call, kept by triggers

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 20:30:00

The dashboard's figures all come from the calls of a period, but two of them needed other
tables: containment and the escalation rate joined the period's escalations (a third of the
call figures' time at a million calls), and the QA figures ranked every evaluation to find each
call's effective one (a statement of its own, as long again). Kept on the call, they are read
in the same pass over the analytics index.

Triggers keep them, not the application, so every way of writing an escalation or evaluation
(services, jobs, imports, tests that insert rows) leaves them right, on both engines.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The analytics index before and after (a migration must not change when the models do).
OLD_INDEX = (
    "business_id", "started_at", "direction", "status", "duration_seconds", "sentiment",
    "end_reason", "from_number", "id",
)  # fmt: skip
NEW_INDEX = (
    "business_id", "started_at", "direction", "status", "duration_seconds", "sentiment",
    "end_reason", "escalated", "qa_evaluator", "qa_score", "qa_auto_failed", "from_number", "id",
)  # fmt: skip
COLUMNS = ("escalated", "qa_evaluator", "qa_score", "qa_auto_failed")


# ``call`` below is always one of this module's constants (``new.call_id``, ``old.call_id``,
# ``calls.id``): the SQL is built from code, never from input.
def _escalated(call: str) -> str:
    """Set one call's flag from its escalations (written only when it changes)."""
    has_one = f"EXISTS (SELECT 1 FROM escalations WHERE escalations.call_id = {call})"  # noqa: S608
    return f"UPDATE calls SET escalated = {has_one} WHERE id = {call} AND escalated <> {has_one}"  # noqa: S608


def _qa(call: str) -> str:
    """Copy one call's effective evaluation: the latest by a person, else the latest by the AI
    (the order the QA service and the QA reports use); NULLs when it has none."""
    return f"""UPDATE calls SET (qa_evaluator, qa_score, qa_auto_failed) = (
        SELECT evaluator, score, auto_failed FROM qa_evaluations
        WHERE qa_evaluations.call_id = {call}
        ORDER BY CASE WHEN evaluator = 'human' THEN 0 ELSE 1 END, created_at DESC, id DESC
        LIMIT 1) WHERE id = {call}"""  # noqa: S608


# A new escalation can only set the flag: no lookup needed.
ESCALATION_ADDED = "UPDATE calls SET escalated = true WHERE id = {call} AND NOT escalated"
QA_FIELDS = "call_id, evaluator, score, auto_failed, created_at"

SQLITE_TRIGGERS = {
    "calls_escalated_insert": "AFTER INSERT ON escalations BEGIN "
    f"{ESCALATION_ADDED.format(call='new.call_id')}; END",
    "calls_escalated_delete": f"AFTER DELETE ON escalations BEGIN {_escalated('old.call_id')}; END",
    "calls_escalated_update": "AFTER UPDATE OF call_id ON escalations BEGIN "
    f"{_escalated('old.call_id')}; {_escalated('new.call_id')}; END",
    "calls_qa_insert": f"AFTER INSERT ON qa_evaluations BEGIN {_qa('new.call_id')}; END",
    "calls_qa_delete": f"AFTER DELETE ON qa_evaluations BEGIN {_qa('old.call_id')}; END",
    "calls_qa_update": f"AFTER UPDATE OF {QA_FIELDS} ON qa_evaluations BEGIN "
    f"{_qa('old.call_id')}; {_qa('new.call_id')}; END",
}


def _locked(call: str, statement: str) -> str:
    """PostgreSQL: lock the call, then recompute in a statement of its own. Two transactions
    writing evaluations of one call at once would otherwise each recompute from a snapshot
    without the other's row, and the last to commit would win even when the other's
    evaluation is the one that counts. Under READ COMMITTED each statement of the function
    takes a new snapshot, so once the lock is granted the other's row is seen. (NO KEY UPDATE:
    the lock the UPDATE takes anyway; it does not conflict with the KEY SHARE that inserting
    a referencing row takes, so it cannot deadlock with it.) A call that is gone (its rows
    deleted with it by the cascade) is left alone."""
    return (
        f"PERFORM 1 FROM calls WHERE id = {call} FOR NO KEY UPDATE; "
        f"IF FOUND THEN {statement}; END IF"
    )


POSTGRES_FUNCTIONS = {
    "calls_keep_escalated": f"""
        IF TG_OP = 'INSERT' THEN {ESCALATION_ADDED.format(call="NEW.call_id")};
        ELSE
            {_locked("OLD.call_id", _escalated("OLD.call_id"))};
            IF TG_OP = 'UPDATE' THEN {_locked("NEW.call_id", _escalated("NEW.call_id"))};
            END IF;
        END IF;""",
    "calls_keep_qa": f"""
        IF TG_OP <> 'INSERT' THEN {_locked("OLD.call_id", _qa("OLD.call_id"))}; END IF;
        IF TG_OP <> 'DELETE' THEN {_locked("NEW.call_id", _qa("NEW.call_id"))}; END IF;""",
}
POSTGRES_TRIGGERS = {
    "calls_escalated": ("AFTER INSERT OR DELETE OR UPDATE OF call_id ON escalations",
                        "calls_keep_escalated"),
    "calls_qa": (f"AFTER INSERT OR DELETE OR UPDATE OF {QA_FIELDS} ON qa_evaluations",
                 "calls_keep_qa"),
}  # fmt: skip

BACKFILL = [
    "UPDATE calls SET escalated = true WHERE id IN (SELECT call_id FROM escalations)",
    f"{_qa('calls.id')} AND id IN (SELECT call_id FROM qa_evaluations)",  # noqa: S608
]


def upgrade() -> None:
    # Plain ALTER TABLE ADD COLUMN: a SQLite table rebuild of calls would cascade-delete
    # every turn, note, escalation and evaluation.
    op.add_column(
        "calls", sa.Column("escalated", sa.Boolean(), server_default=sa.false(), nullable=False)
    )
    op.add_column("calls", sa.Column("qa_evaluator", sa.String(length=16), nullable=True))
    op.add_column("calls", sa.Column("qa_score", sa.Double(), nullable=True))
    op.add_column("calls", sa.Column("qa_auto_failed", sa.Boolean(), nullable=True))
    for statement in BACKFILL:
        op.execute(statement)
    op.drop_index("ix_calls_analytics", table_name="calls")
    op.create_index("ix_calls_analytics", "calls", list(NEW_INDEX))
    if op.get_bind().dialect.name == "sqlite":
        for name, definition in SQLITE_TRIGGERS.items():
            op.execute(f"CREATE TRIGGER {name} {definition}")
        return
    for name, body in POSTGRES_FUNCTIONS.items():
        op.execute(
            f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN {body} "
            "RETURN NULL; END $$"
        )
    for name, (when, function) in POSTGRES_TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {when} FOR EACH ROW EXECUTE FUNCTION {function}()")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    else:
        op.execute("DROP TRIGGER IF EXISTS calls_escalated ON escalations")
        op.execute("DROP TRIGGER IF EXISTS calls_qa ON qa_evaluations")
        for name in POSTGRES_FUNCTIONS:
            op.execute(f"DROP FUNCTION IF EXISTS {name}()")
    op.drop_index("ix_calls_analytics", table_name="calls")
    op.create_index("ix_calls_analytics", "calls", list(OLD_INDEX))
    for column in reversed(COLUMNS):
        op.execute(f"ALTER TABLE calls DROP COLUMN {column}")
