"""Create, read, change and delete call records; bad input changes nothing."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from aicaller.database.models import Call, CallNote, Escalation, TranscriptTurn
from aicaller.database.session import Database
from tests.calls.seed import add_escalations, add_notes
from tests.factories import Tenant, create_api_key
from tests.helpers import count_rows

CALLS = "/api/v1/calls"
NEW_CALL: dict[str, Any] = {
    "direction": "inbound",
    "from_number": "+14155550123",
    "to_number": "+442071838750",
    "status": "completed",
    "started_at": "2026-03-10T12:00:00Z",
    "answered_at": "2026-03-10T12:00:05Z",
    "ended_at": "2026-03-10T12:03:05+00:00",
    "summary": "Asked about opening hours",
    "sentiment": "positive",
    "resolved_by_ai": True,
    "metadata": {"crm_id": "A-17", "tags": ["hours"]},
    "transcript": [
        {"speaker": "agent", "text": "Hello, Acme Plumbing.", "offset_ms": 0},
        {"speaker": "caller", "text": "When are you open?", "offset_ms": 2100, "confidence": 0.9},
        {"speaker": "agent", "text": "9 to 5.", "offset_ms": 4000, "sources": ["doc:hours"]},
    ],
}


async def _create(client: httpx.AsyncClient, tenant: Tenant, **overrides: Any) -> dict[str, Any]:
    response = await client.post(CALLS, json={**NEW_CALL, **overrides}, headers=tenant.headers())
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_create_and_read_a_call(client: httpx.AsyncClient, tenant: Tenant) -> None:
    created = await _create(client, tenant)
    assert created["duration_seconds"] == 180  # from answered_at to ended_at
    assert created["metadata"] == NEW_CALL["metadata"]
    assert created["provider"] == "simulated"
    assert created["notes_count"] == 0
    assert created["escalation_state"] is None
    assert [t["sequence"] for t in created["transcript"]] == [0, 1, 2]

    detail = (await client.get(f"{CALLS}/{created['id']}", headers=tenant.headers("viewer"))).json()
    assert detail == created
    assert detail["started_at"] == "2026-03-10T12:00:00Z"
    assert detail["transcript"][2]["sources"] == ["doc:hours"]

    page = (await client.get(CALLS, headers=tenant.headers("agent"))).json()
    assert [item["id"] for item in page["items"]] == [created["id"]]
    assert "transcript" not in page["items"][0]


async def test_minimal_create_defaults(client: httpx.AsyncClient, tenant: Tenant) -> None:
    body = {"direction": "outbound", "from_number": "+14155550123", "to_number": "+14155550124"}
    response = await client.post(CALLS, json=body, headers=tenant.headers("supervisor"))
    assert response.status_code == 201, response.text
    created = response.json()
    assert created["status"] == "queued"
    assert created["started_at"] is not None
    assert created["duration_seconds"] is None
    assert created["metadata"] == {}


async def test_patch_fields_and_status_transitions(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    call = await _create(client, tenant, status="queued", answered_at=None, ended_at=None)
    url = f"{CALLS}/{call['id']}"
    changed = await client.patch(
        url,
        json={"summary": "New", "sentiment": "negative", "metadata": {"a": 1}},
        headers=tenant.headers(),
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["summary"] == "New"
    assert changed.json()["metadata"] == {"a": 1}
    for status in ("ringing", "in_progress", "completed"):
        response = await client.patch(url, json={"status": status}, headers=tenant.headers())
        assert response.status_code == 200, response.text
    final = response.json()
    assert final["answered_at"] is not None
    assert final["ended_at"] is not None
    assert final["duration_seconds"] is not None


INVALID_TRANSITIONS = [
    ("completed", "ringing"),
    ("canceled", "queued"),
    ("queued", "completed"),
    ("ringing", "queued"),
    ("in_progress", "busy"),
]


async def test_invalid_transition_is_409_and_changes_nothing(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    for start, target in INVALID_TRANSITIONS:
        call = await _create(client, tenant, status=start)
        url = f"{CALLS}/{call['id']}"
        response = await client.patch(
            url, json={"status": target, "summary": "must not stick"}, headers=tenant.headers()
        )
        assert response.status_code == 409, (start, target)
        assert response.json()["code"] == "invalid_transition"
        after = (await client.get(url, headers=tenant.headers())).json()
        assert after == call


async def test_delete_cascades(
    client: httpx.AsyncClient, tenant: Tenant, database: Database
) -> None:
    call = await _create(client, tenant)
    call_id = uuid.UUID(call["id"])
    await add_notes(database, tenant.business_id, call_id, 2)
    await add_escalations(database, tenant.business_id, call_id, ["open"])
    keep = await _create(client, tenant)
    response = await client.delete(f"{CALLS}/{call_id}", headers=tenant.headers())
    assert response.status_code == 204
    assert (await client.get(f"{CALLS}/{call_id}", headers=tenant.headers())).status_code == 404
    assert await count_rows(database, Call) == 1
    assert await count_rows(database, TranscriptTurn) == len(keep["transcript"])
    assert await count_rows(database, CallNote) == 0
    assert await count_rows(database, Escalation) == 0


BAD_BODIES = [
    {**NEW_CALL, "from_number": "4155550123"},
    {**NEW_CALL, "to_number": "+1 415 555 0123"},
    {**NEW_CALL, "from_number": "+10000000000"},
    {**NEW_CALL, "unknown": 1},
    {**NEW_CALL, "direction": "sideways"},
    {**NEW_CALL, "status": "done"},
    {**NEW_CALL, "sentiment": "angry"},
    {**NEW_CALL, "started_at": "2026-03-10T12:00:00"},  # naive
    {**NEW_CALL, "ended_at": "2026-03-10T11:00:00Z"},  # before started_at
    {**NEW_CALL, "duration_seconds": -1},
    {**NEW_CALL, "transcript": [{"speaker": "robot", "text": "hi"}]},
    {**NEW_CALL, "transcript": [{"speaker": "agent", "text": "hi", "confidence": 2}]},
    {**NEW_CALL, "summary": "nul \u0000 here"},
]


async def test_bad_create_is_422_and_stores_nothing(
    client: httpx.AsyncClient, tenant: Tenant, database: Database
) -> None:
    for body in BAD_BODIES:
        response = await client.post(CALLS, json=body, headers=tenant.headers())
        assert response.status_code == 422, (body, response.text)
    assert await count_rows(database, Call) == 0
    assert await count_rows(database, TranscriptTurn) == 0


async def test_bad_patch_and_unknown_ids(client: httpx.AsyncClient, tenant: Tenant) -> None:
    call = await _create(client, tenant)
    url = f"{CALLS}/{call['id']}"
    for body in ({"status": None}, {"sentiment": "meh"}, {"bogus": True}, {"metadata": None}):
        response = await client.patch(url, json=body, headers=tenant.headers())
        assert response.status_code == 422, body
    missing = f"{CALLS}/{uuid.uuid4()}"
    assert (await client.get(missing, headers=tenant.headers())).status_code == 404
    assert (await client.patch(missing, json={}, headers=tenant.headers())).status_code == 404
    assert (await client.delete(missing, headers=tenant.headers())).status_code == 404
    response = await client.get(f"{missing}/transcript", headers=tenant.headers())
    assert response.json()["code"] == "call_not_found"
    assert (await client.get(url, headers=tenant.headers())).json() == call


async def test_transcript_pages(client: httpx.AsyncClient, tenant: Tenant) -> None:
    turns = [{"speaker": "caller", "text": f"line {i}", "offset_ms": i} for i in range(7)]
    call = await _create(client, tenant, transcript=turns)
    url = f"{CALLS}/{call['id']}/transcript"
    seen: list[str] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": 3, **({"cursor": cursor} if cursor else {})}
        page = (await client.get(url, params=params, headers=tenant.headers("viewer"))).json()
        seen += [turn["text"] for turn in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == [f"line {i}" for i in range(7)]
    bad = await client.get(url, params={"cursor": "not-a-cursor"}, headers=tenant.headers())
    assert bad.status_code == 422


async def test_writes_clear_the_analytics_tag(
    client: httpx.AsyncClient, tenant: Tenant, cleared_tags: list[tuple[str, ...]]
) -> None:
    call = await _create(client, tenant)
    await client.patch(f"{CALLS}/{call['id']}", json={"summary": "x"}, headers=tenant.headers())
    await client.delete(f"{CALLS}/{call['id']}", headers=tenant.headers())
    assert cleared_tags == [(f"analytics:{tenant.business_id}",)] * 3


async def test_api_key_scopes(client: httpx.AsyncClient, tenant: Tenant) -> None:
    reader = await create_api_key(client, tenant, ["calls:read"])
    writer = await create_api_key(client, tenant, ["calls:write"])
    as_reader = {"Authorization": f"Bearer {reader['key']}"}
    as_writer = {"Authorization": f"Bearer {writer['key']}"}
    created = await client.post(CALLS, json=NEW_CALL, headers=as_writer)
    assert created.status_code == 201
    assert (await client.get(CALLS, headers=as_reader)).status_code == 200
    refused = await client.post(CALLS, json=NEW_CALL, headers=as_reader)
    assert refused.status_code == 403
    assert refused.json()["code"] == "insufficient_scope"
    assert (await client.get(CALLS, headers=as_writer)).status_code == 403
