"""PostgreSQL's any-term query first looks for its pool among the chunks naming a term in their
title or headings (ADR 0047): when enough of them outrank whatever a chunk holding the term only
in its body could score, those are the pool and the other candidates are never read; when too
few do, every candidate is ranked. Either way the results are the ones ranking every candidate
gives, including chunks repeating the term hundreds of times in their body."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from sqlalchemy import event

from aicaller.database.models import Chunk, Document
from aicaller.database.session import Database
from aicaller.knowledge.search import postgres
from aicaller.knowledge.search.backend import SearchHit
from aicaller.knowledge.search.plan import Query
from tests.factories import Tenant


@pytest.fixture
def _postgresql_only(backend: str) -> None:
    if backend != "postgresql":
        pytest.skip("PostgreSQL's first stage (SQLite's bm25 has no such bound)")


async def _add(database: Database, business_id: uuid.UUID, chunks: list[tuple[str, str]]) -> None:
    """A document of chunks (title, text)."""
    async with database.transaction() as session:
        document = Document(
            business_id=business_id,
            kind="upload",
            title="Animals",
            media_type="text/plain",
            size_bytes=0,
            content="",
            content_hash="",
            chunk_count=len(chunks),
        )
        session.add(document)
        await session.flush()
        session.add_all(
            Chunk(
                business_id=business_id,
                document_id=document.id,
                ordinal=index,
                title=title,
                heading_path="",
                text=body,
                token_count=len(body.split()),
            )
            for index, (title, body) in enumerate(chunks)
        )


def _body_only(count: int) -> list[tuple[str, str]]:
    """Chunks holding "zebra" only in their text, up to 300 times (past the 256 positions a
    tsvector keeps), some of them short: the most a body-only chunk can rank."""
    return [(f"Page {i}", "zebra " * (1 + i % 300) + f"stripes {i}") for i in range(count)]


async def _search(
    database: Database, business_id: uuid.UUID, by_name_from: int, monkeypatch: pytest.MonkeyPatch
) -> tuple[list[SearchHit], list[Any]]:
    """The backend's hits for "zebra", and the plan of the statement that found them."""
    monkeypatch.setattr(postgres, "BY_NAME_FROM", by_name_from)
    captured: list[tuple[str, Any]] = []

    def keep(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if statement.lstrip().startswith("WITH"):
            captured.append((statement, parameters))

    event.listen(database.engine.sync_engine, "before_cursor_execute", keep)
    try:
        async with database.transaction() as session:
            hits = await postgres.PostgresSearch().search(session, business_id, ["zebra"], 24)
    finally:
        event.remove(database.engine.sync_engine, "before_cursor_execute", keep)
    ((statement, parameters),) = captured
    async with database.transaction() as session:
        connection = await session.connection()
        rows = await connection.exec_driver_sql(
            f"EXPLAIN (ANALYZE, FORMAT JSON) {statement}", parameters
        )
        plan = rows.scalar_one()
    return hits, json.loads(plan) if isinstance(plan, str) else plan


def _all_candidates_read(plan: Any) -> int:
    """The rows the plan's ranking of every candidate read: under the gate that runs it only
    when the chunks naming a term did not decide the pool (a One-Time Filter of NOT ...)."""
    if isinstance(plan, list):
        return sum(_all_candidates_read(node) for node in plan)
    if not isinstance(plan, dict):
        return 0
    if str(plan.get("One-Time Filter", "")).startswith("(NOT "):
        return int(plan["Actual Rows"])
    return sum(_all_candidates_read(value) for value in plan.values())


def _ranked(hits: list[SearchHit]) -> list[tuple[str, float]]:
    return [(hit.title, hit.score) for hit in hits]


@pytest.mark.usefixtures("_postgresql_only")
async def test_chunks_naming_the_term_decide_the_pool_unread_others(
    database: Database, tenant: Tenant, monkeypatch: pytest.MonkeyPatch
) -> None:
    named = [(f"Zebra {i}", f"Notes on stripes, number {i}.") for i in range(110)]
    await _add(database, tenant.business_id, named + _body_only(300))

    by_name, plan = await _search(database, tenant.business_id, 1, monkeypatch)
    every, full_plan = await _search(database, tenant.business_id, 10**9, monkeypatch)

    assert _ranked(by_name) == _ranked(every)
    assert len(by_name) == 24
    assert _all_candidates_read(plan) == 0
    assert _all_candidates_read(full_plan) == 410


@pytest.mark.usefixtures("_postgresql_only")
async def test_too_few_chunks_naming_the_term_rank_every_candidate(
    database: Database, tenant: Tenant, monkeypatch: pytest.MonkeyPatch
) -> None:
    named = [(f"Zebra {i}", f"Notes on stripes, number {i}.") for i in range(20)]
    await _add(database, tenant.business_id, named + _body_only(300))

    by_name, plan = await _search(database, tenant.business_id, 1, monkeypatch)
    every, _ = await _search(database, tenant.business_id, 10**9, monkeypatch)

    assert _ranked(by_name) == _ranked(every)
    assert any(title.startswith("Page") for title, _ in _ranked(by_name))
    assert _all_candidates_read(plan) == 320


def test_only_any_term_queries_of_one_or_two_plain_terms_over_many_candidates_go_by_name() -> None:
    """Where the named chunks seldom decide, or the bound does not hold, every candidate is
    ranked from the start."""
    assert postgres.by_name(Query(["zebra"], every=False), [5000])
    assert postgres.by_name(Query(["café", "v2"], every=False), [600, 600])
    assert not postgres.by_name(Query(["zebra"], every=False), [999])  # few: all are cheap
    assert not postgres.by_name(Query(["zebra", "stripes"], every=True), [5000, 5000])
    assert not postgres.by_name(Query(["a", "b", "c"], every=False), [5000, 5000, 5000])
    # PostgreSQL's parser makes "ab½cd" the phrase 'ab' <-> 'cd', which ts_rank ranks otherwise
    assert not postgres.by_name(Query(["ab½cd"], every=False), [5000])
