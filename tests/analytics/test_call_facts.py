"""The database keeps each call's escalation flag and effective QA evaluation on the call
(migration 0011's triggers), whatever writes the escalations and evaluations: inserts, edits and
deletes, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import delete, insert, select, text, update

from aicaller.database.models import Call, Escalation, Evaluation
from aicaller.database.session import Database
from tests.factories import Tenant

T0 = datetime(2026, 3, 10, 9, tzinfo=UTC)


async def _call(database: Database, business_id: uuid.UUID) -> uuid.UUID:
    call = Call(
        business_id=business_id, direction="inbound", from_number="+12125550101",
        to_number="+12125550100", status="completed", started_at=T0,
    )  # fmt: skip
    async with database.transaction() as session:
        session.add(call)
    return call.id


async def _facts(database: Database, call_id: uuid.UUID) -> tuple[Any, ...]:
    async with database.transaction() as session:
        row = (
            await session.execute(
                select(Call.escalated, Call.qa_evaluator, Call.qa_score, Call.qa_auto_failed)
                .where(Call.id == call_id)
            )
        ).one()  # fmt: skip
    return (bool(row[0]), row[1], row[2], None if row[3] is None else bool(row[3]))


def _evaluation(
    business_id: uuid.UUID,
    call_id: uuid.UUID,
    evaluator: str,
    score: float | None,
    minutes: int,
    *,
    auto_failed: bool = False,
) -> Evaluation:
    return Evaluation(
        business_id=business_id, call_id=call_id, scorecard_name="Default", evaluator=evaluator,
        score=score, auto_failed=auto_failed, created_at=T0 + timedelta(minutes=minutes),
    )  # fmt: skip


async def test_a_call_is_escalated_while_it_has_an_escalation(
    database: Database, tenant: Tenant
) -> None:
    call_id = await _call(database, tenant.business_id)
    assert (await _facts(database, call_id))[0] is False
    escalations = [
        Escalation(business_id=tenant.business_id, call_id=call_id, reason=reason)
        for reason in ("asked for a person", "asked again")
    ]
    async with database.transaction() as session:
        session.add_all(escalations)
    assert (await _facts(database, call_id))[0] is True
    async with database.transaction() as session:
        await session.execute(delete(Escalation).where(Escalation.id == escalations[0].id))
    assert (await _facts(database, call_id))[0] is True  # one is left
    async with database.transaction() as session:
        await session.execute(delete(Escalation).where(Escalation.id == escalations[1].id))
    assert (await _facts(database, call_id))[0] is False


async def test_the_effective_evaluation_follows_every_change(
    database: Database, tenant: Tenant
) -> None:
    b = tenant.business_id
    call_id = await _call(database, b)
    assert await _facts(database, call_id) == (False, None, None, None)

    first_ai = _evaluation(b, call_id, "ai", 60, 10)
    async with database.transaction() as session:
        session.add(first_ai)
    assert await _facts(database, call_id) == (False, "ai", 60, False)

    human = _evaluation(b, call_id, "human", 90, 20)
    later_ai = _evaluation(b, call_id, "ai", 0, 30, auto_failed=True)
    async with database.transaction() as session:
        session.add(human)
        await session.flush()
        session.add(later_ai)  # newer, but a person's evaluation counts first
    assert await _facts(database, call_id) == (False, "human", 90, False)

    async with database.transaction() as session:
        await session.execute(update(Evaluation).where(Evaluation.id == human.id).values(score=95))
    assert await _facts(database, call_id) == (False, "human", 95, False)

    async with database.transaction() as session:
        await session.execute(delete(Evaluation).where(Evaluation.id == human.id))
    assert await _facts(database, call_id) == (False, "ai", 0, True)  # the latest AI one

    async with database.transaction() as session:
        await session.execute(
            update(Evaluation).where(Evaluation.id == first_ai.id)
            .values(created_at=T0 + timedelta(minutes=40), score=None)
        )  # fmt: skip
    assert await _facts(database, call_id) == (False, "ai", None, False)  # evaluated, no score

    async with database.transaction() as session:
        await session.execute(delete(Evaluation).where(Evaluation.call_id == call_id))
    assert await _facts(database, call_id) == (False, None, None, None)


async def test_another_calls_facts_are_left_alone(database: Database, tenant: Tenant) -> None:
    b = tenant.business_id
    scored, untouched = await _call(database, b), await _call(database, b)
    async with database.transaction() as session:
        session.add(_evaluation(b, scored, "human", 70, 5))
        session.add(Escalation(business_id=b, call_id=scored, reason="asked for a person"))
    assert await _facts(database, scored) == (True, "human", 70, False)
    assert await _facts(database, untouched) == (False, None, None, None)


async def test_concurrent_evaluations_of_a_call_keep_the_one_that_counts(
    database: Database, tenant: Tenant, backend: str
) -> None:
    """A person's evaluation committed while the AI's newer one waits for the call: the
    person's still counts (the AI's trigger recomputes after the lock, from a fresh snapshot)."""
    if backend == "sqlite":
        pytest.skip("SQLite has one writer at a time: two evaluations never interleave")
    b = tenant.business_id
    call_id = await _call(database, b)
    async with database.engine.connect() as person, database.engine.connect() as ai:
        await person.begin()
        await person.execute(insert(Evaluation).values(
            id=uuid.uuid4(), business_id=b, call_id=call_id, scorecard_name="Default",
            evaluator="human", score=90.0, auto_failed=False, results=[],
            created_at=T0 + timedelta(minutes=5), updated_at=T0,
        ))  # fmt: skip
        await ai.begin()
        ai_write = asyncio.ensure_future(ai.execute(insert(Evaluation).values(
            id=uuid.uuid4(), business_id=b, call_id=call_id, scorecard_name="Default",
            evaluator="ai", score=10.0, auto_failed=False, results=[],
            created_at=T0 + timedelta(minutes=30), updated_at=T0,
        )))  # fmt: skip
        await _until_a_session_waits_for_a_lock(database)
        await person.commit()
        await ai_write
        await ai.commit()
    assert await _facts(database, call_id) == (False, "human", 90, False)


async def _until_a_session_waits_for_a_lock(database: Database) -> None:
    for _ in range(200):
        async with database.transaction() as session:
            waiting = await session.execute(
                text(
                    "SELECT count(*) FROM pg_stat_activity"
                    " WHERE wait_event_type = 'Lock' AND datname = current_database()"
                )
            )
            if waiting.scalar_one():
                return
        await asyncio.sleep(0.05)
    raise AssertionError("the AI's evaluation never waited for the person's")


async def test_deleting_a_call_takes_its_escalations_and_evaluations(
    database: Database, tenant: Tenant
) -> None:
    """The cascade's deletes run the triggers against a call that is gone: nothing to keep."""
    b = tenant.business_id
    call_id, other = await _call(database, b), await _call(database, b)
    async with database.transaction() as session:
        session.add_all([_evaluation(b, call_id, "ai", 50, 5), _evaluation(b, other, "ai", 40, 5)])
        session.add(Escalation(business_id=b, call_id=call_id, reason="asked for a person"))
    async with database.transaction() as session:
        await session.execute(delete(Call).where(Call.id == call_id))
    async with database.transaction() as session:
        left = await session.execute(select(Evaluation.call_id))
        assert left.scalars().all() == [other]
        assert (await session.execute(select(Escalation.id))).first() is None
    assert await _facts(database, other) == (False, "ai", 40, False)
