"""What one search costs the database, counted in statements (never timed): a search the
result cache misses reads the knowledge version, the terms' counts (only of terms the worker
has not counted under this version) and its tiers' queries in one statement, and the business's
synonym groups only once per knowledge version; a group created or deleted is used (or dropped)
by the very next search, on any worker."""

from __future__ import annotations

import httpx
from fastapi import FastAPI

from aicaller.core.cache import AppCache
from aicaller.core.query_monitor import QueryCounter, count_queries
from aicaller.knowledge.search.backend import SearchHit
from aicaller.knowledge.search.service import SearchService
from tests.factories import Tenant

SYNONYMS = "/api/v1/knowledge/synonyms"
BOOKING = b"""# Booking

## Same-day appointments
We keep some same-day appointments every morning: phone at 8am to get one.

## Cancelling
Cancel a booking at least a day ahead, by phone or by email.
"""


async def _search(
    app: FastAPI, tenant: Tenant, question: str, cache: AppCache | None = None
) -> tuple[list[SearchHit], QueryCounter]:
    """The hits of ``question`` and the statements the search ran."""
    async with app.state.database.transaction() as session:
        service = SearchService(session, tenant.business_id, cache or app.state.cache)
        with count_queries(keep_statements=True) as counter:
            _, hits = await service.search(question, limit=5)
    return hits, counter


def _reads_synonyms(counter: QueryCounter) -> bool:
    return any("search_synonyms" in statement for statement in counter.statements)


def _counts_terms(counter: QueryCounter) -> bool:
    """The search counted chunks per term (SQLite's index, PostgreSQL's ``search_lexemes``)."""
    return any(
        "search_lexemes" in statement or "SELECT 1 FROM chunks_fts" in statement
        for statement in counter.statements
    )


async def _upload(client: httpx.AsyncClient, tenant: Tenant) -> None:
    response = await client.post(
        "/api/v1/knowledge/documents", files={"file": ("b.md", BOOKING)}, headers=tenant.headers()
    )
    assert response.status_code == 201, response.text


async def test_a_search_reads_the_synonym_groups_once_per_knowledge_version(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant
) -> None:
    await _upload(client, tenant)
    hits, first = await _search(app, tenant, "how do I cancel my booking")
    assert hits[0].heading_path == "Booking > Cancelling"
    assert _reads_synonyms(first)

    hits, second = await _search(app, tenant, "a same day appointment")
    assert hits[0].heading_path == "Booking > Same-day appointments"
    assert not _reads_synonyms(second), second.statements
    # The knowledge version, the terms' counts, then the every-term and any-term queries in
    # one statement (``plan.planned_search``).
    assert second.count == 3, second.statements
    assert hits[1].heading_path == "Booking > Cancelling"  # the any-term tier: "day"

    _, repeated = await _search(app, tenant, "a same day appointment")
    assert repeated.count == 1, repeated.statements  # the version: the result is cached


async def test_a_group_changes_the_next_search_on_every_worker(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant
) -> None:
    await _upload(client, tenant)
    other_worker = AppCache(app.state.settings)  # its own in-process layer (Redis if set)
    await other_worker.start()
    try:
        for cache in (app.state.cache, other_worker):
            hits, _ = await _search(app, tenant, "do you take walk-ins", cache)
            assert hits == []  # the groups (none) are cached under this version

        created = await client.post(
            SYNONYMS, json={"words": ["walk in", "same day"]}, headers=tenant.headers()
        )
        assert created.status_code == 201, created.text
        workers = {"can I walk in this morning": app.state.cache, "walk in today": other_worker}
        for question, cache in workers.items():
            # A question not asked before (results are shared through Redis when it is set):
            # the result cache misses, and the new groups are used.
            hits, _ = await _search(app, tenant, question, cache)
            assert hits[0].heading_path == "Booking > Same-day appointments"

        gone = await client.delete(f"{SYNONYMS}/{created.json()['id']}", headers=tenant.headers())
        assert gone.status_code == 204
        for cache in (app.state.cache, other_worker):
            hits, _ = await _search(app, tenant, "walk in please", cache)
            assert hits == []
    finally:
        await other_worker.close()


async def test_terms_are_counted_again_only_when_the_knowledge_changes(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant
) -> None:
    await _upload(client, tenant)
    _, first = await _search(app, tenant, "a same day appointment")
    assert _counts_terms(first)
    # The same words in another order: the result cache misses, the counts are known.
    hits, again = await _search(app, tenant, "appointment on the same day")
    assert hits[0].heading_path == "Booking > Same-day appointments"
    assert not _counts_terms(again)
    assert again.count == 2, again.statements  # the knowledge version, then the search

    late = b"# Late arrivals\n\nArrive late for a same day appointment and we keep it an hour."
    response = await client.post(
        "/api/v1/knowledge/documents", files={"file": ("l.md", late)}, headers=tenant.headers()
    )
    assert response.status_code == 201, response.text
    hits, changed = await _search(app, tenant, "appointment on the same day")
    assert _counts_terms(changed)  # a new knowledge version: counted again
    assert "Late arrivals" in {hit.title for hit in hits}
