"""A page deleted while the process still searches the matrix loaded before: the search
answers without it (its chunks' rows are gone), and without an error."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from aicaller.knowledge.embeddings import runtime, semantic
from aicaller.knowledge.embeddings.vectors import VectorIndex
from tests.factories import Tenant
from tests.knowledge.embeddings.conftest import configure, run_embedding, titles, upload
from tests.knowledge.embeddings.embedder import Embedder

VISITS = b"# Same-day visits\n\n## Mornings\nWe keep same-day visits every morning: phone at 8am.\n"
PARKING = b"# Parking\n\n## Where\nFree parking behind the building.\n"
QUESTION = "can I just drop in"  # no word of it on any page: found by meaning only


async def test_a_page_deleted_since_the_matrix_loaded_is_not_returned(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant, embedder: Embedder,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    await upload(client, tenant, "visits.md", VISITS)
    await upload(client, tenant, "parking.md", PARKING)
    assert (await configure(client, tenant, embedder)).status_code == 200
    await run_embedding(app, tenant.business_id)
    assert await titles(client, tenant, QUESTION) == ["Same-day visits"]  # matrix loaded

    documents = await client.get("/api/v1/knowledge/documents", headers=tenant.headers())
    [visits] = [doc for doc in documents.json()["items"] if doc["title"] == "Same-day visits"]
    deleted = await client.delete(
        f"/api/v1/knowledge/documents/{visits['id']}", headers=tenant.headers()
    )
    assert deleted.status_code == 204
    loading, original = asyncio.Event(), semantic.load_index

    async def slow_load(*args: Any) -> VectorIndex:
        await loading.wait()
        return await original(*args)

    monkeypatch.setattr(semantic, "load_index", slow_load)
    # The matrix from before the deletion still holds the page's vector, nearest of all.
    assert "Same-day visits" not in await titles(client, tenant, QUESTION)
    loading.set()
    installed = runtime.current()
    assert installed is not None
    await installed.settle()
    assert "Same-day visits" not in await titles(client, tenant, QUESTION)
