"""The escalation queue page: filters, age, and acknowledge/assign/resolve by role."""

from __future__ import annotations

import re
from typing import Any

import httpx
from fastapi import FastAPI

from tests.console.calls_data import make_call
from tests.console.conftest import console_client, csrf_of
from tests.factories import Tenant
from tests.helpers import assert_max_queries

ITEM = re.compile(r'id="esc-([0-9a-f-]{36})"')


async def _escalate(
    client: httpx.AsyncClient, tenant: Tenant, reason: str, priority: str = "normal"
) -> dict[str, Any]:
    call = await make_call(client, tenant)
    response = await client.post(
        f"/api/v1/calls/{call['id']}/escalations",
        json={"reason": reason, "priority": priority},
        headers=tenant.headers(),
    )
    assert response.status_code == 201, response.text
    escalation: dict[str, Any] = response.json()
    return escalation


async def test_a_supervisor_works_the_queue(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant
) -> None:
    urgent = await _escalate(client, tenant, "Gas smell <b>now</b>", "urgent")
    low = await _escalate(client, tenant, "Invoice question", "low")
    async with console_client(app, tenant, "supervisor") as console:
        page = await console.get("/app/escalations")
        assert ITEM.findall(page.text) == [urgent["id"], low["id"]]  # oldest first
        assert "waiting 0 min" in page.text
        assert "Gas smell &lt;b&gt;now&lt;/b&gt;" in page.text
        only_urgent = await console.get("/app/escalations?priority=urgent&priority=high")
        assert ITEM.findall(only_urgent.text) == [urgent["id"]]

        csrf = csrf_of(console, app)
        url = f"/app/escalations/{urgent['id']}"
        back = "/app/escalations?priority=urgent"
        acknowledged = await console.post(
            url, data={"csrf_token": csrf, "action": "acknowledge", "back": back}
        )
        assert acknowledged.status_code == 303
        assert acknowledged.headers["location"] == back
        offsite = await console.post(
            url, data={"csrf_token": csrf, "action": "assign_me", "back": "https://evil.example"}
        )
        assert offsite.headers["location"] == "/app/escalations"
        mine = await console.get("/app/escalations?assigned_to_me=true")
        assert ITEM.findall(mine.text) == [urgent["id"]]
        assert "assigned to you" in mine.text

        no_note = await console.post(url, data={"csrf_token": csrf, "action": "resolve"})
        assert no_note.status_code == 422
        assert "resolution note" in no_note.text
        resolved = await console.post(
            url, data={"csrf_token": csrf, "action": "resolve", "resolution": "Engineer sent"}
        )
        assert resolved.status_code == 303
        done = await console.get("/app/escalations?status=resolved")
    assert "Resolution: Engineer sent" in done.text
    stored = await client.get("/api/v1/escalations?status=resolved", headers=tenant.headers())
    assert [e["id"] for e in stored.json()["items"]] == [urgent["id"]]


async def test_admins_pick_assignees_and_agents_cannot_assign(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant
) -> None:
    escalation = await _escalate(client, tenant, "Call back")
    url = f"/app/escalations/{escalation['id']}"
    async with console_client(app, tenant, "admin") as admin:
        page = await admin.get("/app/escalations")
        assert tenant.emails["agent"] in page.text  # the assignee picker lists the users
        assigned = await admin.post(
            url,
            data={
                "csrf_token": csrf_of(admin, app),
                "action": "assign",
                "assignee_id": str(tenant.users["agent"]),
            },
        )
        assert assigned.status_code == 303
    async with console_client(app, tenant, "agent") as agent:
        page = await agent.get("/app/escalations?assigned_to_me=true")
        assert ITEM.findall(page.text) == [escalation["id"]]
        assert "Assign" not in page.text
        assert "Acknowledge" in page.text
        refused = await agent.post(
            url, data={"csrf_token": csrf_of(agent, app), "action": "assign_me"}
        )
        assert refused.status_code == 403
    async with console_client(app, tenant, "viewer") as viewer:
        page = await viewer.get("/app/escalations")
        assert "Acknowledge" not in page.text
        refused = await viewer.post(
            url, data={"csrf_token": csrf_of(viewer, app), "action": "acknowledge"}
        )
        assert refused.status_code == 403


async def test_the_queue_costs_the_same_for_more_escalations(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant
) -> None:
    await _escalate(client, tenant, "first")
    async with console_client(app, tenant, "admin") as console:
        await console.get("/app/escalations")
        with assert_max_queries(10) as one:
            await console.get("/app/escalations")
        for i in range(4):
            await _escalate(client, tenant, f"more {i}")
        await console.get("/app/escalations")
        with assert_max_queries(one.count) as many:
            page = await console.get("/app/escalations")
    assert len(ITEM.findall(page.text)) == 5
    assert many.count == one.count


async def test_bad_queue_filters_are_explained(app: FastAPI, tenant: Tenant) -> None:
    async with console_client(app, tenant, "viewer") as console:
        response = await console.get("/app/escalations?priority=whenever")
        emptied = await console.get("/app/escalations/search?status=&priority=high&assignee_id=")
    assert response.status_code == 422
    assert emptied.headers["location"] == "/app/escalations?priority=high"
