"""Embedding runs in batches as a job whose state is in the database: a failed attempt keeps
what it stored and the next one goes on from there; after the last attempt the status says
failed, until the sweep or an admin retries. A search while the endpoint is down answers
from the lexical index, logs once, and stops asking for a while."""

from __future__ import annotations

import logging
from datetime import timedelta

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import update

from aicaller.core.errors import AppError
from aicaller.database.models import ChunkEmbedding, EmbeddingConfig, Job
from aicaller.database.session import Database
from aicaller.database.types import utcnow
from aicaller.knowledge.embeddings import client as embeddings_client
from aicaller.knowledge.embeddings import tasks
from aicaller.knowledge.embeddings.repository import businesses_to_index
from tests.core.http_peer import Reply
from tests.factories import Tenant
from tests.helpers import count_rows
from tests.knowledge.embeddings.conftest import (
    EMBEDDINGS,
    configure,
    job_context,
    run_embedding,
    titles,
    upload,
)
from tests.knowledge.embeddings.embedder import PATH, Embedder

PAGES = [
    (f"page{index}.md", f"# Page {index}\n\nSame-day visits, note {index}.\n".encode())
    for index in range(5)
]


async def _jobs(database: Database) -> int:
    return await count_rows(database, Job)


@pytest.fixture
def batches_of_two(app: FastAPI, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(app.state.settings, "embeddings_batch_size", 2)


@pytest.mark.usefixtures("batches_of_two")
async def test_a_failed_batch_is_retried_from_where_it_stopped_then_marked_failed(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant, embedder: Embedder,
    database: Database, monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    for name, data in PAGES:
        await upload(client, tenant, name, data)
    assert (await configure(client, tenant, embedder)).status_code == 200
    # The first batch is answered, then the endpoint fails.
    await _embed_one_batch_then_fail(app, tenant, embedder, monkeypatch)
    assert await count_rows(database, ChunkEmbedding) == 2
    status = (await client.get(EMBEDDINGS, headers=tenant.headers())).json()
    assert status["status"] == "indexing"
    assert "500" in status["last_error"]

    with pytest.raises(AppError):  # the last attempt
        await run_embedding(app, tenant.business_id, attempt=3, max_attempts=3)
    status = (await client.get(EMBEDDINGS, headers=tenant.headers())).json()
    assert (status["status"], status["embedded"], status["chunks"]) == ("failed", 2, 5)
    assert status["failed_at"] is not None

    # Failed recently: the sweep leaves it alone; an admin's retry does not wait.
    async with database.transaction() as session:
        assert await businesses_to_index(session, utcnow() - timedelta(minutes=15)) == []
    embedder.routes.clear()
    async with database.transaction() as session:  # the jobs enqueued so far have run
        await session.execute(update(Job).values(status="succeeded"))
    jobs = await _jobs(database)
    retried = await client.post(f"{EMBEDDINGS}/retry", headers=tenant.headers())
    assert retried.status_code == 200
    assert (retried.json()["status"], retried.json()["last_error"]) == ("idle", None)
    assert await _jobs(database) == jobs + 1
    sent = len(embedder.inputs())
    assert await run_embedding(app, tenant.business_id) == {"status": "idle", "embedded": 3}
    assert [len(batch) for batch in embedder.inputs()[sent:]] == [2, 1]  # only the rest
    assert await count_rows(database, ChunkEmbedding) == 5


async def _embed_one_batch_then_fail(
    app: FastAPI, tenant: Tenant, embedder: Embedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = embeddings_client.embed
    calls = 0

    async def first_then_failing(*args: object, **kwargs: object) -> list[list[float]]:
        nonlocal calls
        calls += 1
        if calls == 2:
            embedder.route(PATH, Reply(500, body=b"overloaded"))
        return await original(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(tasks, "embed", first_then_failing)
    with pytest.raises(AppError):
        await run_embedding(app, tenant.business_id)


async def test_the_sweep_starts_embedding_after_new_chunks_and_failed_ones_after_a_wait(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant, other_tenant: Tenant,
    embedder: Embedder, database: Database,
) -> None:  # fmt: skip
    assert (await configure(client, tenant, embedder)).status_code == 200
    await upload(client, other_tenant, "visits.md", PAGES[0][1])  # no endpoint: never indexed
    async with database.transaction() as session:
        assert await businesses_to_index(session, utcnow()) == []  # nothing to embed
    await upload(client, tenant, "visits.md", PAGES[0][1])  # the upload enqueues a job itself
    async with database.transaction() as session:
        assert await businesses_to_index(session, utcnow()) == [tenant.business_id]
        await session.execute(
            update(EmbeddingConfig).values(status="failed", failed_at=utcnow() - timedelta(hours=1))
        )
        assert await businesses_to_index(session, utcnow() - timedelta(minutes=15)) == [
            tenant.business_id
        ]
        assert await businesses_to_index(session, utcnow() - timedelta(hours=2)) == []
    # One job waits already (the upload's): the sweep adds no second one.
    jobs = await _jobs(database)
    assert await _sweep(app) == {"started": 0}
    assert await _jobs(database) == jobs
    await run_embedding(app, tenant.business_id)
    assert await _sweep(app) == {"started": 0}  # nothing left to embed


async def _sweep(app: FastAPI) -> dict[str, object]:
    result = await tasks.embed_pending(job_context(app, None), {})
    assert result is not None
    return result


async def test_search_answers_lexically_while_the_endpoint_is_down_and_logs_once(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant, embedder: Embedder,
    caplog: pytest.LogCaptureFixture,
) -> None:  # fmt: skip
    await upload(client, tenant, "visits.md", PAGES[0][1])
    await upload(client, tenant, "fees.md", b"# Fees\n\nA check-up costs 40 dollars.\n")
    assert (await configure(client, tenant, embedder)).status_code == 200
    await run_embedding(app, tenant.business_id)
    assert await titles(client, tenant, "what do you charge") == ["Fees"]  # semantic

    embedder.route(PATH, Reply(503))
    asked = len(embedder.requests)
    with caplog.at_level(logging.WARNING):
        assert await titles(client, tenant, "can I drop in on monday") == []
        assert await titles(client, tenant, "visits on monday") == ["Page 0"]  # lexical
    assert len(embedder.requests) == asked + 1  # asked once, then left alone for a while
    warnings = [r for r in caplog.records if "embeddings_unavailable" in r.getMessage()]
    assert len(warnings) == 1
