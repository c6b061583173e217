"""Notes on calls: list, add, edit, delete; author-only edits; bad input changes nothing."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from tests.factories import Tenant, create_api_key

CALLS = "/api/v1/calls"


async def _call(client: httpx.AsyncClient, tenant: Tenant) -> str:
    body = {"direction": "inbound", "from_number": "+14155550123", "to_number": "+14155550124"}
    response = await client.post(CALLS, json=body, headers=tenant.headers())
    assert response.status_code == 201, response.text
    call_id: str = response.json()["id"]
    return call_id


async def _note(
    client: httpx.AsyncClient, tenant: Tenant, call_id: str, role: str = "agent", body: str = "hi"
) -> dict[str, Any]:
    response = await client.post(
        f"{CALLS}/{call_id}/notes", json={"body": body}, headers=tenant.headers(role)
    )
    assert response.status_code == 201, response.text
    note: dict[str, Any] = response.json()
    return note


async def _bodies(client: httpx.AsyncClient, tenant: Tenant, call_id: str) -> list[str]:
    page = await client.get(f"{CALLS}/{call_id}/notes", headers=tenant.headers("viewer"))
    assert page.status_code == 200, page.text
    return [note["body"] for note in page.json()["items"]]


async def test_notes_lifecycle(client: httpx.AsyncClient, tenant: Tenant) -> None:
    call_id = await _call(client, tenant)
    first = await _note(client, tenant, call_id, "agent", "Caller wants a quote")
    second = await _note(client, tenant, call_id, "supervisor", "Called back")
    assert first["author_id"] == str(tenant.users["agent"])
    assert await _bodies(client, tenant, call_id) == ["Caller wants a quote", "Called back"]

    paged = await client.get(
        f"{CALLS}/{call_id}/notes", params={"limit": 1}, headers=tenant.headers()
    )
    assert [n["id"] for n in paged.json()["items"]] == [first["id"]]
    rest = await client.get(
        f"{CALLS}/{call_id}/notes",
        params={"limit": 1, "cursor": paged.json()["next_cursor"]},
        headers=tenant.headers(),
    )
    assert [n["id"] for n in rest.json()["items"]] == [second["id"]]
    assert rest.json()["next_cursor"] is None

    url = f"{CALLS}/{call_id}/notes/{first['id']}"
    edited = await client.patch(url, json={"body": "Quote sent"}, headers=tenant.headers("agent"))
    assert edited.status_code == 200, edited.text
    assert edited.json()["body"] == "Quote sent"
    detail = (await client.get(f"{CALLS}/{call_id}", headers=tenant.headers())).json()
    assert detail["notes_count"] == 2
    assert [n["body"] for n in detail["notes"]] == ["Quote sent", "Called back"]

    assert (await client.delete(url, headers=tenant.headers("agent"))).status_code == 204
    assert await _bodies(client, tenant, call_id) == ["Called back"]
    assert (await client.delete(url, headers=tenant.headers("agent"))).status_code == 404


async def test_only_the_author_or_a_manager_edits(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    call_id = await _call(client, tenant)
    by_supervisor = await _note(client, tenant, call_id, "supervisor", "supervisor's")
    url = f"{CALLS}/{call_id}/notes/{by_supervisor['id']}"
    for method, body in (("PATCH", {"body": "hijacked"}), ("DELETE", None)):
        refused = await client.request(method, url, json=body, headers=tenant.headers("agent"))
        assert refused.status_code == 403
        assert refused.json()["code"] == "not_note_author"
    viewer = await client.patch(url, json={"body": "x"}, headers=tenant.headers("viewer"))
    assert viewer.status_code == 403
    assert await _bodies(client, tenant, call_id) == ["supervisor's"]

    by_agent = await _note(client, tenant, call_id, "agent", "agent's")
    url = f"{CALLS}/{call_id}/notes/{by_agent['id']}"
    admin = await client.patch(url, json={"body": "fixed"}, headers=tenant.headers("admin"))
    assert admin.status_code == 200
    assert admin.json()["author_id"] == str(tenant.users["agent"])  # the author stays
    supervisor = await client.delete(url, headers=tenant.headers("supervisor"))
    assert supervisor.status_code == 204
    assert await _bodies(client, tenant, call_id) == ["supervisor's"]


@pytest.mark.parametrize(
    "body",
    [{}, {"body": ""}, {"body": "x" * 10_001}, {"body": None}, {"body": "ok", "extra": 1}],
)
async def test_bad_note_bodies_change_nothing(
    client: httpx.AsyncClient, tenant: Tenant, body: dict[str, Any]
) -> None:
    call_id = await _call(client, tenant)
    note = await _note(client, tenant, call_id)
    created = await client.post(f"{CALLS}/{call_id}/notes", json=body, headers=tenant.headers())
    assert created.status_code == 422
    url = f"{CALLS}/{call_id}/notes/{note['id']}"
    edited = await client.patch(url, json=body, headers=tenant.headers())
    assert edited.status_code == 422
    assert await _bodies(client, tenant, call_id) == ["hi"]


async def test_longest_note_is_accepted(client: httpx.AsyncClient, tenant: Tenant) -> None:
    call_id = await _call(client, tenant)
    note = await _note(client, tenant, call_id, body="é" * 10_000)
    assert len(note["body"]) == 10_000


async def test_missing_call_or_note_is_404(client: httpx.AsyncClient, tenant: Tenant) -> None:
    call_id = await _call(client, tenant)
    other_call = await _call(client, tenant)
    note = await _note(client, tenant, call_id)
    missing = f"{CALLS}/{uuid.uuid4()}/notes"
    assert (await client.get(missing, headers=tenant.headers())).status_code == 404
    posted = await client.post(missing, json={"body": "x"}, headers=tenant.headers())
    assert posted.json()["code"] == "call_not_found"
    # The note exists, but not on this call.
    wrong_call = f"{CALLS}/{other_call}/notes/{note['id']}"
    response = await client.patch(wrong_call, json={"body": "x"}, headers=tenant.headers())
    assert response.status_code == 404
    assert response.json()["code"] == "note_not_found"
    assert (await client.delete(wrong_call, headers=tenant.headers())).status_code == 404
    assert await _bodies(client, tenant, call_id) == ["hi"]
    assert await _bodies(client, tenant, other_call) == []


async def test_api_keys_write_notes_without_author(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    call_id = await _call(client, tenant)
    writer = await create_api_key(client, tenant, ["calls:write"])
    reader = await create_api_key(client, tenant, ["calls:read"])
    as_writer = {"Authorization": f"Bearer {writer['key']}"}
    as_reader = {"Authorization": f"Bearer {reader['key']}"}
    created = await client.post(
        f"{CALLS}/{call_id}/notes", json={"body": "sync"}, headers=as_writer
    )
    assert created.status_code == 201, created.text
    assert created.json()["author_id"] is None
    url = f"{CALLS}/{call_id}/notes/{created.json()['id']}"
    assert (await client.patch(url, json={"body": "s"}, headers=as_writer)).status_code == 200
    refused = await client.post(f"{CALLS}/{call_id}/notes", json={"body": "x"}, headers=as_reader)
    assert refused.status_code == 403
    # A person's note is not the key's to change.
    person = await _note(client, tenant, call_id)
    url = f"{CALLS}/{call_id}/notes/{person['id']}"
    denied = await client.patch(url, json={"body": "x"}, headers=as_writer)
    assert denied.status_code == 403
    assert await _bodies(client, tenant, call_id) == ["s", "hi"]


async def test_note_writes_clear_the_analytics_tag(
    client: httpx.AsyncClient, tenant: Tenant, cleared_tags: list[tuple[str, ...]]
) -> None:
    call_id = await _call(client, tenant)
    cleared_tags.clear()  # count only the writes below, not the call's creation
    note = await _note(client, tenant, call_id)
    url = f"{CALLS}/{call_id}/notes/{note['id']}"
    await client.patch(url, json={"body": "x"}, headers=tenant.headers())
    await client.patch(url, json={"body": ""}, headers=tenant.headers())  # 422: no write
    await client.delete(url, headers=tenant.headers())
    assert cleared_tags == [(f"analytics:{tenant.business_id}",)] * 3
