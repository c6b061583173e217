"""Enqueue is a transactional outbox: the job and its notification exist only after the commit."""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from datetime import timedelta

import httpx
import pytest
from fastapi import FastAPI

from aicaller.api.deps import SessionDep
from aicaller.core.errors import Conflict
from aicaller.database.models import Business, Job
from aicaller.database.session import Database
from aicaller.database.types import utcnow
from aicaller.worker import cancel_job, enqueue, get_job, notify
from tests.worker.conftest import count_jobs, load_job


@pytest.fixture
def notified(db: Database) -> Iterator[list[notify.JobRef]]:
    """Every notification published for jobs committed through ``db``."""
    seen: list[notify.JobRef] = []

    def listener(refs: Sequence[notify.JobRef]) -> None:
        seen.extend(refs)

    notify.attach(db.engine, listener)
    yield seen
    notify.detach(db.engine, listener)


async def test_a_rolled_back_transaction_leaves_no_job_and_no_notification(
    db: Database, notified: list[notify.JobRef]
) -> None:
    async def enqueue_then_fail() -> None:
        async with db.transaction() as session:
            job = await enqueue(session, "reports.build", {"month": "2026-11"})
            assert job.status == "queued"
            raise RuntimeError("changed my mind")

    with pytest.raises(RuntimeError, match="changed my mind"):
        await enqueue_then_fail()
    assert await count_jobs(db) == 0
    assert notified == []

    # The same session object can go on: a later commit notifies only what it committed.
    async with db.sessionmaker() as session:
        await enqueue(session, "reports.build")
        await session.rollback()
        kept = await enqueue(session, "reports.build", {"n": 2})
        await session.commit()
    assert [ref.id for ref in notified] == [kept.id]
    assert await count_jobs(db) == 1


async def test_listeners_hear_of_a_job_only_after_its_commit(
    db: Database, notified: list[notify.JobRef]
) -> None:
    later = utcnow() + timedelta(minutes=5)
    async with db.transaction() as session:
        first = await enqueue(session, "mail.send", {"to": "ops"})
        second = await enqueue(session, "mail.send", run_at=later, max_attempts=2)
        assert notified == []
    assert [(ref.id, ref.attempts) for ref in notified] == [(first.id, 0), (second.id, 0)]
    assert notified[1].run_at == later
    stored = await load_job(db, second.id)
    assert (stored.status, stored.max_attempts, stored.run_at) == ("queued", 2, later)
    assert (await load_job(db, first.id)).payload == {"to": "ops"}


async def test_a_failed_request_enqueues_nothing(
    app: FastAPI, client: httpx.AsyncClient, database: Database
) -> None:
    async def enqueue_then_fail(session: SessionDep) -> None:
        await enqueue(session, "calls.summarize", {"call": "x"})
        raise Conflict("changed my mind")

    async def enqueue_and_succeed(session: SessionDep) -> dict[str, str]:
        job = await enqueue(session, "calls.summarize", {"call": "y"})
        return {"id": str(job.id)}

    app.add_api_route("/test-only/enqueue-fail", enqueue_then_fail, methods=["POST"])
    app.add_api_route("/test-only/enqueue-ok", enqueue_and_succeed, methods=["POST"])
    assert (await client.post("/test-only/enqueue-fail")).status_code == 409
    assert await count_jobs(database) == 0
    response = await client.post("/test-only/enqueue-ok")
    assert response.status_code == 200
    assert (await load_job(database, uuid.UUID(response.json()["id"]))).payload == {"call": "y"}


async def test_the_same_dedupe_key_returns_the_existing_job(
    db: Database, notified: list[notify.JobRef]
) -> None:
    async with db.transaction() as session:
        business = Business(name="Acme")
        session.add(business)
        await session.flush()
        first = await enqueue(session, "sync", {"a": 1}, business_id=business.id, dedupe_key="k1")
        again = await enqueue(session, "sync", {"a": 2}, dedupe_key="k1")
        assert again.id == first.id
    async with db.transaction() as session:
        later = await enqueue(session, "sync", {"a": 3}, dedupe_key="k1")
        # A conflict must not break the caller's transaction (PostgreSQL aborts on errors).
        other = await enqueue(session, "sync", dedupe_key="k2")
    assert later.id == first.id
    assert later.payload == {"a": 1}
    assert later.business_id == business.id
    assert await count_jobs(db) == 2
    assert [ref.id for ref in notified] == [first.id, other.id]


async def test_deleting_a_business_deletes_its_jobs(db: Database) -> None:
    async with db.transaction() as session:
        business = Business(name="Gone Soon")
        session.add(business)
        await session.flush()
        await enqueue(session, "x", business_id=business.id)
        await enqueue(session, "system.x")
    async with db.transaction() as session:
        await session.delete(business)
    assert await count_jobs(db) == 1
    assert await count_jobs(db, Job.business_id.is_(None)) == 1


async def test_invalid_jobs_are_refused(db: Database) -> None:
    async with db.transaction() as session:
        with pytest.raises(ValueError, match="job name"):
            await enqueue(session, "")
        with pytest.raises(ValueError, match="job name"):
            await enqueue(session, "x" * 201)
        with pytest.raises(ValueError, match="dedupe key"):
            await enqueue(session, "x", dedupe_key="k" * 256)
        with pytest.raises(ValueError, match="max_attempts"):
            await enqueue(session, "x", max_attempts=0)
        with pytest.raises(TypeError):
            await enqueue(session, "x", {"when": object()})
    assert await count_jobs(db) == 0


async def test_cancel_only_touches_unfinished_jobs(db: Database) -> None:
    async with db.transaction() as session:
        job = await enqueue(session, "x")
    async with db.transaction() as session:
        assert await cancel_job(session, job.id)
    async with db.transaction() as session:
        assert not await cancel_job(session, job.id)
        assert not await cancel_job(session, uuid.uuid4())
        cancelled = await get_job(session, job.id)
    assert cancelled is not None
    assert cancelled.status == "cancelled"
    assert cancelled.finished_at is not None
