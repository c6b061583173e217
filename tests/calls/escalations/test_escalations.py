"""Escalations: raise, acknowledge, assign, resolve; bad input changes nothing (the queue is in
test_escalation_queue.py)."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from tests.factories import Tenant

CALLS = "/api/v1/calls"
QUEUE = "/api/v1/escalations"


async def _call(client: httpx.AsyncClient, tenant: Tenant) -> str:
    body = {"direction": "inbound", "from_number": "+14155550123", "to_number": "+14155550124"}
    response = await client.post(CALLS, json=body, headers=tenant.headers())
    assert response.status_code == 201, response.text
    call_id: str = response.json()["id"]
    return call_id


async def _escalate(
    client: httpx.AsyncClient, tenant: Tenant, call_id: str, role: str = "admin", **body: Any
) -> dict[str, Any]:
    response = await client.post(
        f"{CALLS}/{call_id}/escalations",
        json={"reason": "caller is upset", **body},
        headers=tenant.headers(role),
    )
    assert response.status_code == 201, response.text
    escalation: dict[str, Any] = response.json()
    return escalation


async def _patch(
    client: httpx.AsyncClient, tenant: Tenant, esc_id: str, body: Any, role: str = "admin"
) -> httpx.Response:
    return await client.patch(f"{QUEUE}/{esc_id}", json=body, headers=tenant.headers(role))


async def _read(client: httpx.AsyncClient, tenant: Tenant, call_id: str) -> dict[str, Any]:
    detail = (await client.get(f"{CALLS}/{call_id}", headers=tenant.headers())).json()
    escalation: dict[str, Any] = detail["escalations"][0]
    return escalation


async def test_escalation_lifecycle(client: httpx.AsyncClient, tenant: Tenant) -> None:
    call_id = await _call(client, tenant)
    created = await _escalate(client, tenant, call_id, "agent", priority="high")
    assert created["status"] == "open"
    assert created["priority"] == "high"
    assert created["created_by_id"] == str(tenant.users["agent"])
    assert created["assignee_id"] is None
    default = await _escalate(client, tenant, call_id)
    assert default["priority"] == "normal"

    supervisor = str(tenant.users["supervisor"])
    assigned = await _patch(client, tenant, created["id"], {"assignee_id": supervisor})
    assert assigned.status_code == 200, assigned.text
    assert assigned.json()["assignee_id"] == supervisor
    acked = await _patch(client, tenant, created["id"], {"status": "acknowledged"}, "supervisor")
    assert acked.json()["status"] == "acknowledged"
    assert acked.json()["acknowledged_at"] is not None
    resolved = await _patch(
        client, tenant, created["id"], {"status": "resolved", "resolution": "refunded"}
    )
    assert resolved.status_code == 200
    assert resolved.json()["resolved_at"] is not None
    assert resolved.json()["resolution"] == "refunded"
    # open -> resolved directly is allowed too.
    direct = await _patch(client, tenant, default["id"], {"status": "resolved", "resolution": "ok"})
    assert direct.json()["status"] == "resolved"
    assert direct.json()["acknowledged_at"] is None
    detail = (await client.get(f"{CALLS}/{call_id}", headers=tenant.headers())).json()
    assert detail["escalation_state"] == "resolved"


@pytest.mark.parametrize(
    ("start", "body"),
    [
        ("acknowledged", {"status": "acknowledged"}),
        ("resolved", {"status": "acknowledged"}),
        ("resolved", {"status": "resolved", "resolution": "again"}),
    ],
)
async def test_invalid_transitions_are_409(
    client: httpx.AsyncClient, tenant: Tenant, start: str, body: dict[str, Any]
) -> None:
    call_id = await _call(client, tenant)
    esc = await _escalate(client, tenant, call_id)
    step = {"status": start} | ({"resolution": "done"} if start == "resolved" else {})
    assert (await _patch(client, tenant, esc["id"], step)).status_code == 200
    before = await _read(client, tenant, call_id)
    # Even with an assignment in the same request, nothing changes.
    both = body | {"assignee_id": str(tenant.users["agent"])}
    response = await _patch(client, tenant, esc["id"], both)
    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition"
    assert await _read(client, tenant, call_id) == before


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"status": "resolved"},
        {"status": "open"},
        {"status": None},
        {"status": "acknowledged", "resolution": "no"},
        {"resolution": "only"},
        {"status": "resolved", "resolution": ""},
        {"assignee_id": "not-a-uuid"},
        {"status": "acknowledged", "extra": 1},
    ],
)
async def test_bad_updates_are_422(
    client: httpx.AsyncClient, tenant: Tenant, body: dict[str, Any]
) -> None:
    call_id = await _call(client, tenant)
    esc = await _escalate(client, tenant, call_id)
    before = await _read(client, tenant, call_id)
    assert (await _patch(client, tenant, esc["id"], body)).status_code == 422
    assert await _read(client, tenant, call_id) == before


async def test_assignee_must_be_an_active_user_here(
    client: httpx.AsyncClient, tenant: Tenant, other_tenant: Tenant
) -> None:
    call_id = await _call(client, tenant)
    esc = await _escalate(client, tenant, call_id)
    viewer = str(tenant.users["viewer"])
    off = await client.patch(
        f"/api/v1/users/{viewer}", json={"is_active": False}, headers=tenant.headers()
    )
    assert off.status_code == 200, off.text
    for assignee in (viewer, str(other_tenant.users["agent"]), str(uuid.uuid4())):
        response = await _patch(client, tenant, esc["id"], {"assignee_id": assignee})
        assert response.status_code == 422
        assert response.json()["code"] == "invalid_assignee"
    assert (await _read(client, tenant, call_id))["assignee_id"] is None
    # null unassigns.
    agent = str(tenant.users["agent"])
    assert (await _patch(client, tenant, esc["id"], {"assignee_id": agent})).status_code == 200
    cleared = await _patch(client, tenant, esc["id"], {"assignee_id": None})
    assert cleared.json()["assignee_id"] is None


@pytest.mark.parametrize(
    "body", [{}, {"reason": ""}, {"reason": "x" * 2001}, {"reason": "x", "priority": "asap"}]
)
async def test_bad_creates_change_nothing(
    client: httpx.AsyncClient, tenant: Tenant, body: dict[str, Any]
) -> None:
    call_id = await _call(client, tenant)
    url = f"{CALLS}/{call_id}/escalations"
    assert (await client.post(url, json=body, headers=tenant.headers())).status_code == 422
    missing = await client.post(
        f"{CALLS}/{uuid.uuid4()}/escalations", json={"reason": "x"}, headers=tenant.headers()
    )
    assert missing.status_code == 404
    assert (await client.get(QUEUE, headers=tenant.headers())).json()["items"] == []


async def test_agents_work_only_their_own(client: httpx.AsyncClient, tenant: Tenant) -> None:
    call_id = await _call(client, tenant)
    theirs = await _escalate(client, tenant, call_id, "agent")
    assigned = await _escalate(client, tenant, call_id, "supervisor")
    foreign = await _escalate(client, tenant, call_id, "supervisor")
    agent = str(tenant.users["agent"])
    assert (await _patch(client, tenant, assigned["id"], {"assignee_id": agent})).status_code == 200

    ack = {"status": "acknowledged"}
    assert (await _patch(client, tenant, theirs["id"], ack, "agent")).status_code == 200
    assert (await _patch(client, tenant, assigned["id"], ack, "agent")).status_code == 200
    refused = await _patch(client, tenant, foreign["id"], ack, "agent")
    assert refused.status_code == 403
    assert refused.json()["code"] == "not_escalation_owner"
    resolve = {"status": "resolved", "resolution": "x"}
    assert (await _patch(client, tenant, foreign["id"], resolve, "agent")).status_code == 403
    # Agents do not assign, not even to themselves.
    grab = await _patch(client, tenant, foreign["id"], {"assignee_id": agent}, "agent")
    assert grab.status_code == 403
    viewer = await _patch(client, tenant, theirs["id"], resolve, "viewer")
    assert viewer.status_code == 403
    state = (await client.get(f"{CALLS}/{call_id}", headers=tenant.headers())).json()
    by_id = {e["id"]: e for e in state["escalations"]}
    assert by_id[foreign["id"]]["status"] == "open"
    assert by_id[foreign["id"]]["assignee_id"] is None
    assert by_id[theirs["id"]]["status"] == "acknowledged"
    # Supervisors work anyone's.
    assert (await _patch(client, tenant, foreign["id"], resolve, "supervisor")).status_code == 200


async def test_escalation_writes_clear_the_analytics_tag(
    client: httpx.AsyncClient, tenant: Tenant, cleared_tags: list[tuple[str, ...]]
) -> None:
    call_id = await _call(client, tenant)
    cleared_tags.clear()  # count only the writes below, not the call's creation
    esc = await _escalate(client, tenant, call_id)
    await _patch(client, tenant, esc["id"], {"status": "acknowledged"})
    await _patch(client, tenant, esc["id"], {"status": "acknowledged"})  # 409: no write
    await _patch(client, tenant, esc["id"], {"status": "resolved", "resolution": "done"})
    assert cleared_tags == [(f"analytics:{tenant.business_id}",)] * 3
