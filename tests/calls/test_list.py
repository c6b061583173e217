"""The call list: every filter, both sorts, cursors, and per-item aggregates."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from aicaller.database.session import Database
from tests.calls.seed import (
    BASE_TIME,
    add_escalations,
    add_notes,
    add_turns,
    call_row,
    insert_calls,
)
from tests.factories import Tenant

CALLS = "/api/v1/calls"


async def _ids(client: httpx.AsyncClient, tenant: Tenant, **params: Any) -> list[str]:
    response = await client.get(CALLS, params=params, headers=tenant.headers("viewer"))
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]


@pytest.fixture
async def calls(database: Database, tenant: Tenant) -> dict[str, uuid.UUID]:
    """Six calls an hour apart, each special in one way."""
    b = tenant.business_id
    rows = {
        "short": call_row(b, duration_seconds=30, summary="Billing question"),
        "long": call_row(b, duration_seconds=600, direction="outbound"),
        "busy": call_row(b, status="busy", to_number="+14155550999"),
        "noted": call_row(b, duration_seconds=90, from_number="+14155550777"),
        "escalated": call_row(b, duration_seconds=200, status="failed"),
        "resolved": call_row(b, duration_seconds=120, summary="100% fixed_it"),
    }
    for offset, row in enumerate(rows.values()):
        row.started_at = BASE_TIME + timedelta(hours=offset)
    await insert_calls(database, list(rows.values()))
    ids = {name: row.id for name, row in rows.items()}
    await add_notes(database, b, ids["noted"], 3)
    # The latest escalation is the state: neither the smallest nor the largest value.
    await add_escalations(database, b, ids["escalated"], ["acknowledged", "resolved", "open"])
    await add_escalations(database, b, ids["resolved"], ["resolved"])
    await add_turns(database, b, ids["long"], ["Hi", "My boiler is LEAKING badly"])
    return ids


def _named(calls: dict[str, uuid.UUID], *names: str) -> list[str]:
    return [str(calls[name]) for name in names]


async def test_default_order_and_aggregates(
    client: httpx.AsyncClient, tenant: Tenant, calls: dict[str, uuid.UUID]
) -> None:
    response = await client.get(CALLS, headers=tenant.headers())
    items = {item["id"]: item for item in response.json()["items"]}
    assert list(items) == _named(calls, "resolved", "escalated", "noted", "busy", "long", "short")
    assert items[str(calls["noted"])]["notes_count"] == 3
    assert items[str(calls["escalated"])]["escalation_state"] == "open"
    assert items[str(calls["resolved"])]["escalation_state"] == "resolved"
    assert items[str(calls["short"])]["escalation_state"] is None
    assert items[str(calls["short"])]["notes_count"] == 0


FILTER_CASES: list[tuple[dict[str, Any], list[str]]] = [
    ({"status": "busy"}, ["busy"]),
    ({"status": ["busy", "failed"]}, ["escalated", "busy"]),
    ({"direction": "outbound"}, ["long"]),
    ({"phone": "+14155550999"}, ["busy"]),  # to_number
    ({"phone": "+14155550777"}, ["noted"]),  # from_number
    ({"escalated": "true"}, ["resolved", "escalated"]),
    ({"escalated": "false"}, ["noted", "busy", "long", "short"]),
    ({"open_escalation": "true"}, ["escalated"]),
    ({"open_escalation": "false"}, ["resolved", "noted", "busy", "long", "short"]),
    ({"has_notes": "true"}, ["noted"]),
    ({"min_duration": 100}, ["resolved", "escalated", "long"]),
    ({"max_duration": 100}, ["noted", "short"]),
    ({"min_duration": 90, "max_duration": 120}, ["resolved", "noted"]),
    ({"q": "leaking"}, ["long"]),  # transcript, case-insensitive
    ({"q": "BILLING"}, ["short"]),  # summary
    ({"q": "100%"}, ["resolved"]),  # LIKE wildcards are literal
    ({"q": "d_i"}, ["resolved"]),
    ({"q": "%"}, ["resolved"]),
    ({"q": "nothing like this"}, []),
    ({"status": "completed", "has_notes": "false", "q": "i"}, ["resolved", "long", "short"]),
]


async def test_filters(
    client: httpx.AsyncClient, tenant: Tenant, calls: dict[str, uuid.UUID]
) -> None:
    for params, expected in FILTER_CASES:
        assert await _ids(client, tenant, **params) == _named(calls, *expected), params


async def test_date_filter_uses_the_business_timezone(
    client: httpx.AsyncClient, tenant: Tenant, database: Database
) -> None:
    config = await client.patch(
        "/api/v1/config", json={"timezone": "America/New_York"}, headers=tenant.headers()
    )
    assert config.status_code == 200
    b = tenant.business_id
    # 03:30 UTC on 10 March is 23:30 on 9 March in New York (EDT starts on 8 March 2026).
    late = call_row(b, started_at=datetime(2026, 3, 10, 3, 30, tzinfo=UTC))
    # 04:00 UTC on 10 March is midnight on 10 March in New York.
    midnight = call_row(b, started_at=datetime(2026, 3, 10, 4, 0, tzinfo=UTC))
    await insert_calls(database, [late, midnight])
    assert await _ids(client, tenant, **{"from": "2026-03-09", "to": "2026-03-09"}) == [
        str(late.id)
    ]
    assert await _ids(client, tenant, **{"from": "2026-03-10"}) == [str(midnight.id)]
    assert await _ids(client, tenant, to="2026-03-09") == [str(late.id)]
    assert await _ids(client, tenant, **{"from": "2026-03-11"}) == []


BAD_PARAMS: list[dict[str, Any]] = [
    {"status": "done"},
    {"direction": "up"},
    {"phone": "12345"},
    {"from": "2026-13-01"},
    {"from": "2026-03-10", "to": "2026-03-09"},
    {"min_duration": -1},
    {"min_duration": 10, "max_duration": 5},
    {"sort": "caller"},
    {"order": "sideways"},
    {"q": ""},
    {"cursor": "garbage"},
    {"cursor": "WzEsImEiXQ"},  # [1,"a"]
    {"limit": 0},
    {"limit": 101},
    {"q": "nul \x00"},
    {"from": "0001-01-01"},
]


async def test_bad_list_params_are_422(client: httpx.AsyncClient, tenant: Tenant) -> None:
    for params in BAD_PARAMS:
        response = await client.get(CALLS, params=params, headers=tenant.headers())
        assert response.status_code == 422, (params, response.text)
        assert response.headers["content-type"] == "application/problem+json"


async def _walk(
    client: httpx.AsyncClient, tenant: Tenant, limit: int, **params: Any
) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        query = {"limit": limit, **params, **({"cursor": cursor} if cursor else {})}
        response = await client.get(CALLS, params=query, headers=tenant.headers())
        assert response.status_code == 200, response.text
        items += response.json()["items"]
        cursor = response.json()["next_cursor"]
        if cursor is None:
            return items


@pytest.mark.parametrize("order", ["asc", "desc"])
@pytest.mark.parametrize("sort", ["started_at", "duration"])
async def test_sorted_cursor_pages_cover_every_row_once(
    client: httpx.AsyncClient, tenant: Tenant, database: Database, sort: str, order: str
) -> None:
    b = tenant.business_id
    # Ties on both sort keys (and missing durations) so the id tie-break is exercised.
    rows = [
        call_row(
            b,
            started_at=BASE_TIME + timedelta(minutes=i // 3),
            duration_seconds=None if i % 4 == 0 else (i % 5) * 10,
        )
        for i in range(11)
    ]
    await insert_calls(database, rows)
    items = await _walk(client, tenant, 2, sort=sort, order=order)
    assert sorted(item["id"] for item in items) == sorted(str(row.id) for row in rows)
    assert len(items) == len(rows)
    if sort == "duration":
        keys: list[Any] = [item["duration_seconds"] or 0 for item in items]
    else:
        keys = [item["started_at"] for item in items]
    assert keys == sorted(keys, reverse=order == "desc")
    # A duration-sort cursor is not a start-time cursor.
    first = await client.get(CALLS, params={"limit": 1, "sort": sort}, headers=tenant.headers())
    other = "started_at" if sort == "duration" else "duration"
    response = await client.get(
        CALLS,
        params={"sort": other, "cursor": first.json()["next_cursor"]},
        headers=tenant.headers(),
    )
    assert response.status_code == 422


async def test_other_tenants_calls_are_invisible(
    client: httpx.AsyncClient,
    tenant: Tenant,
    other_tenant: Tenant,
    calls: dict[str, uuid.UUID],
) -> None:
    response = await client.get(CALLS, headers=other_tenant.headers())
    assert response.json() == {"items": [], "next_cursor": None}
