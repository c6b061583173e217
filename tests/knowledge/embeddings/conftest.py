"""An embeddings endpoint on 127.0.0.1 and the way the tests run the embedding jobs."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from aicaller.knowledge.embeddings import tasks
from aicaller.knowledge.embeddings.service import EMBED_JOB
from aicaller.worker import JobContext, JobResources
from tests.factories import Tenant
from tests.knowledge.embeddings.embedder import Embedder

EMBEDDINGS = "/api/v1/knowledge/embeddings"
SEARCH = "/api/v1/knowledge/search"


@pytest.fixture
async def embedder() -> AsyncIterator[Embedder]:
    async with Embedder() as peer:
        yield peer


def job_context(
    app: FastAPI, business_id: uuid.UUID | None, *, attempt: int = 1, max_attempts: int = 3
) -> JobContext:
    return JobContext(
        database=app.state.database,
        settings=app.state.settings,
        job_id=uuid.uuid4(),
        name=EMBED_JOB,
        attempt=attempt,
        max_attempts=max_attempts,
        business_id=business_id,
        worker_id="test",
        resources=JobResources(http=app.state.http),
    )


async def run_embedding(
    app: FastAPI, business_id: uuid.UUID, *, attempt: int = 1, max_attempts: int = 3
) -> dict[str, Any]:
    """Run the embedding job of the business as a worker would."""
    context = job_context(app, business_id, attempt=attempt, max_attempts=max_attempts)
    result = await tasks.embed_chunks(context, {})
    assert result is not None
    return result


async def upload(client: httpx.AsyncClient, tenant: Tenant, name: str, data: bytes) -> None:
    response = await client.post(
        "/api/v1/knowledge/documents", files={"file": (name, data)}, headers=tenant.headers()
    )
    assert response.status_code == 201, response.text


async def configure(
    client: httpx.AsyncClient, tenant: Tenant, embedder: Embedder, **extra: Any
) -> httpx.Response:
    body = {"base_url": embedder.base_url(), "model": "test-embedder", **extra}
    return await client.put(EMBEDDINGS, json=body, headers=tenant.headers())


async def titles(client: httpx.AsyncClient, tenant: Tenant, question: str) -> list[str]:
    found = await client.get(SEARCH, params={"q": question}, headers=tenant.headers("agent"))
    assert found.status_code == 200, found.text
    return [result["title"] for result in found.json()["results"]]
