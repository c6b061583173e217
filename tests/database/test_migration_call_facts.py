"""0011 puts each call's escalation flag and effective QA evaluation on the call: existing
rows are filled in on upgrade, the triggers keep them after, and a downgrade takes the columns
away again without losing a row (SQLite and PostgreSQL)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import Boolean, String, column, func, inspect, select, table, text
from sqlalchemy.ext.asyncio import AsyncEngine

from aicaller.database import migrate
from tests.database.test_migrations_data import _one_chunk, _typed

CALL_COLUMNS = (
    "id", "business_id", "direction", "from_number", "to_number", "status", "provider",
    "started_at", "metadata", "created_at", "updated_at",
)  # fmt: skip
ESCALATION_COLUMNS = (
    "id", "business_id", "call_id", "reason", "priority", "status", "created_at", "updated_at",
)  # fmt: skip
EVALUATION_COLUMNS = (
    "id", "business_id", "call_id", "scorecard_name", "results", "score", "created_at",
    "updated_at",
)  # fmt: skip
T0 = datetime(2026, 3, 10, 9, tzinfo=UTC)


async def _calls_with_history(engine: AsyncEngine) -> dict[str, uuid.UUID]:
    """Three calls written at 0010: one escalated and scored by the AI then a person, one
    scored by the AI twice, one with neither."""
    business = (await _one_chunk(engine))["business"]
    ids = {name: uuid.uuid4() for name in ("both", "ai_twice", "neither")}
    calls = table("calls", *_typed(CALL_COLUMNS))
    escalations = table("escalations", *_typed(ESCALATION_COLUMNS))
    evaluations = table(
        "qa_evaluations", *_typed(EVALUATION_COLUMNS),
        column("evaluator", String()), column("auto_failed", Boolean()),
    )  # fmt: skip
    stamps = {"created_at": T0, "updated_at": T0}

    def evaluation(call: str, evaluator: str, score: float, minutes: int) -> dict[str, object]:
        at = T0 + timedelta(minutes=minutes)
        return {
            "id": uuid.uuid4(), "business_id": business, "call_id": ids[call],
            "scorecard_name": "Default", "results": "[]", "evaluator": evaluator,
            "score": score, "auto_failed": False, "created_at": at, "updated_at": at,
        }  # fmt: skip

    async with engine.begin() as connection:
        for call_id in ids.values():
            await connection.execute(
                calls.insert().values(
                    id=call_id, business_id=business, direction="inbound",
                    from_number="+12125550101", to_number="+12125550100", status="completed",
                    provider="simulated", started_at=T0, metadata="{}", **stamps,
                )
            )  # fmt: skip
        await connection.execute(
            escalations.insert().values(
                id=uuid.uuid4(), business_id=business, call_id=ids["both"], reason="person",
                priority="normal", status="open", **stamps,
            )
        )  # fmt: skip
        await connection.execute(
            evaluations.insert(),
            [
                evaluation("both", "ai", 40, 10),
                evaluation("both", "human", 80, 5),  # older, but a person's
                evaluation("ai_twice", "ai", 50, 10),
                evaluation("ai_twice", "ai", 65, 20),
            ],
        )
    return ids


async def _facts(engine: AsyncEngine) -> dict[uuid.UUID, tuple[object, ...]]:
    async with engine.connect() as connection:
        rows = await connection.execute(
            text("SELECT id, escalated, qa_evaluator, qa_score FROM calls")
        )
        return {
            row[0] if isinstance(row[0], uuid.UUID) else uuid.UUID(row[0]): (
                bool(row[1]),
                row[2],
                row[3],
            )
            for row in rows
        }


async def test_upgrade_fills_in_the_facts_and_the_triggers_keep_them(
    empty_engine: AsyncEngine,
) -> None:
    await migrate.upgrade(empty_engine, "0010")
    ids = await _calls_with_history(empty_engine)
    await migrate.upgrade(empty_engine, "0011")
    assert await _facts(empty_engine) == {
        ids["both"]: (True, "human", 80),
        ids["ai_twice"]: (False, "ai", 65),
        ids["neither"]: (False, None, None),
    }
    async with empty_engine.begin() as connection:
        await connection.execute(text("DELETE FROM escalations"))
        await connection.execute(text("DELETE FROM qa_evaluations WHERE evaluator = 'human'"))
    facts = await _facts(empty_engine)
    assert facts[ids["both"]] == (False, "ai", 40)

    await migrate.downgrade(empty_engine, "0010")
    async with empty_engine.connect() as connection:
        columns = await connection.run_sync(
            lambda sync: {c["name"] for c in inspect(sync).get_columns("calls")}
        )
        counts = [
            (await connection.execute(select(func.count()).select_from(table(name)))).scalar_one()
            for name in ("calls", "qa_evaluations", "chunks")
        ]
    assert not columns & {"escalated", "qa_evaluator", "qa_score", "qa_auto_failed"}
    assert counts == [3, 3, 1]  # no row lost (a SQLite table rebuild would cascade)
    async with empty_engine.begin() as connection:  # and no trigger is left behind
        await connection.execute(text("DELETE FROM qa_evaluations"))
