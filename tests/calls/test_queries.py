"""Statement counts per request: the list is constant in the page size (one statement; two for
a text search on SQLite), the detail is <= 4."""

from __future__ import annotations

import uuid
from datetime import timedelta

import httpx

from aicaller.database.models import CallNote, Escalation, TranscriptTurn
from aicaller.database.session import Database
from tests.calls.seed import BASE_TIME, call_row
from tests.factories import Tenant
from tests.helpers import assert_max_queries

CALLS = "/api/v1/calls"
SEEDED = 120


async def _seed(database: Database, business_id: uuid.UUID) -> list[uuid.UUID]:
    """120 calls, each with 2 turns; most with notes, a third with escalations."""
    calls = [
        call_row(business_id, started_at=BASE_TIME + timedelta(minutes=i), duration_seconds=i)
        for i in range(SEEDED)
    ]
    async with database.transaction() as session:
        session.add_all(calls)
        await session.flush()
        for i, call in enumerate(calls):
            values = {"business_id": business_id, "call_id": call.id}
            session.add_all(
                TranscriptTurn(**values, sequence=n, speaker="caller", text=f"turn {n}")
                for n in range(2)
            )
            session.add_all(CallNote(**values, body="note") for _ in range(i % 3))
            if i % 3 == 0:
                session.add(Escalation(**values, reason="help", status="open"))
    return [call.id for call in calls]


async def _statements(
    client: httpx.AsyncClient, tenant: Tenant, url: str, **params: str | int
) -> int:
    with assert_max_queries(50) as counter:
        response = await client.get(url, params=params, headers=tenant.headers())
    assert response.status_code in {200, 404}, response.text
    if set(params) == {"limit"}:
        assert len(response.json()["items"]) == min(int(str(params["limit"])), SEEDED)
    return counter.count


async def test_statement_counts(
    client: httpx.AsyncClient, tenant: Tenant, database: Database, backend: str
) -> None:
    ids = await _seed(database, tenant.business_id)
    # The first request loads the signed-in user; later ones find the principal in the cache.
    cold_auth = await _statements(client, tenant, CALLS) - 1
    # Auth cost: a detail of a missing call runs auth plus exactly one SELECT.
    auth = await _statements(client, tenant, f"{CALLS}/{uuid.uuid4()}") - 1

    list_counts = {
        size: await _statements(client, tenant, CALLS, limit=size) for size in (1, 10, 100)
    }
    filtered = await _statements(
        client,
        tenant,
        CALLS,
        limit=100,
        has_notes="true",
        escalated="true",
        q="turn",
        sort="duration",
        order="asc",
    )
    detail = await _statements(client, tenant, f"{CALLS}/{ids[0]}")
    transcript = await _statements(client, tenant, f"{CALLS}/{ids[0]}/transcript")
    print(
        f"cold_auth={cold_auth} auth={auth} list={list_counts} filtered={filtered}",
        f"detail={detail} transcript={transcript}",
    )

    assert cold_auth <= 1
    assert len(set(list_counts.values())) == 1, list_counts
    assert list_counts[100] == auth + 1  # the whole page, with aggregates, is one statement
    # A text search on SQLite first asks its FTS5 tables how common the text is.
    assert filtered == auth + 1 + (backend == "sqlite")
    assert detail <= auth + 4
    assert transcript == auth + 2  # the call's existence, then the page

    # With a date filter the business timezone is read once (then cached).
    dated = await _statements(client, tenant, CALLS, limit=100, **{"from": "2026-03-10"})
    assert dated <= auth + 2
