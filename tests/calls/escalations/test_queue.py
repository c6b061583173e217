"""The escalation queue across calls: filters, ordering, paging and constant statement counts."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import httpx

from aicaller.database.models import Escalation
from aicaller.database.session import Database
from tests.calls.seed import BASE_TIME, call_row, insert_calls
from tests.factories import Tenant, create_api_key
from tests.helpers import assert_max_queries

CALLS = "/api/v1/calls"
QUEUE = "/api/v1/escalations"


async def _seed_queue(database: Database, tenant: Tenant, count: int) -> list[uuid.UUID]:
    """``count`` escalations one minute apart, each on its own call; cycling statuses,
    priorities and assignees (agent, none, supervisor)."""
    calls = [
        call_row(tenant.business_id, from_number=f"+1415555{i:04d}", started_at=BASE_TIME)
        for i in range(count)
    ]
    call_ids = await insert_calls(database, calls)
    assignees = [tenant.users["agent"], None, tenant.users["supervisor"]]
    rows = [
        Escalation(
            id=uuid.uuid4(),
            business_id=tenant.business_id,
            call_id=call_id,
            reason=f"r{i}",
            status=("open", "acknowledged", "resolved")[i % 3],
            priority=("low", "normal", "high", "urgent")[i % 4],
            assignee_id=assignees[i % 3],
            created_at=BASE_TIME + timedelta(minutes=i),
        )
        for i, call_id in enumerate(call_ids)
    ]
    async with database.transaction() as session:
        session.add_all(rows)
    return [row.id for row in rows]


async def _queue(
    client: httpx.AsyncClient, tenant: Tenant, role: str = "viewer", **params: Any
) -> Any:
    response = await client.get(QUEUE, params=params, headers=tenant.headers(role))
    assert response.status_code == 200, response.text
    return response.json()


async def test_queue_filters_and_ordering(
    client: httpx.AsyncClient, tenant: Tenant, other_tenant: Tenant, database: Database
) -> None:
    ids = [str(i) for i in await _seed_queue(database, tenant, 12)]
    await _seed_queue(database, other_tenant, 3)
    everything = await _queue(client, tenant)
    assert [item["id"] for item in everything["items"]] == ids  # oldest first
    first = everything["items"][0]
    assert first["call"]["from_number"] == "+14155550000"
    assert first["call"]["started_at"] == "2026-03-10T12:00:00Z"
    newest = await _queue(client, tenant, order="desc")
    assert [item["id"] for item in newest["items"]] == ids[::-1]

    open_ = await _queue(client, tenant, status="open")
    assert [item["id"] for item in open_["items"]] == ids[0::3]
    unresolved = await _queue(client, tenant, status=["open", "acknowledged"])
    assert len(unresolved["items"]) == 8
    urgent = await _queue(client, tenant, priority="urgent")
    assert [item["id"] for item in urgent["items"]] == ids[3::4]
    by_assignee = await _queue(client, tenant, assignee_id=str(tenant.users["supervisor"]))
    assert [item["id"] for item in by_assignee["items"]] == ids[2::3]
    mine = await _queue(client, tenant, "agent", assigned_to_me="true", status="open")
    assert [item["id"] for item in mine["items"]] == ids[0::3]
    crossed = await _queue(
        client, tenant, "agent", assigned_to_me="true", assignee_id=str(tenant.users["viewer"])
    )
    assert crossed["items"] == []

    pages: list[str] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": 5, "order": "desc"} | (
            {"cursor": cursor} if cursor else {}
        )
        page = await _queue(client, tenant, **params)
        pages += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert pages == ids[::-1]

    bad = await client.get(QUEUE, params={"cursor": "nope"}, headers=tenant.headers())
    assert bad.status_code == 422
    bad = await client.get(QUEUE, params={"priority": "asap"}, headers=tenant.headers())
    assert bad.status_code == 422


async def test_assigned_to_me_needs_a_user(client: httpx.AsyncClient, tenant: Tenant) -> None:
    key = await create_api_key(client, tenant, ["calls:read"])
    headers = {"Authorization": f"Bearer {key['key']}"}
    assert (await client.get(QUEUE, headers=headers)).status_code == 200
    response = await client.get(QUEUE, params={"assigned_to_me": "true"}, headers=headers)
    assert response.status_code == 422


async def test_queue_statements_are_constant(
    client: httpx.AsyncClient, tenant: Tenant, database: Database
) -> None:
    await _seed_queue(database, tenant, 120)
    await _queue(client, tenant, "admin")  # warm the principal cache
    counts = {}
    for size in (1, 10, 100):
        with assert_max_queries(50) as counter:
            page = await _queue(client, tenant, "admin", limit=size)
        assert len(page["items"]) == size
        counts[size] = counter.count
    with assert_max_queries(50) as counter:
        missing = await client.get(f"{CALLS}/{uuid.uuid4()}", headers=tenant.headers())
    assert missing.status_code == 404
    auth = counter.count - 1
    print(f"escalation queue statements={counts} auth={auth}")
    assert len(set(counts.values())) == 1, counts
    assert counts[100] == auth + 1  # the page with its calls' fields is one statement
