"""Idempotency-Key on call actions: replay, reuse with another request, concurrency, expiry."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import update

from aicaller.database.models import Call, CallNote, Escalation, IdempotencyRecord
from aicaller.database.session import Database
from aicaller.idempotency.repository import purge_expired
from aicaller.idempotency.tasks import PURGE_JOB
from aicaller.telephony.simulated import SimulatedProvider
from aicaller.worker import registry
from tests.factories import Tenant
from tests.helpers import count_rows

INITIATE = "/api/v1/calls/initiate"
BODY = {"to_number": "+14155550199", "metadata": {"ticket": 42}}


def _placed(app: FastAPI) -> int:
    provider: SimulatedProvider = app.state.telephony
    return provider.count("place")


def _headers(tenant: Tenant, key: str, role: str = "admin") -> dict[str, str]:
    return {**tenant.headers(role), "Idempotency-Key": key}


async def test_a_retry_replays_the_first_response(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant
) -> None:
    first = await client.post(INITIATE, json=BODY, headers=_headers(tenant, "order-17"))
    assert first.status_code == 201
    assert "idempotent-replayed" not in first.headers
    # Same request with its keys in another order and as another user of the business.
    reordered = {"metadata": {"ticket": 42}, "to_number": "+14155550199"}
    again = await client.post(
        INITIATE, json=reordered, headers=_headers(tenant, "order-17", "supervisor")
    )
    assert again.status_code == 201
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json() == first.json()
    assert await count_rows(app.state.database, Call) == 1
    assert _placed(app) == 1


async def test_the_same_key_with_another_request_is_rejected(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant
) -> None:
    first = await client.post(INITIATE, json=BODY, headers=_headers(tenant, "k-1"))
    assert first.status_code == 201
    other_body = {**BODY, "to_number": "+14155550100"}
    reused = await client.post(INITIATE, json=other_body, headers=_headers(tenant, "k-1"))
    assert reused.status_code == 422
    assert reused.json()["code"] == "idempotency_key_reused"
    # ...including on another endpoint.
    ended = await client.post(
        f"/api/v1/calls/{first.json()['id']}/end", headers=_headers(tenant, "k-1")
    )
    assert ended.status_code == 422
    assert await count_rows(app.state.database, Call) == 1
    assert _placed(app) == 1
    detail = await client.get(f"/api/v1/calls/{first.json()['id']}", headers=tenant.headers())
    assert detail.json()["status"] == "in_progress"


async def test_keys_belong_to_one_business(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant, other_tenant: Tenant
) -> None:
    mine = await client.post(INITIATE, json=BODY, headers=_headers(tenant, "shared"))
    theirs = await client.post(INITIATE, json=BODY, headers=_headers(other_tenant, "shared"))
    assert theirs.status_code == 201
    assert "idempotent-replayed" not in theirs.headers
    assert theirs.json()["id"] != mine.json()["id"]
    assert _placed(app) == 2


async def test_ten_concurrent_identical_requests_place_one_call(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant
) -> None:
    headers = _headers(tenant, "burst")
    responses = await asyncio.gather(
        *(client.post(INITIATE, json=BODY, headers=headers) for _ in range(10))
    )
    assert [r.status_code for r in responses] == [201] * 10, [r.text for r in responses]
    assert len({r.json()["id"] for r in responses}) == 1
    assert sum(1 for r in responses if "idempotent-replayed" not in r.headers) == 1
    assert await count_rows(app.state.database, Call) == 1
    assert await count_rows(app.state.database, IdempotencyRecord) == 1
    assert _placed(app) == 1


async def test_a_retried_end_replays_instead_of_conflicting(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant
) -> None:
    call = (await client.post(INITIATE, json=BODY, headers=tenant.headers())).json()
    url = f"/api/v1/calls/{call['id']}/end"
    first = await client.post(url, headers=_headers(tenant, "hang-up"))
    second = await client.post(url, headers=_headers(tenant, "hang-up"))
    assert first.status_code == second.status_code == 200
    assert second.json() == first.json()
    without_key = await client.post(url, headers=tenant.headers())
    assert without_key.status_code == 409


@pytest.mark.parametrize("key", [b"", b"x" * 256, b"has space", "ünïcode".encode()])
async def test_malformed_keys_are_rejected(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant, key: bytes
) -> None:
    headers = {name.encode(): value.encode() for name, value in tenant.headers().items()}
    headers[b"Idempotency-Key"] = key
    response = await client.post(INITIATE, json=BODY, headers=headers)
    assert response.status_code == 422, response.text
    assert await count_rows(app.state.database, Call) == 0
    assert _placed(app) == 0


async def _expire_all(database: Database) -> None:
    past = datetime.now(UTC) - timedelta(seconds=1)
    async with database.transaction() as session:
        await session.execute(update(IdempotencyRecord).values(expires_at=past))


async def test_an_expired_key_starts_over(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant
) -> None:
    first = await client.post(INITIATE, json=BODY, headers=_headers(tenant, "old"))
    await _expire_all(app.state.database)
    other_body = {**BODY, "to_number": "+14155550100"}
    fresh = await client.post(INITIATE, json=other_body, headers=_headers(tenant, "old"))
    assert fresh.status_code == 201
    assert "idempotent-replayed" not in fresh.headers
    assert fresh.json()["id"] != first.json()["id"]
    assert await count_rows(app.state.database, IdempotencyRecord) == 1


async def test_expired_records_are_purged_hourly(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant
) -> None:
    for key in ("a", "b"):
        await client.post(INITIATE, json=BODY, headers=_headers(tenant, key))
    database: Database = app.state.database
    async with database.transaction() as session:
        assert await purge_expired(session, datetime.now(UTC)) == 0
    await _expire_all(database)
    async with database.transaction() as session:
        assert await purge_expired(session, datetime.now(UTC)) == 2
    assert await count_rows(database, IdempotencyRecord) == 0
    schedules = {entry.job: entry for entry in registry.schedules()}
    assert schedules[PURGE_JOB].every == timedelta(hours=1)


async def test_record_note_and_escalation_posts_honour_keys(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant
) -> None:
    record = {"direction": "inbound", "from_number": "+14155550123", "to_number": "+14155550124"}
    first = await client.post("/api/v1/calls", json=record, headers=_headers(tenant, "import-1"))
    again = await client.post("/api/v1/calls", json=record, headers=_headers(tenant, "import-1"))
    assert first.status_code == again.status_code == 201
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json() == first.json()
    call_id = first.json()["id"]
    database: Database = app.state.database
    for path, body, model in (
        ("notes", {"body": "Called back"}, CallNote),
        ("escalations", {"reason": "Wants a manager"}, Escalation),
    ):
        url = f"/api/v1/calls/{call_id}/{path}"
        responses = [
            await client.post(url, json=body, headers=_headers(tenant, f"{path}-1", "agent"))
            for _ in range(3)
        ]
        assert {r.status_code for r in responses} == {201}
        assert len({r.json()["id"] for r in responses}) == 1
        assert await count_rows(database, model) == 1
    assert await count_rows(database, Call) == 1
