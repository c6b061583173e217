"""Repeat callers from the fact migration 0026's triggers keep on each call equal repeat callers
computed from the calls (``LEAD()``), over randomised calls with ties, after inserts, moves,
changes of number and direction, and deletes; the fact itself against a direct computation in
Python; and two transactions writing one number at once on PostgreSQL."""

from __future__ import annotations

import asyncio
import itertools
import math
import random
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import delete, event, select, text, update

from aicaller.analytics.figures import Pass
from aicaller.analytics.runner import Reader
from aicaller.database.models import Call
from aicaller.database.session import Database
from tests.factories import Tenant

FIRST = datetime(2026, 2, 1, tzinfo=UTC)
DAYS = 60
WINDOW = timedelta(days=7)


def _start(rng: random.Random) -> datetime:
    """Whole seconds, on a few shared instants (ties), and some exactly 7 days apart."""
    base = FIRST + timedelta(seconds=rng.randrange(DAYS * 86400))
    return rng.choice((base, FIRST + timedelta(days=rng.randrange(DAYS)), FIRST + WINDOW))


def _call(rng: random.Random, business_id: uuid.UUID) -> Call:
    return Call(
        id=uuid.uuid4(),
        business_id=business_id,
        direction=rng.choice(("inbound", "inbound", "inbound", "outbound", "web")),
        from_number=f"+1212555{rng.randrange(25):04d}",
        to_number="+12125550100",
        status="completed",
        started_at=_start(rng),
    )


async def _history(database: Database, business_id: uuid.UUID, seed: int) -> None:
    rng = random.Random(seed)  # noqa: S311 - test data
    calls = [_call(rng, business_id) for _ in range(300)]
    async with database.transaction() as session:  # one by one, then in bulk
        for call in calls[:60]:
            session.add(call)
            await session.flush()
        session.add_all(calls[60:])
    ids = [call.id for call in calls]
    async with database.transaction() as session:
        for call_id in rng.sample(ids, 40):
            moved = update(Call).where(Call.id == call_id)
            await session.execute(moved.values(started_at=_start(rng)))
        for call_id in rng.sample(ids, 25):
            renumbered = update(Call).where(Call.id == call_id)
            await session.execute(renumbered.values(from_number=f"+1212555{rng.randrange(25):04d}"))
        for call_id in rng.sample(ids, 25):
            turned = update(Call).where(Call.id == call_id)
            await session.execute(turned.values(direction=rng.choice(("inbound", "outbound"))))
        await session.execute(update(Call).where(Call.id.in_(ids[:20])).values(summary="edited"))
    async with database.transaction() as session:
        await session.execute(delete(Call).where(Call.id.in_(rng.sample(ids, 30))))


def _expected(rows: Sequence[Any]) -> dict[uuid.UUID, bool]:
    """Whether each inbound call's next call from its number (by start, then id) started
    within 7 days; every other call: false."""
    expected = {row.id: False for row in rows}
    by_number: dict[str, list[Any]] = {}
    for row in rows:
        if row.direction == "inbound":
            by_number.setdefault(row.from_number, []).append(row)
    for calls in by_number.values():
        calls.sort(key=lambda row: (row.started_at, row.id))
        for call, following in itertools.pairwise(calls):
            expected[call.id] = following.started_at <= call.started_at + WINDOW
    return expected


async def _repeat(database: Database, business_id: uuid.UUID, rollups: bool, cuts: Any) -> Any:
    async with database.transaction() as session:
        rows = await Reader.of(session, business_id, rollups).figures(Pass.REPEAT, cuts)
    return rows


@pytest.mark.parametrize("seed", [11, 12])
async def test_repeat_callers_from_the_fact_equal_them_from_the_calls(
    app: FastAPI, tenant: Tenant, other_tenant: Tenant, seed: int
) -> None:
    database: Database = app.state.database
    await _history(database, tenant.business_id, seed)
    await _history(database, other_tenant.business_id, seed)  # same numbers, other business
    columns = (Call.id, Call.direction, Call.from_number, Call.started_at, Call.repeat_followed)
    async with database.transaction() as session:
        rows = (
            await session.execute(select(*columns).where(Call.business_id == tenant.business_id))
        ).all()
    assert {row.id: row.repeat_followed for row in rows} == _expected(rows)
    assert sum(row.repeat_followed for row in rows) > 20  # not a comparison of nothing

    statements: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    compared = 0
    event.listen(database.engine.sync_engine, "before_cursor_execute", record)
    try:
        for step in (timedelta(days=1), timedelta(days=10), timedelta(days=30)):
            cuts = [FIRST + step * i for i in range(int(timedelta(days=DAYS) / step) + 1)]
            statements.clear()
            from_facts = await _repeat(database, tenant.business_id, True, cuts)
            assert any("repeat_followed" in s for s in statements)
            assert not any("lead(" in s.lower() for s in statements)
            from_calls = await _repeat(database, tenant.business_id, False, cuts)
            assert from_facts == from_calls
            assert any(row["repeat_callers"] for row in from_facts.values())
            compared += 1
    finally:
        event.remove(database.engine.sync_engine, "before_cursor_execute", record)
    assert compared == 3


async def test_two_transactions_writing_one_number_at_once(app: FastAPI, tenant: Tenant) -> None:
    """The second waits for the first's lock on the number, then sees its call: without the
    lock neither would see the other, and the earlier call would stay "not followed"."""
    database: Database = app.state.database
    if database.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has one writer at a time")
    number, earlier = "+12125559999", FIRST + timedelta(days=3)
    first = Call(business_id=tenant.business_id, direction="inbound", from_number=number,
                 to_number="+12125550100", status="completed", started_at=earlier)  # fmt: skip
    second = Call(business_id=tenant.business_id, direction="inbound", from_number=number,
                  to_number="+12125550100", status="completed",
                  started_at=earlier + timedelta(hours=1))  # fmt: skip
    waiting = "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"

    async def insert_second() -> None:
        async with database.transaction() as session:
            session.add(second)
            await session.flush()

    async with database.transaction() as session:
        session.add(first)
        await session.flush()
        task = asyncio.ensure_future(insert_second())
        async with database.engine.connect() as observer:
            for _ in range(500):  # until the second insert waits for the number's lock
                if await observer.scalar(text(waiting)):
                    break
                await asyncio.sleep(0.01)
            else:
                pytest.fail("the second insert never waited for the number's lock")
    await task
    async with database.transaction() as session:
        followed = await session.scalar(select(Call.repeat_followed).where(Call.id == first.id))
    assert followed is True


@pytest.mark.parametrize("seed", [21, 22])
async def test_the_p90_from_the_longest_calls_down_equals_the_histograms(
    app: FastAPI, tenant: Tenant, seed: int
) -> None:
    """Each bucket's p90 read at its rank from the longest call down (the rank from the
    rollups' count) against the histogram over the bucket's calls, with many ties."""
    database: Database = app.state.database
    rng = random.Random(seed)  # noqa: S311 - test data
    statuses = ("completed", "in_progress", "no_answer", "canceled", "queued")
    calls = [_call(rng, tenant.business_id) for _ in range(400)]
    for call in calls:
        call.status = rng.choice(statuses)
        call.duration_seconds = rng.choice((None, 0, rng.randrange(60), rng.randrange(3000)))
    async with database.transaction() as session:
        session.add_all(calls)
    async with database.transaction() as session:  # statuses change, calls go
        for call in rng.sample(calls, 60):
            changed = update(Call).where(Call.id == call.id)
            await session.execute(changed.values(status=rng.choice(statuses)))
        await session.execute(delete(Call).where(Call.id.in_([c.id for c in calls[:40]])))
    compared = 0
    for length, count in ((timedelta(days=30), 2), (timedelta(days=20), 3), (timedelta(days=1), 4)):
        for start in (FIRST, FIRST + timedelta(days=7, hours=5, minutes=45)):
            cuts = [start + length * i for i in range(count + 1)]
            async with database.transaction() as session:
                reader = Reader.of(session, tenant.business_id)
                assert reader.rollups is not None
                counts, _ = await reader.rollups.timed_calls(cuts)
                offsets = {b: n - math.ceil(0.9 * n) for b, n in counts.items() if n}
                from_the_top = await reader.calls.nth_longest(cuts, offsets)
                histogram = await reader.calls.p90_durations(cuts)
                chosen = await reader.figures(Pass.DURATIONS, cuts)
            assert from_the_top == histogram
            assert chosen == histogram
            compared += bool(histogram)
    assert compared >= 4  # not only empty buckets
