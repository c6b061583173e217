"""The any-term query keeps only the rarest terms, so common words cannot make a search slow,
and each backend knows how many chunks hold a term."""

from __future__ import annotations

import uuid
from dataclasses import replace

import httpx
import pytest
from sqlalchemy import text

from aicaller.core.query_monitor import count_queries
from aicaller.database.session import Database
from aicaller.knowledge.search import plan
from aicaller.knowledge.search import sqlite as sqlite_search
from aicaller.knowledge.search.backend import SearchHit
from aicaller.knowledge.search.plan import Query, broad_terms, normalise, query_tiers
from aicaller.knowledge.search.postgres_stats import LexemeCounts, lexeme_counts
from aicaller.knowledge.search.service import backend_for
from tests.factories import Tenant

SEARCH = "/api/v1/knowledge/search"


def test_broad_terms_keep_the_rarest_within_the_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(plan, "BROAD_BUDGET", 100)
    assert broad_terms(["file", "sha256", "hash"], [900, 3, 60]) == ["sha256", "hash"]
    # The rarest term is searched even when it alone is over the budget.
    assert broad_terms(["file", "line"], [900, 400]) == ["line"]
    # A term in no chunk adds nothing; unknown counts prune nothing.
    assert broad_terms(["typo", "hash"], [0, 60]) == ["hash"]
    assert broad_terms(["file", "hash"], [None, 60]) == ["file", "hash"]
    assert broad_terms(["typo"], [0]) == []


def test_query_tiers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(plan, "BROAD_BUDGET", 100)
    counts: list[int | None] = [900, 3, 60]
    assert query_tiers(["file", "sha256", "hash"], counts) == [
        Query(["file", "sha256", "hash"], every=True),
        Query(["sha256", "hash"], every=False),  # the rarest within the budget
    ]
    # A word in no chunk is left out: the others must all be there.
    assert query_tiers(["typo", "sha256", "hash"], [0, 3, 60]) == [
        Query(["sha256", "hash"], every=True),
        Query(["sha256", "hash"], every=False),
    ]
    assert query_tiers(["hash"], [60]) == [Query(["hash"], every=False)]
    assert query_tiers(["file", "hash"], [None, None]) == [
        Query(["file", "hash"], every=True),
        Query(["file", "hash"], every=False),
    ]
    # A long spoken question is not required whole: any of its words, best bm25 first.
    words = ["admin", "account", "log", "first", "time"]
    assert query_tiers(words, [1, 2, 3, 4, 5]) == [Query(words, every=False)]


def test_each_tier_scores_below_the_one_before() -> None:
    def hit(score: float) -> SearchHit:
        return SearchHit(uuid.uuid4(), uuid.uuid4(), "t", None, "t", "x", "x", score)

    ranked = [(hit(8.0), 0), (hit(2.0), 0), (hit(30.0), 1), (hit(5.0), 2)]
    # Three tiers, a third of the range each; within one, relative to its best hit.
    assert [h.score for h in normalise(ranked)] == [1.0, 0.75, 0.6667, 0.3333]
    assert [h.score for h in normalise([(hit(3.0), 2), (hit(1.5), 2)])] == [1.0, 0.5]
    assert normalise([]) == []


async def test_one_statement_answers_from_the_lead_index_or_the_tiers_after_it() -> None:
    def hit(score: float) -> SearchHit:
        return SearchHit(uuid.uuid4(), uuid.uuid4(), "t", None, "t", "x", "x", score)

    led, every, broad = [hit(4.0), hit(2.0)], [hit(9.0)], [hit(3.0), hit(1.0)]
    asked: list[Query | None] = []

    async def together(
        lead: Query | None, _every: Query, _broad: Query
    ) -> tuple[list[SearchHit], list[SearchHit], list[SearchHit]]:
        asked.append(lead)
        return led, every, broad + every  # a repeated hit counts once

    async def one(_query: Query) -> list[SearchHit]:
        return broad

    terms, common = ["class", "method", "define"], [9000, 8000, 7000]
    # Three common words: the lead index's hits, when there are enough of them.
    found = await plan.planned_search(one, together, terms, list(common), limit=2)
    assert [h.chunk_id for h in found] == [h.chunk_id for h in led]
    assert asked[0] is not None
    # Too few there: the every-term tier, then the any-term one below it.
    found = await plan.planned_search(one, together, terms, list(common), limit=5)
    assert [h.chunk_id for h in found] == [h.chunk_id for h in every + broad]
    assert [h.score for h in found] == [1.0, 0.5, 0.1667]
    # Rarer words: no lead query; a long question: the any-term query alone.
    await plan.planned_search(one, together, terms, [90, 80, 70], limit=5)
    assert asked[-1] is None
    words = ["admin", "account", "log", "first", "time"]
    assert await plan.planned_search(one, together, words, [1, 2, 3, 4, 5], limit=5) == [
        replace(hit, score=score) for hit, score in zip(broad, [1.0, 0.3333], strict=True)
    ]


def test_rare_words_weigh_more_in_postgres_ranking() -> None:
    statistics = LexemeCounts(total=10_000, chunks=[], lexemes=[], average_length=50.0)
    rare, common = statistics.weight(5), statistics.weight(4_000)
    assert rare > 4 * common > 0


async def _upload(client: httpx.AsyncClient, tenant: Tenant, name: str, body: str) -> None:
    response = await client.post(
        "/api/v1/knowledge/documents",
        files={"file": (name, body.encode())},
        headers=tenant.headers(),
    )
    assert response.status_code == 201, response.text


async def test_common_words_are_left_out_of_the_any_term_query(
    client: httpx.AsyncClient,
    tenant: Tenant,
    database: Database,
    backend: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for index in range(4):
        await _upload(
            client, tenant, f"visit{index}.md", f"# Visit {index}\n\nBook an appointment."
        )
    await _upload(client, tenant, "whitening.md", "# Whitening\n\nWhitening lasts two years.")
    question = {"q": "appointment whitening"}  # no chunk holds both words

    found = await client.get(SEARCH, params=question, headers=tenant.headers())
    assert {r["title"] for r in found.json()["results"]} == {
        "Whitening", "Visit 0", "Visit 1", "Visit 2", "Visit 3",
    }  # fmt: skip
    monkeypatch.setattr(plan, "BROAD_BUDGET", 2)
    await _upload(client, tenant, "hours.md", "# Hours\n\nOpen at eight.")  # a new cache version
    pruned = await client.get(SEARCH, params=question, headers=tenant.headers())
    assert [r["title"] for r in pruned.json()["results"]] == ["Whitening"]


async def test_chunk_counts(
    client: httpx.AsyncClient, tenant: Tenant, database: Database, backend: str
) -> None:
    terms = ["appointment", "whitening", "invisalign"]
    for index in range(3):
        await _upload(client, tenant, f"visit{index}.md", f"# Visit {index}\n\nAppointments.")
    await _upload(client, tenant, "whitening.md", "# Whitening\n\nWhitening lasts two years.")
    async with database.transaction() as session:
        # Exact on both, and counted with the stemmer: "Appointments" holds "appointment".
        counts: list[int | None]
        if backend == "postgresql":
            counts = list((await lexeme_counts(session, tenant.business_id, terms)).chunks)
        else:
            counts = await sqlite_search.chunk_counts(session, terms)
    assert counts == [3, 1, 0]


async def test_sqlite_joins_only_the_best_rows(database: Database, backend: str) -> None:
    """The outer query walks the few best rows and looks each up in the index by rowid; a
    plan that scans the MATCH again joins every matching chunk (5x slower at 1,500)."""
    if backend != "sqlite":
        pytest.skip("SQLite's query plan")
    params = {"match": '"parking"', "business_id": "0" * 32, "limit": 5}
    async with database.transaction() as session:
        plan_rows = await session.execute(
            text(f"EXPLAIN QUERY PLAN {sqlite_search._QUERY.text}"), params
        )
        steps = [row.detail for row in plan_rows if row.parent == 0]
    outer_loop = next(step for step in steps if step.startswith("SCAN"))
    assert outer_loop == "SCAN best", steps
    # Then each row's index entry by rowid alone (a MATCH there would seek every term's
    # posting list again), its chunk and its document by primary key, in that order.
    loops = [step for step in steps if step.startswith(("SCAN", "SEARCH"))]
    assert loops[1] == "SCAN chunks_fts VIRTUAL TABLE INDEX 0:=", steps
    assert loops[2].startswith("SEARCH c USING"), steps
    assert loops[3].startswith("SEARCH d USING"), steps


async def test_sqlite_two_tiers_join_their_best_rows_by_rowid(
    database: Database, backend: str
) -> None:
    """Each tier of the two-tier statement joins only its best rows, by rowid, no MATCH."""
    if backend != "sqlite":
        pytest.skip("SQLite's query plan")
    params = {"match": '"parking"', "broad": '"parking" OR "car"', "limit": 5}
    async with database.transaction() as session:
        plan_rows = await session.execute(
            text(f"EXPLAIN QUERY PLAN {sqlite_search._TWO_TIERS.text}"),
            {**params, "business_id": "0" * 32},
        )
        steps = [row.detail for row in plan_rows]
    lookups = [step for step in steps if step.startswith("SCAN chunks_fts VIRTUAL TABLE")]
    # Two best-rows queries (MATCH: "M...") and two lookups of their rows by rowid alone.
    assert lookups.count("SCAN chunks_fts VIRTUAL TABLE INDEX 0:=") == 2, steps
    assert sum(step.startswith("SCAN chunks_fts VIRTUAL TABLE INDEX 0:M") for step in lookups) == 2


async def test_questions_of_common_words_read_the_lead_index(
    client: httpx.AsyncClient,
    tenant: Tenant,
    database: Database,
    backend: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Three or more terms each in over ``BROAD_BUDGET`` chunks: titles, headings and the first
    500 characters answer; the whole text only when they find fewer than ``limit`` chunks."""
    monkeypatch.setattr(sqlite_search, "BROAD_BUDGET", 2)  # SQLite counts up to just past it
    monkeypatch.setattr(plan, "BROAD_BUDGET", 2)
    for index in range(3):
        await _upload(client, tenant, f"early{index}.md", f"# Early {index}\n\nHarbour ferry pier.")
    filler = " ".join(f"word{index}" for index in range(100))  # past the first 500 characters
    # The full index ranks this one first: the words, late in its text, again and again.
    await _upload(client, tenant, "late.md", f"# Late\n\n{filler} {'harbour ferry pier ' * 30}")
    question = "harbour ferry pier"

    async def titles(limit: int) -> set[str]:
        # The backend itself: the service asks it for a larger pool (pages.pool_size).
        async with database.transaction() as session:
            with count_queries() as counter:
                hits = await backend_for(session).search(
                    session, tenant.business_id, question.split(), limit
                )
        # The terms' counts, then the lead index and, if it found too few, the full one: one
        # statement (``plan.planned_search``).
        assert counter.count == 2
        return {hit.title for hit in hits}

    assert await titles(3) == {"Early 0", "Early 1", "Early 2"}
    assert await titles(4) == {"Early 0", "Early 1", "Early 2", "Late"}
