"""Periodic jobs: one job row per slot, however many runners tick."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from aicaller.config import Settings
from aicaller.database.models import Job
from aicaller.database.session import Database
from aicaller.worker import JobContext, JobRegistry, Schedule
from aicaller.worker.maintenance import Scheduler
from tests.worker.conftest import RunnerFactory, count_jobs, wait_until


def test_slots_align_to_the_interval_or_the_cron_expression() -> None:
    now = datetime(2026, 11, 26, 10, 7, 30, 500_000, tzinfo=UTC)
    every_5_min = Schedule("s", "j", every=timedelta(minutes=5))
    assert every_5_min.slot(now) == datetime(2026, 11, 26, 10, 5, tzinfo=UTC)
    assert every_5_min.dedupe_key(every_5_min.slot(now)) == "s@2026-11-26T10:05:00+00:00"
    hourly_cron = Schedule("h", "j", cron="0 * * * *")
    assert hourly_cron.slot(now) == datetime(2026, 11, 26, 10, tzinfo=UTC)
    on_the_dot = datetime(2026, 11, 26, 10, 0, 0, tzinfo=UTC)
    assert hourly_cron.slot(on_the_dot) == on_the_dot
    every_2_s = Schedule("t", "j", cron="* * * * * */2")  # croniter's optional seconds field
    assert every_2_s.slot(now) == datetime(2026, 11, 26, 10, 7, 30, tzinfo=UTC)


def test_schedules_are_validated() -> None:
    registry = JobRegistry()
    with pytest.raises(ValueError, match="exactly one"):
        registry.schedule("j")
    with pytest.raises(ValueError, match="exactly one"):
        registry.schedule("j", every=timedelta(seconds=1), cron="* * * * *")
    with pytest.raises(ValueError, match="positive"):
        registry.schedule("j", every=timedelta(0))
    with pytest.raises(ValueError, match="invalid cron"):
        registry.schedule("j", cron="every tuesday")
    registry.schedule("j", every=timedelta(hours=1), payload={"a": 1})
    registry.schedule("j", every=timedelta(hours=1), payload={"a": 1})  # same again is fine
    with pytest.raises(ValueError, match="different schedule"):
        registry.schedule("j", every=timedelta(hours=2))
    registry.schedule("j", every=timedelta(hours=2), key="j-slow")
    assert [entry.key for entry in registry.schedules()] == ["j", "j-slow"]
    with pytest.raises(ValueError, match="neither"):
        Schedule("broken", "j").slot(datetime.now(UTC))


async def test_concurrent_schedulers_create_exactly_one_job_per_slot(
    db: Database, other_db: Database
) -> None:
    registry = JobRegistry()
    registry.schedule("reports.nightly", cron="0 3 * * *", payload={"kind": "nightly"})
    registry.schedule("sync.all", every=timedelta(minutes=10), max_attempts=2)
    start = datetime(2026, 11, 26, 2, 55, tzinfo=UTC)
    # Two processes' schedulers (fresh ones each round, so none skips the database), ticking
    # at the same instants across 4 hours.
    for minute in range(0, 240, 5):
        now = start + timedelta(minutes=minute)
        await asyncio.gather(
            Scheduler(db, registry).tick(now), Scheduler(other_db, registry).tick(now)
        )
    async with db.transaction() as session:
        jobs = (await session.execute(select(Job))).scalars().all()
    nightly = sorted(job.dedupe_key or "" for job in jobs if job.name == "reports.nightly")
    # The first tick (02:55) creates the latest slot before it, yesterday 03:00; 03:00 follows.
    assert nightly == [
        "reports.nightly@2026-11-25T03:00:00+00:00",
        "reports.nightly@2026-11-26T03:00:00+00:00",
    ]
    sync_runs = [job for job in jobs if job.name == "sync.all"]
    assert len(sync_runs) == 25  # 02:50, 03:00, ..., 06:50: one per 10-minute slot
    assert len({job.dedupe_key for job in sync_runs}) == 25
    assert {job.max_attempts for job in sync_runs} == {2}


async def test_two_runners_run_each_slot_once(
    db: Database,
    other_db: Database,
    fast_settings: Settings,
    start_runner: RunnerFactory,
) -> None:
    registry = JobRegistry()
    runs: list[dict[str, Any]] = []

    @registry.job("heartbeat.ping")
    async def ping(ctx: JobContext, payload: dict[str, Any]) -> None:
        runs.append(payload)

    registry.schedule("heartbeat.ping", every=timedelta(milliseconds=400), payload={"p": 1})
    first = await start_runner(db, fast_settings, registry)
    second = await start_runner(other_db, fast_settings, registry)
    await wait_until(lambda: _jobs_with_status(db, "succeeded", at_least=3), within=10)
    await first.stop()
    await second.stop()
    # Only this schedule's jobs: the suite's app shares the database and runs its own sweeps.
    async with db.transaction() as session:
        found = await session.execute(select(Job.dedupe_key).where(Job.name == "heartbeat.ping"))
        keys = found.scalars().all()
    assert len(keys) == len(set(keys))
    assert all(key is not None and key.startswith("heartbeat.ping@") for key in keys)
    ran = await count_jobs(db, Job.status == "succeeded", Job.name == "heartbeat.ping")
    assert len(runs) == ran
    assert all(payload == {"p": 1} for payload in runs)


async def _jobs_with_status(database: Database, status: str, at_least: int) -> bool:
    return await count_jobs(database, Job.status == status) >= at_least
