"""PostgreSQL's per-business lexeme counts (migration 0022) stay exact through uploads, edits,
re-syncs and deletions, each business counted apart; and the ranking they weigh puts the chunk
naming a rare word above chunks dense in common ones, however many of those there are."""

from __future__ import annotations

import uuid

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import text, update

from aicaller.database.models import Chunk
from aicaller.database.session import Database
from aicaller.knowledge.search import postgres
from aicaller.knowledge.search.postgres_stats import lexeme_counts
from aicaller.knowledge.search.service import backend_for
from tests.factories import Tenant
from tests.knowledge.site import DocSite, html
from tests.knowledge.sources.test_sync import add_source, small_site, sync

DOCUMENTS = "/api/v1/knowledge/documents"
# The counts as they should be, from the chunks themselves: per business, the chunks holding
# each lexeme, '' the chunks, ' ' the lexemes they hold.
_TRUTH = """
    SELECT business_id, lexeme, sum(n) AS chunks FROM (
        SELECT business_id, unnest(tsvector_to_array(search_vector)) AS lexeme, 1 AS n
        FROM chunks
        UNION ALL SELECT business_id, '', 1 FROM chunks
        UNION ALL SELECT business_id, ' ', length(search_vector) FROM chunks) AS x
    GROUP BY business_id, lexeme"""
_DRIFT = f"""
    SELECT count(*) FROM (
        (SELECT business_id, lexeme, chunks FROM search_lexemes WHERE chunks <> 0
         EXCEPT {_TRUTH})
        UNION ALL
        ({_TRUTH} EXCEPT SELECT business_id, lexeme, chunks FROM search_lexemes)) AS d"""  # noqa: S608


@pytest.fixture(autouse=True)
def _postgresql_only(backend: str) -> None:
    if backend != "postgresql":
        pytest.skip("PostgreSQL's lexeme counts (SQLite's FTS5 keeps its own)")


async def _drift(database: Database) -> int:
    async with database.transaction() as session:
        return int((await session.execute(text(_DRIFT))).scalar_one())


async def _counts(database: Database, tenant: Tenant, terms: list[str]) -> tuple[int, list[int]]:
    async with database.transaction() as session:
        counts = await lexeme_counts(session, tenant.business_id, terms)
    return counts.total, counts.chunks


async def _upload(client: httpx.AsyncClient, tenant: Tenant, name: str, body: str) -> str:
    response = await client.post(
        DOCUMENTS, files={"file": (name, body.encode())}, headers=tenant.headers()
    )
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def test_counts_follow_uploads_edits_and_deletions_per_business(
    client: httpx.AsyncClient, tenant: Tenant, other_tenant: Tenant, database: Database
) -> None:
    whitening = await _upload(client, tenant, "whitening.md", "# Whitening\n\nWhitening lasts.")
    await _upload(client, tenant, "visits.md", "# Visits\n\nBook appointments early.")
    for index in range(3):  # the other business's words do not count for this one
        await _upload(client, other_tenant, f"w{index}.md", f"# W{index}\n\nWhitening kits.")
    assert await _counts(database, tenant, ["whitening", "appointment", "zebra"]) == (2, [1, 1, 0])
    assert await _counts(database, other_tenant, ["whitening", "appointment"]) == (3, [3, 0])

    async with database.transaction() as session:  # an edit in place moves the counts too
        await session.execute(
            update(Chunk)
            .where(Chunk.document_id == uuid.UUID(whitening))
            .values(text="Appointments for whitening.")
        )
    assert await _counts(database, tenant, ["whitening", "appointment"]) == (2, [1, 2])
    deleted = await client.delete(f"{DOCUMENTS}/{whitening}", headers=tenant.headers())
    assert deleted.status_code == 204, deleted.text
    assert await _counts(database, tenant, ["whitening", "appointment"]) == (1, [0, 1])
    assert await _counts(database, other_tenant, ["whitening"]) == (3, [3])
    assert await _drift(database) == 0


async def test_counts_follow_a_resync_and_the_source_s_deletion(
    app: FastAPI,
    client: httpx.AsyncClient,
    tenant: Tenant,
    database: Database,
    site: DocSite,
) -> None:
    small_site(site)
    source = await add_source(client, tenant, site.url("/"))
    assert (await sync(app, client, tenant, source["id"]))["status"] == "completed"
    before = await _counts(database, tenant, ["refund", "voucher"])
    assert before[1] == [1, 0]
    site.page("/faq", html("FAQ", "Vouchers replace refunds after fourteen days."))
    resynced = await sync(app, client, tenant, source["id"], force=True)
    assert resynced["status"] == "completed"
    after = await _counts(database, tenant, ["refund", "voucher"])
    assert after == (before[0], [1, 1])  # the page's chunks replaced, not added
    assert await _drift(database) == 0
    deleted = await client.delete(
        f"/api/v1/documentation/sources/{source['id']}", headers=tenant.headers()
    )
    assert deleted.status_code == 204, deleted.text
    assert await _counts(database, tenant, ["refund", "voucher"]) == (0, [0, 0])
    assert await _drift(database) == 0


async def test_a_rare_word_outranks_chunks_dense_in_common_ones(
    client: httpx.AsyncClient,
    tenant: Tenant,
    database: Database,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """More chunks dense in the common words than the first stage keeps: ranked by ts_rank
    alone (no inverse document frequency) they filled it, and the chunk naming the rare word
    the caller asked about never reached the rerank."""
    monkeypatch.setattr(postgres, "POOL", 3)
    for index in range(6):
        dense = " ".join(["Commit the branch, then commit the branch again."] * 8)
        await _upload(client, tenant, f"dense{index}.md", f"# Branch commit {index}\n\n{dense}")
    await _upload(
        client, tenant, "worktree.md", "# Worktree\n\nA worktree checks a branch out elsewhere."
    )
    async with database.transaction() as session:
        hits = await backend_for(session).search(
            session, tenant.business_id, ["commit", "branch", "worktree"], 3
        )
    assert hits[0].title == "Worktree"
