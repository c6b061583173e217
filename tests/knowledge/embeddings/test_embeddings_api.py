"""An admin sets the business's embeddings endpoint; its chunks are embedded; search then
finds a page by meaning where no word matches, for that business only. The key is stored
encrypted and never returned; bad settings are refused with nothing stored."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from aicaller.database.models import ChunkEmbedding, EmbeddingConfig
from aicaller.database.session import Database
from aicaller.knowledge.embeddings import runtime, semantic
from aicaller.knowledge.embeddings.vectors import VectorIndex
from tests.core.http_peer import Reply
from tests.factories import Tenant
from tests.helpers import count_rows
from tests.knowledge.embeddings.conftest import (
    EMBEDDINGS,
    configure,
    run_embedding,
    titles,
    upload,
)
from tests.knowledge.embeddings.embedder import PATH, Embedder

VISITS = b"# Same-day visits\n\n## Mornings\nWe keep same-day visits every morning: phone at 8am.\n"
PARKING = b"# Parking\n\n## Where\nFree parking behind the building.\n"
FEES = b"# Fees\n\n## Check-up\nA check-up costs 40 dollars.\n"
QUESTION = "can I just drop in"  # no word of it on any page


async def test_search_finds_the_page_by_meaning_once_the_chunks_are_embedded(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant, other_tenant: Tenant,
    embedder: Embedder, database: Database,
) -> None:  # fmt: skip
    for owner in (tenant, other_tenant):
        for name, data in (("visits.md", VISITS), ("parking.md", PARKING), ("fees.md", FEES)):
            await upload(client, owner, name, data)
    assert await titles(client, tenant, QUESTION) == []  # lexical only: nothing matches

    response = await configure(client, tenant, embedder, api_key="sk-test-123")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["configured"] is True
    assert (body["model"], body["dimensions"], body["api_key_set"]) == ("test-embedder", 64, True)
    assert "sk-test-123" not in response.text
    assert (body["chunks"], body["embedded"]) == (3, 0)
    async with database.transaction() as session:
        stored = (await session.execute(select(EmbeddingConfig.api_key_encrypted))).scalar_one()
    assert stored is not None
    assert "sk-test-123" not in stored  # encrypted at rest
    assert embedder.requests[0].headers["authorization"] == "Bearer sk-test-123"

    # Before the job ran: no vectors yet, so search stays lexical.
    assert await titles(client, tenant, QUESTION) == []
    assert await run_embedding(app, tenant.business_id) == {"status": "idle", "embedded": 3}
    status = (await client.get(EMBEDDINGS, headers=tenant.headers("supervisor"))).json()
    assert (status["status"], status["embedded"], status["last_error"]) == ("idle", 3, None)

    assert await titles(client, tenant, QUESTION) == ["Same-day visits"]
    assert await titles(client, tenant, "what is your tariff") == ["Fees"]
    # Lexical evidence still counts: a page named by the question's own words.
    assert (await titles(client, tenant, "parking"))[0] == "Parking"
    # The other business configured nothing: its search is lexical, its status empty.
    assert await titles(client, other_tenant, QUESTION) == []
    other = (await client.get(EMBEDDINGS, headers=other_tenant.headers())).json()
    assert (other["configured"], other["embedded"]) == (False, 0)

    # A document uploaded later is embedded by the next job, only it.
    await upload(client, tenant, "hours.md", b"# Hours\n\nOpen every weekday.\n")
    sent = len(embedder.inputs())
    assert (await run_embedding(app, tenant.business_id))["embedded"] == 1
    assert len(embedder.inputs()) == sent + 1

    gone = await client.delete(EMBEDDINGS, headers=tenant.headers())
    assert gone.status_code == 204
    assert await count_rows(database, ChunkEmbedding) == 0
    assert await titles(client, tenant, QUESTION) == []  # lexical again
    assert (await client.delete(EMBEDDINGS, headers=tenant.headers())).status_code == 404
    retry = await client.post(f"{EMBEDDINGS}/retry", headers=tenant.headers())
    assert retry.status_code == 404
    assert retry.json()["code"] == "embeddings_not_configured"


async def test_a_question_about_nothing_on_the_site_gets_no_semantic_result(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant, embedder: Embedder
) -> None:
    await upload(client, tenant, "visits.md", VISITS)
    assert (await configure(client, tenant, embedder)).status_code == 200
    await run_embedding(app, tenant.business_id)
    assert await titles(client, tenant, "do you repair tractors") == []


@pytest.mark.parametrize(
    "body",
    [
        ({"base_url": "ftp://127.0.0.1/v1", "model": "m"}),
        ({"base_url": "http://127.0.0.1/v1/embeddings", "model": "m"}),
        ({"base_url": "http://127.0.0.1/v1?key=1", "model": "m"}),
        ({"base_url": "http://127.0.0.1/v1", "model": ""}),
        (
            {"base_url": "http://127.0.0.1/v1", "model": "m", "min_similarity": 2},
            "validation_error",
        ),
        ({"base_url": "http://127.0.0.1/v1", "model": "m", "extra": 1}),
        ({"model": "m"}),
    ],
)
async def test_bad_settings_are_refused_and_nothing_is_stored(
    client: httpx.AsyncClient, tenant: Tenant, database: Database, body: dict[str, object]
) -> None:
    response = await client.put(EMBEDDINGS, json=body, headers=tenant.headers())
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"] == "validation_error"
    assert await count_rows(database, EmbeddingConfig) == 0


@pytest.mark.parametrize(
    "reply",
    [
        Reply(401, body=b'{"error": {"message": "bad key"}}'),
        Reply(200, {"Content-Type": "application/json"}, b'{"data": []}'),
        Reply(200, {"Content-Type": "application/json"}, b"not json"),
        Reply(200, {"Content-Type": "application/json"}, b'{"data": [{"embedding": "x"}]}'),
        Reply(drop=True),
    ],
)
async def test_an_endpoint_that_does_not_answer_embeddings_is_refused(
    client: httpx.AsyncClient, tenant: Tenant, database: Database, embedder: Embedder,
    reply: Reply,
) -> None:  # fmt: skip
    embedder.route(PATH, reply)
    response = await configure(client, tenant, embedder)
    assert response.status_code == 422, response.text
    assert response.json()["code"] == "embeddings_endpoint_failed"
    assert await count_rows(database, EmbeddingConfig) == 0


async def test_only_an_admin_sets_the_endpoint_and_staff_below_supervisor_cannot_read_it(
    client: httpx.AsyncClient, tenant: Tenant, embedder: Embedder
) -> None:
    body = {"base_url": embedder.base_url(), "model": "m"}
    for role in ("supervisor", "agent", "viewer"):
        refused = await client.put(EMBEDDINGS, json=body, headers=tenant.headers(role))
        assert refused.status_code == 403, role
    assert (await client.get(EMBEDDINGS, headers=tenant.headers("agent"))).status_code == 403
    assert (await client.get(EMBEDDINGS)).status_code == 401
    assert embedder.requests == []


async def test_after_a_change_the_previous_matrix_serves_until_the_new_one_is_loaded(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant, embedder: Embedder,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    await upload(client, tenant, "visits.md", VISITS)
    assert (await configure(client, tenant, embedder)).status_code == 200
    await run_embedding(app, tenant.business_id)
    assert await titles(client, tenant, QUESTION) == ["Same-day visits"]  # loaded in the search

    await upload(client, tenant, "fees.md", FEES)
    await run_embedding(app, tenant.business_id)
    loading, original = asyncio.Event(), semantic.load_index

    async def slow_load(*args: Any) -> VectorIndex:
        await loading.wait()
        return await original(*args)

    monkeypatch.setattr(semantic, "load_index", slow_load)
    # The search does not wait for the new matrix: the one before answers, without the fees.
    assert await titles(client, tenant, "what is your tariff") == []
    assert await titles(client, tenant, QUESTION) == ["Same-day visits"]
    loading.set()
    await app.state.embeddings.settle()  # the runtime of the app that serves the requests
    assert await titles(client, tenant, "what is your tariff") == ["Fees"]


async def test_a_request_searches_with_its_own_apps_runtime_when_another_app_started_later(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant, embedder: Embedder
) -> None:
    """A process may run several apps (the CLI beside a server, the suite's one per database):
    each request uses the runtime of the app serving it, not the one installed last."""
    await upload(client, tenant, "visits.md", VISITS)
    assert (await configure(client, tenant, embedder)).status_code == 200
    await run_embedding(app, tenant.business_id)
    own = app.state.embeddings
    later = runtime.install(own.http, own.secret_box, own.settings)
    try:
        assert runtime.current() is later  # outside any request: the last one installed
        assert await titles(client, tenant, QUESTION) == ["Same-day visits"]
        assert own.question(embedder.base_url(), "test-embedder", QUESTION) is not None
        assert later.question(embedder.base_url(), "test-embedder", QUESTION) is None
    finally:
        runtime.uninstall(later)
