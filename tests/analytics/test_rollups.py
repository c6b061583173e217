"""The calls' figures summed from the per-slot rollups (migration 0025) equal the same figures
counted from the calls, over randomised calls after inserts, edits, deletes, status changes,
escalations and evaluations, in timezones whose days start on the hour, the half hour and the
quarter hour, with DST changes inside the periods; on both engines."""

from __future__ import annotations

import random
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import delete, event, func, select, update

from aicaller.analytics import summed
from aicaller.analytics.buckets import DateRange, Interval, boundaries
from aicaller.analytics.queries.rollups import aligned
from aicaller.analytics.reports import DASHBOARD_FIGURES, per_bucket_sets, summary_cuts
from aicaller.analytics.runner import Runner
from aicaller.analytics.service import AnalyticsService
from aicaller.analytics.trend_reports import trends
from aicaller.database.models import Business, Call, Escalation, Evaluation, call_rollups
from aicaller.database.session import Database
from tests.factories import Tenant

FIRST = datetime(2026, 2, 20, tzinfo=UTC)  # before the US (03-08) and EU (03-29) DST changes
SECONDS = int(timedelta(days=50).total_seconds())
STATUSES = ("completed", "completed", "in_progress", "no_answer", "busy", "failed", "canceled",
            "queued", "ringing")  # fmt: skip
END_REASONS = (None, "caller_hangup", "transferred", "escalated", "agent_hangup")
# Binary fractions: a sum of them is exact in any order, so the QA average compares exactly.
SCORES = (None, 0.0, 55.5, 72.25, 100.0, 87.0)
ZONES = ("UTC", "America/New_York", "Europe/Berlin", "Asia/Kolkata", "Asia/Kathmandu",
         "Australia/Lord_Howe", "America/St_Johns")  # fmt: skip
METRICS = ["total_calls", "ai_containment_rate", "avg_qa_score", "avg_handle_time_seconds",
           "escalation_rate", "auto_fail_rate", "sentiment_unknown"]  # fmt: skip


def _call(rng: random.Random, business_id: uuid.UUID) -> Call:
    return Call(
        id=uuid.uuid4(),
        business_id=business_id,
        direction=rng.choice(("inbound", "inbound", "outbound", "web")),
        from_number=f"+1212555{rng.randrange(30):04d}",
        to_number="+12125550100",
        status=rng.choice(STATUSES),
        # Some on a slot's first or last second, and with microseconds.
        started_at=FIRST
        + timedelta(seconds=rng.choice((rng.randrange(SECONDS), 900 * rng.randrange(4800))))
        - timedelta(microseconds=rng.choice((0, 0, 1, 500_000))),
        duration_seconds=rng.choice((None, 0, 30, rng.randrange(1, 2000))),
        end_reason=rng.choice(END_REASONS),
        sentiment=rng.choice((None, "positive", "neutral", "negative")),
    )


async def _random_history(database: Database, business_id: uuid.UUID, seed: int) -> None:
    """Calls written, then edited, moved, deleted, escalated and evaluated, in separate
    transactions as the application does."""
    rng = random.Random(seed)  # noqa: S311 - test data
    calls = [_call(rng, business_id) for _ in range(400)]
    async with database.transaction() as session:
        session.add_all(calls)
        await session.flush()
        for call in rng.sample(calls, 60):
            session.add(Escalation(business_id=business_id, call_id=call.id, reason="help"))
        for call in rng.sample(calls, 150):
            for _ in range(rng.choice((1, 1, 2))):
                session.add(
                    Evaluation(
                        business_id=business_id,
                        call_id=call.id,
                        scorecard_name="Default",
                        evaluator=rng.choice(("ai", "ai", "human")),
                        score=rng.choice(SCORES),
                        auto_failed=rng.random() < 0.2,
                        created_at=call.started_at + timedelta(minutes=rng.randrange(1, 90)),
                    )
                )
    ids = [call.id for call in calls]
    async with database.transaction() as session:
        for call_id in rng.sample(ids, 80):  # status changes, as a call's life goes on
            await session.execute(
                update(Call)
                .where(Call.id == call_id)
                .values(status=rng.choice(STATUSES), duration_seconds=rng.randrange(0, 900))
            )
        for call_id in rng.sample(ids, 40):  # moved to another slot (an import's correction)
            await session.execute(
                update(Call)
                .where(Call.id == call_id)
                .values(started_at=FIRST + timedelta(seconds=rng.randrange(SECONDS)))
            )
        for call_id in rng.sample(ids, 30):  # edits that change no figure
            await session.execute(update(Call).where(Call.id == call_id).values(summary="edited"))
    async with database.transaction() as session:
        gone = rng.sample(ids, 40)
        await session.execute(delete(Call).where(Call.id.in_(gone)))
        escalations = (await session.execute(select(Escalation.id))).scalars().all()
        await session.execute(delete(Escalation).where(Escalation.id.in_(escalations[:15])))
        evaluations = (await session.execute(select(Evaluation.id))).scalars().all()
        await session.execute(delete(Evaluation).where(Evaluation.id.in_(evaluations[:25])))
        await session.execute(
            update(Evaluation).where(Evaluation.id.in_(evaluations[25:45])).values(score=44.5)
        )


async def _figures(
    database: Database, business_id: uuid.UUID, rollups: bool, span: DateRange, interval: Interval
) -> Any:
    """Every figure of the overview's dashboard and of its trends (more of them than it
    charts), from one runner."""
    async with database.transaction() as session:
        runner = Runner(session, business_id, rollups=rollups)
        built, dashboard = await trends(
            runner, span, METRICS, interval, 7, dashboard_at=datetime(2026, 6, 1, tzinfo=UTC)
        )
    assert dashboard is not None
    return [t.model_dump() for t in built], dashboard.model_dump()


@pytest.mark.parametrize("seed", [1, 2])
async def test_figures_from_rollups_equal_figures_from_calls(
    app: FastAPI, tenant: Tenant, seed: int
) -> None:
    database: Database = app.state.database
    await _random_history(database, tenant.business_id, seed)
    compared = 0
    for zone in ZONES:
        for first, last, interval in (
            (date(2026, 3, 1), date(2026, 3, 31), Interval.DAY),  # DST inside, both sides
            (date(2026, 3, 8), date(2026, 3, 8), Interval.HOUR),  # the US DST day
            (date(2026, 3, 29), date(2026, 3, 29), Interval.HOUR),  # the EU DST day
            (date(2026, 2, 23), date(2026, 4, 5), Interval.WEEK),
        ):
            span = DateRange(first, last, zone)
            assert aligned(boundaries(span, interval))
            assert aligned(summary_cuts(span))
            from_rollups = await _figures(database, tenant.business_id, True, span, interval)
            from_calls = await _figures(database, tenant.business_id, False, span, interval)
            assert from_rollups == from_calls
            compared += 1
    # Not a comparison of empty reports: the period holds most of the calls.
    async with database.transaction() as session:
        runner = Runner(session, tenant.business_id)
        (summary,), _ = await per_bucket_sets(
            runner, [([FIRST, FIRST + timedelta(seconds=SECONDS)], DASHBOARD_FIGURES)]
        )
    assert summary[0]["total_calls"] == 360
    assert summary[0]["evaluated_calls"]
    assert summary[0]["escalated_calls"]
    assert compared == len(ZONES) * 4


async def test_the_reports_read_the_rollups_when_the_cuts_fall_on_slots(
    app: FastAPI, tenant: Tenant
) -> None:
    """And the calls when they do not (Monrovia was 44 min 30 s behind UTC until 1972)."""
    database: Database = app.state.database
    await _random_history(database, tenant.business_id, 3)
    statements: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    event.listen(database.engine.sync_engine, "before_cursor_execute", record)
    try:
        kathmandu = DateRange(date(2026, 3, 1), date(2026, 3, 31), "Asia/Kathmandu")
        await _figures(database, tenant.business_id, True, kathmandu, Interval.DAY)
        # The dashboard's periods and the trends' days: one statement sums the rollups for all.
        assert sum("call_rollups" in s for s in statements) == 1
        assert not any("qa_auto_failed" in s for s in statements)  # the calls pass did not run
        statements.clear()
        monrovia = DateRange(date(1971, 3, 1), date(1971, 3, 31), "Africa/Monrovia")
        assert not aligned(summary_cuts(monrovia))
        fallback = await _figures(database, tenant.business_id, True, monrovia, Interval.DAY)
        assert not any("call_rollups" in s for s in statements)
        from_calls = await _figures(database, tenant.business_id, False, monrovia, Interval.DAY)
        assert fallback == from_calls
    finally:
        event.remove(database.engine.sync_engine, "before_cursor_execute", record)


async def test_rollups_count_every_call_once_and_go_with_their_business(
    app: FastAPI, tenant: Tenant, other_tenant: Tenant
) -> None:
    database: Database = app.state.database
    await _random_history(database, tenant.business_id, 4)
    await _random_history(database, other_tenant.business_id, 5)
    r = call_rollups.c
    async with database.transaction() as session:
        per_business = dict(
            (await session.execute(
                select(r.business_id, func.sum(r.calls)).group_by(r.business_id)
            )).tuples().all()
        )  # fmt: skip
        negative = await session.scalar(
            select(func.count())
            .select_from(call_rollups)
            .where((r.calls < 0) | (r.answered_calls < 0) | (r.escalated_calls < 0))
        )
    assert per_business == {tenant.business_id: 360, other_tenant.business_id: 360}
    assert negative == 0
    async with database.transaction() as session:
        await session.execute(delete(Business).where(Business.id == other_tenant.business_id))
    async with database.transaction() as session:
        left = (await session.execute(select(r.business_id).distinct())).scalars().all()
    assert left == [tenant.business_id]


async def test_the_setting_turns_the_rollups_off_with_the_same_dashboard(
    app: FastAPI, tenant: Tenant
) -> None:
    database: Database = app.state.database
    await _random_history(database, tenant.business_id, 6)
    statements: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    bodies = {}
    event.listen(database.engine.sync_engine, "before_cursor_execute", record)
    try:
        for rollups in (True, False):
            settings = app.state.settings.model_copy(update={"analytics_rollups": rollups})
            statements.clear()
            async with database.transaction() as session:
                service = AnalyticsService(session, tenant.business_id, None, settings)
                report = await service.dashboard(None, date(2026, 3, 1), date(2026, 3, 30))
            bodies[rollups] = report.body
            assert any("call_rollups" in s for s in statements) is rollups
    finally:
        event.remove(database.engine.sync_engine, "before_cursor_execute", record)
    assert bodies[True] == bodies[False]


async def test_a_union_of_too_many_cuts_sums_the_rollups_per_list_with_the_same_figures(
    app: FastAPI, tenant: Tenant
) -> None:
    """An hourly trend of three weeks and its summary: 505 cuts, more than one statement's
    tree should hold (``summed.MAX_FINE_CUTS``); each list reads the rollups on its own."""
    database: Database = app.state.database
    await _random_history(database, tenant.business_id, 7)
    span = DateRange(date(2026, 3, 1), date(2026, 3, 21), "Europe/Berlin")
    cuts = boundaries(span, Interval.HOUR)
    assert len(set(cuts) | set(summary_cuts(span))) > summed.MAX_FINE_CUTS
    statements: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    event.listen(database.engine.sync_engine, "before_cursor_execute", record)
    try:
        from_rollups = await _figures(database, tenant.business_id, True, span, Interval.HOUR)
        assert sum("call_rollups" in s for s in statements) >= 2
    finally:
        event.remove(database.engine.sync_engine, "before_cursor_execute", record)
    from_calls = await _figures(database, tenant.business_id, False, span, Interval.HOUR)
    assert from_rollups == from_calls
    assert any(point["value"] for point in from_rollups[0][0]["points"])  # not all empty


def test_the_fine_buckets_add_up_to_each_lists_buckets() -> None:
    """Fine buckets without a row (no calls in their slots) add nothing; a list's buckets are
    the sums of the fine buckets between its cuts."""
    day = timedelta(days=1)
    fine = [FIRST + day * i for i in range(6)]
    rows = {
        0: {"bucket": 0, "calls": 2},
        2: {"bucket": 2, "calls": 3},
        4: {"bucket": 4, "calls": 5},
    }
    assert summed.regroup(rows, fine, [fine[0], fine[3], fine[5]]) == {
        0: {"calls": 5},
        1: {"calls": 5},
    }
    assert summed.regroup(rows, fine, [fine[1], fine[2], fine[4]]) == {1: {"calls": 3}}
