"""Reports' statements run side by side (PostgreSQL) and give the figures a count in Python
gives over randomized calls, and the same bodies as when run one by one."""

from __future__ import annotations

import math
import random
import uuid
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import event

from aicaller.analytics.buckets import DateRange, Interval
from aicaller.analytics.runner import Reader, Runner, _budget
from aicaller.analytics.service import AnalyticsService
from aicaller.core.query_monitor import count_queries
from aicaller.database.models import Call, Evaluation
from aicaller.database.session import Database
from aicaller.worker.runner import JobRunner
from tests.analytics.conftest import get_json, set_timezone
from tests.analytics.seed import TZ
from tests.factories import Tenant

SPAN = DateRange(datetime(2026, 3, 9).date(), datetime(2026, 3, 22).date(), TZ)  # 14 days
NUMBERS = [f"+1212555{n:04d}" for n in range(12)]  # few numbers, so callers repeat
ANSWERED = ("completed", "in_progress")
STATUSES = ("completed", "completed", "completed", "in_progress", "no_answer", "canceled")
NOW = datetime(2026, 6, 1, tzinfo=UTC)


Evaluations = dict[uuid.UUID, list[Evaluation]]


async def _random_calls(
    database: Database, business_id: uuid.UUID, seed: int
) -> tuple[list[Call], Evaluations]:
    """250 calls from two days before the previous period to nine days after the current
    one (repeat callers look seven days ahead), with ties in duration and 0-3 evaluations."""
    rng = random.Random(seed)  # noqa: S311 - test data
    first = SPAN.previous().start - timedelta(days=2)
    seconds = int((SPAN.end + timedelta(days=9) - first).total_seconds())
    calls: list[Call] = []
    evaluations: Evaluations = defaultdict(list)
    for offset in rng.sample(range(seconds), 250):  # distinct starts: no ties to order
        status = rng.choice(STATUSES)
        call = Call(
            id=uuid.uuid4(),
            business_id=business_id,
            direction=rng.choice(("inbound", "inbound", "outbound", "web")),
            from_number=rng.choice(NUMBERS),
            to_number="+12125550100",
            status=status,
            started_at=first + timedelta(seconds=offset),
            duration_seconds=rng.choice((None, 30, 60, 60, rng.randrange(1, 900))),
        )
        calls.append(call)
        for minute in rng.sample(range(1, 60), rng.choice((0, 0, 1, 2, 3))):
            evaluations[call.id].append(
                Evaluation(
                    business_id=business_id,
                    call_id=call.id,
                    scorecard_name="Default",
                    evaluator=rng.choice(("ai", "ai", "human")),
                    score=rng.choice((None, 0.0, 55.5, float(rng.randrange(101)))),
                    auto_failed=rng.random() < 0.2,
                    created_at=call.started_at + timedelta(minutes=minute),
                )
            )
    async with database.transaction() as session:
        session.add_all(calls)
        await session.flush()
        session.add_all(e for per_call in evaluations.values() for e in per_call)
    return calls, evaluations


def _latest_human_first(evaluation: Evaluation) -> tuple[bool, float]:
    return evaluation.evaluator != "human", -evaluation.created_at.timestamp()


def _expected(calls: list[Call], evaluations: Evaluations) -> dict[str, Any]:
    """(current, previous) of the figures, counted the way docs/api.md defines them."""
    previous = SPAN.previous()
    periods = [(previous.start, previous.end), (SPAN.start, SPAN.end)]
    inbound_by_number: dict[str, list[datetime]] = defaultdict(list)
    for call in calls:
        if call.direction == "inbound" and call.started_at >= periods[0][0]:
            inbound_by_number[call.from_number].append(call.started_at)
    figures: dict[str, list[Any]] = defaultdict(list)
    for start, end in reversed(periods):
        in_period = [c for c in calls if start <= c.started_at < end]
        durations = sorted(
            c.duration_seconds
            for c in in_period
            if c.status in ANSWERED and c.duration_seconds is not None
        )
        figures["total_calls"].append(len(in_period))
        figures["p90_duration_seconds"].append(
            durations[math.ceil(0.9 * len(durations)) - 1] if durations else None
        )
        followed = [
            c
            for c in in_period
            if c.direction == "inbound"
            and any(
                c.started_at < other <= c.started_at + timedelta(days=7)
                for other in inbound_by_number[c.from_number]
            )
        ]
        figures["repeat_calls"].append(len(followed))
        figures["repeat_callers"].append(len({c.from_number for c in followed}))
        effective = [
            min(
                evaluations[c.id], key=lambda e: (e.evaluator != "human", -e.created_at.timestamp())
            )
            for c in in_period
            if evaluations[c.id]
        ]
        scores = [e.score for e in effective if e.score is not None]
        figures["evaluated_calls"].append(len(effective))
        figures["avg_qa_score"].append(round(sum(scores) / len(scores), 2) if scores else None)
    return {name: tuple(values) for name, values in figures.items()}


@pytest.mark.parametrize("seed", [1, 2, 3])
async def test_dashboard_figures_match_a_count_in_python(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant, seed: int
) -> None:
    await set_timezone(client, tenant, TZ)
    calls, evaluations = await _random_calls(app.state.database, tenant.business_id, seed)
    body = await get_json(
        client, tenant, "dashboard", period="custom", **{"from": "2026-03-09", "to": "2026-03-22"}
    )
    expected = _expected(calls, evaluations)
    got = {name: (body["figures"][name]["value"], body["figures"][name]["previous"])
           for name in expected}  # fmt: skip
    assert got == expected
    # The data holds what the figures are about (guards against a seed that makes them trivial).
    assert expected["repeat_calls"][0] > 0
    assert expected["evaluated_calls"][0] > 0


async def _reports(app: FastAPI, tenant: Tenant, connections: int) -> tuple[list[str], int, int]:
    """The dashboard, QA stats and a daily trend computed with ``connections`` extra
    connections; how many connections the pool handed out for them, and how many statements
    the request's query counter saw."""
    database: Database = app.state.database
    settings = app.state.settings.model_copy(update={"analytics_parallel_connections": connections})
    checkouts = 0

    def count(*_: object) -> None:
        nonlocal checkouts
        checkouts += 1

    # The embedded job runner polls on the same engine; its checkouts are not the report's.
    runner = app.state.jobs if isinstance(app.state.jobs, JobRunner) else None
    if runner is not None:
        await runner.stop()
    event.listen(database.engine.sync_engine, "checkout", count)
    try:
        with count_queries() as statements:
            async with database.transaction() as session:
                service = AnalyticsService(
                    session, tenant.business_id, None, settings, lambda: NOW, database
                )
                bodies = [
                    (await service.dashboard(None, SPAN.first, SPAN.last)).body,
                    (await service.qa_stats(None, SPAN.first, SPAN.last, lowest=5)).body,
                    (
                        await service.trends(
                            "avg_qa_score", Interval.DAY, None, SPAN.first, SPAN.last, window=3
                        )
                    ).body,
                ]
    finally:
        event.remove(database.engine.sync_engine, "checkout", count)
        if runner is not None:
            await runner.start()
    return bodies, checkouts, statements.count


async def test_side_by_side_gives_the_bodies_of_one_by_one(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant, backend: str
) -> None:
    await set_timezone(client, tenant, TZ)
    await _random_calls(app.state.database, tenant.business_id, 7)
    alone, one_connection, statements_alone = await _reports(app, tenant, connections=0)
    side_by_side, connections, statements = await _reports(app, tenant, connections=3)
    assert side_by_side == alone
    assert one_connection == 1
    # PostgreSQL: the request's connection, then 3 more for the dashboard's statements and 3 for
    # QA stats' five; the trend's summary and series are one statement over the rollups (none).
    # SQLite stays on the request's one.
    extra = 3 + 3 if backend == "postgresql" else 0
    assert connections == 1 + extra
    # Statements on the extra connections count for the request (its X-Query-Count and slow
    # query log): the same ones, plus the settings statement each extra connection starts with.
    assert statements == statements_alone + extra


async def test_a_failing_statement_fails_the_report_and_returns_the_connections(
    app: FastAPI, tenant: Tenant
) -> None:
    database: Database = app.state.database

    async def broken(reader: Reader) -> None:
        raise RuntimeError("statement failed")

    async def fine(reader: Reader) -> dict[int, Any]:
        return await reader.gaps.knowledge_gaps([SPAN.start, SPAN.end])

    free = _budget(database.engine, 2).free  # the engine's budget, made by whoever came first
    async with database.transaction() as session:
        runner = Runner(session, tenant.business_id, database, connections=2)
        with pytest.raises(RuntimeError, match="statement failed"):
            await runner.gather(fine, broken, fine)
        assert await runner.gather(fine, fine) == [{}, {}]  # the budget came back
    assert _budget(database.engine, 2).free == free


async def test_with_the_budget_spent_a_report_runs_on_its_own_connection(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant
) -> None:
    """Concurrent reports that find the extra connections taken do not wait for them."""
    await set_timezone(client, tenant, TZ)
    await _random_calls(app.state.database, tenant.business_id, 11)
    alone, _, _ = await _reports(app, tenant, connections=0)
    budget = _budget(app.state.database.engine, 3)
    taken = budget.take(3)  # as if other reports held them
    try:
        bodies, checkouts, _ = await _reports(app, tenant, connections=3)
    finally:
        budget.give(taken)
    assert bodies == alone
    assert checkouts == 1
