"""The calls list's text search (``q``) at more than a page: matches in the summary, in the
transcript or in both, under every order and across cursors, equal what a plain scan of the
same calls finds; another business's words never match; on PostgreSQL the trigram indexes
serve the statement's own expressions."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from aicaller.database.session import Database
from tests.calls.seed import BASE_TIME, add_turns, call_row, insert_calls
from tests.factories import Tenant

CALLS = "/api/v1/calls"
WORD = "boiler"


async def _walk(client: httpx.AsyncClient, tenant: Tenant, **params: Any) -> list[str]:
    """Every page of the list, following cursors; the ids in list order."""
    ids: list[str] = []
    cursor = None
    while True:
        query = {**params, **({"cursor": cursor} if cursor else {})}
        response = await client.get(CALLS, params=query, headers=tenant.headers("viewer"))
        assert response.status_code == 200, response.text
        body = response.json()
        ids += [item["id"] for item in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            return ids


@pytest.fixture
async def calls(database: Database, tenant: Tenant, other_tenant: Tenant) -> dict[uuid.UUID, int]:
    """Twenty calls of the tenant: the word in the summary (every third), in the transcript
    (every fourth), in both, or nowhere; durations repeat so the duration sort needs its ties
    broken by id. The other business's calls all say the word. Returns id -> duration."""
    b = tenant.business_id
    rows, matching = [], {}
    for i in range(20):
        summary = f"Asked about the {WORD.upper()}" if i % 3 == 0 else "Asked about parking"
        row = call_row(
            b, summary=summary, duration_seconds=i % 4, started_at=BASE_TIME + timedelta(hours=i)
        )
        rows.append(row)
        if i % 3 == 0 or i % 4 == 0:
            matching[row.id] = i % 4
    foreign = [call_row(other_tenant.business_id, summary=f"the {WORD}") for _ in range(3)]
    await insert_calls(database, rows + foreign)
    for i, row in enumerate(rows):
        turns = ["Hello", f"My {WORD} is leaking" if i % 4 == 0 else "Where do I park?"]
        await add_turns(database, b, row.id, turns)
    await add_turns(database, other_tenant.business_id, foreign[0].id, [f"my {WORD}"])
    return matching


@pytest.mark.parametrize(
    ("sort", "order"), [("started_at", "desc"), ("started_at", "asc"), ("duration", "desc")]
)
async def test_every_page_holds_the_matching_calls_once_in_order(
    client: httpx.AsyncClient,
    tenant: Tenant,
    calls: dict[uuid.UUID, int],
    sort: str,
    order: str,
) -> None:
    everything = await _walk(client, tenant, sort=sort, order=order, limit=100)
    expected = [call for call in everything if uuid.UUID(call) in calls]
    assert len(expected) == 10  # 7 by summary, 5 by transcript, 2 of them by both
    for limit in (1, 3, 5, 100):
        found = await _walk(client, tenant, q=WORD, sort=sort, order=order, limit=limit)
        assert found == expected, (limit, sort, order)


async def test_search_combines_with_the_other_filters(
    client: httpx.AsyncClient, tenant: Tenant, calls: dict[uuid.UUID, int]
) -> None:
    found = await _walk(client, tenant, q="LEAKING", max_duration=0, limit=2)
    # Transcript matches are every fourth call: all of them have duration 0.
    assert len(found) == 5
    assert {uuid.UUID(call) for call in found} <= set(calls)
    assert await _walk(client, tenant, q=WORD, min_duration=4) == []


async def test_another_business_never_matches(
    client: httpx.AsyncClient, other_tenant: Tenant, calls: dict[uuid.UUID, int]
) -> None:
    found = await _walk(client, other_tenant, q=WORD, limit=1)
    assert len(found) == 3
    assert not {uuid.UUID(call) for call in found} & set(calls)


async def test_postgresql_serves_the_search_from_trigram_indexes(
    database: Database, backend: str
) -> None:
    if backend != "postgresql":
        pytest.skip("SQLite reads FTS5 tables instead (test_text_search_engines.py)")
    plans = []
    async with database.transaction() as session:
        # Tiny test tables make a scan cheapest; forbidding it shows the index can serve the
        # expressions the repository writes.
        await session.execute(text("SET LOCAL enable_seqscan = off"))
        for statement in (
            "EXPLAIN SELECT id FROM calls WHERE lower(summary) LIKE '%boiler%'",
            "EXPLAIN SELECT id FROM transcript_turns WHERE lower(text) LIKE '%boiler%'",
        ):
            explained = await session.execute(text(statement))
            plans.append("\n".join(row[0] for row in explained))
    assert "ix_calls_summary_trgm" in plans[0]
    assert "ix_transcript_turns_text_trgm" in plans[1]
