"""The calls list's text search finds the same calls on both engines and by both of SQLite's ways
(starting from the FTS5 trigram matches, or walking the list's order): what a plain substring
test of the same data finds, case-insensitively, with FTS5 and LIKE syntax taken literally, and
never another business's calls. SQLite's FTS5 tables follow every write, are kept by triggers
that exist at head, and are filled from the calls already there when migration 0024 runs."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import column, insert, inspect, table, text, update

from aicaller import bootstrap
from aicaller.calls import text_search
from aicaller.calls.repository import CallFilters, CallRepository
from aicaller.config import Settings
from aicaller.database import migrate
from aicaller.database.models import Call, TranscriptTurn
from aicaller.database.session import Database, create_engine
from tests.calls.seed import add_turns, call_row, insert_calls
from tests.factories import Tenant

CALLS = "/api/v1/calls"
SUMMARIES = [
    "Boiler pressure dropped to 0.5 bar",
    "Asked for 100% refund",
    'Said "hi" and hung up',
    "Wants a*b NEAR the café",
    "Order -x- : col:umn",
    None,
]
TURNS = [
    ["Hello", "my BOILER is leaking"],
    ["the d_i valve", "nothing"],
    [],
    ["Where is the café?"],
    ["OR AND NOT", "boil"],
    ['say "hi" to the boiler man\'s'],
]
QUERIES = [
    "boiler", "BoIlEr", "oiler pre", "100%", "d_i", '"hi"', "a*b", "NEAR", "café", "-x-",
    "col:umn", "OR AND", "man's", "zzqx", "hi", "%", "_",
]  # fmt: skip
TRIGGERS = {
    f"calls_text_{kind}_{event}"
    for kind in ("call", "turn")
    for event in ("insert", "update", "delete")
}


@pytest.fixture(params=["index", "walk"])
def way(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """SQLite starts from the FTS5 matches below ``COMMON`` matches and walks at or above it."""
    monkeypatch.setattr(text_search, "COMMON", 10**9 if request.param == "index" else 1)
    return str(request.param)


async def _found(client: httpx.AsyncClient, tenant: Tenant, q: str) -> set[str]:
    response = await client.get(CALLS, params={"q": q, "limit": 100}, headers=tenant.headers())
    assert response.status_code == 200, response.text
    return {item["id"] for item in response.json()["items"]}


async def _seed(database: Database, tenant: Tenant, other: Tenant) -> dict[str, list[str]]:
    """The tenant's calls and, word for word, the other business's; id -> searchable texts."""
    texts: dict[str, list[str]] = {}
    for business in (tenant.business_id, other.business_id):
        rows = [call_row(business, summary=summary) for summary in SUMMARIES]
        await insert_calls(database, rows)
        for row, turns in zip(rows, TURNS, strict=True):
            await add_turns(database, business, row.id, turns)
            if business == tenant.business_id:
                texts[str(row.id)] = [t for t in [row.summary, *turns] if t is not None]
    return texts


def _expected(texts: dict[str, list[str]], q: str) -> set[str]:
    return {call for call, said in texts.items() if any(q.lower() in t.lower() for t in said)}


async def test_every_way_finds_what_a_substring_test_finds(
    client: httpx.AsyncClient,
    database: Database,
    tenant: Tenant,
    other_tenant: Tenant,
    way: str,
) -> None:
    texts = await _seed(database, tenant, other_tenant)
    for q in QUERIES:
        assert await _found(client, tenant, q) == _expected(texts, q), (q, way)
    assert len(_expected(texts, "boiler")) == 2  # in a summary and a turn; in a turn alone


async def test_the_search_follows_every_write(
    client: httpx.AsyncClient, database: Database, tenant: Tenant, way: str
) -> None:
    row = call_row(tenant.business_id, summary="old summary words")
    await insert_calls(database, [row])
    await add_turns(database, tenant.business_id, row.id, ["first turn", "second turn"])
    assert await _found(client, tenant, "summary words") == {str(row.id)}
    call = update(Call).where(Call.id == row.id)
    turns = update(TranscriptTurn).where(TranscriptTurn.call_id == row.id)
    changes: list[tuple[Any, str, set[str]]] = [
        (call.values(summary="new summary"), "old summary", set()),
        (call.values(summary="renamed"), "renamed", {str(row.id)}),
        (turns.where(TranscriptTurn.sequence == 0).values(text="edited"), "first turn", set()),
        (turns.values(text="both edited"), "both edited", {str(row.id)}),
        (call.values(summary=None), "renamed", set()),
    ]
    for statement, q, expected in changes:
        async with database.transaction() as session:
            await session.execute(statement)
        assert await _found(client, tenant, q) == expected, q
    async with database.transaction() as session:
        await session.execute(text("DELETE FROM calls WHERE id = :id"), {"id": row.id.hex})
    assert await _found(client, tenant, "both edited") == set()
    assert await _found(client, tenant, "renamed") == set()


async def test_sqlite_keeps_its_search_triggers_and_no_stale_rows(
    client: httpx.AsyncClient, database: Database, tenant: Tenant, backend: str
) -> None:
    if backend != "sqlite":
        pytest.skip("PostgreSQL searches with its trigram indexes (migration 0020)")
    row = call_row(tenant.business_id, summary="to be deleted")
    await insert_calls(database, [row])
    await add_turns(database, tenant.business_id, row.id, ["one", "two"])
    async with database.transaction() as session:
        names = await session.execute(
            text("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'calls_t%'")
        )
        assert {name for (name,) in names} == TRIGGERS
        await session.execute(text("DELETE FROM calls WHERE id = :id"), {"id": row.id.hex})
        for table in ("calls_text_summaries", "calls_text_turns", "calls_text_keys"):
            left = await session.execute(text(f"SELECT count(*) FROM {table}"))  # noqa: S608
            assert left.scalar_one() == 0, table


async def test_sqlite_migration_indexes_the_calls_already_there(way: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite+aiosqlite:///{Path(tmp) / 'before.db'}"
        settings = Settings.model_validate(
            {"environment": "test", "data_dir": Path(tmp), "database_url": url}
        )
        database = Database(create_engine(settings))
        try:
            await migrate.upgrade(database.engine, "0023")
            async with database.transaction() as session:
                business = await bootstrap.create_business(session, name="Before")
            calls = [call_row(business.id, summary=f"visit {i} about the boiler") for i in range(3)]
            await _insert_as_at_revision(database, calls)
            await add_turns(database, business.id, calls[0].id, ["a leaking tap"])
            await migrate.upgrade(database.engine)
            async with database.transaction() as session:
                repository = CallRepository(session, business.id)
                for q, expected in (("boiler", calls), ("leaking", calls[:1]), ("zzqx", [])):
                    rows, _next = await repository.list_page(
                        CallFilters(q=q), sort="started_at", descending=True, limit=50, cursor=None
                    )
                    assert {r["id"] for r in rows} == {c.id for c in expected}, q
        finally:
            await database.dispose()


async def _insert_as_at_revision(database: Database, calls: list[Call]) -> None:
    """Writes ``calls`` through only the columns the database has now: the model is at head,
    and a later migration's columns do not exist yet at an older revision."""
    async with database.transaction() as session:
        present = {row[1] for row in await session.execute(text("PRAGMA table_info(calls)"))}
        columns = [c for c in Call.__table__.columns if c.name in present]
        mapper = inspect(Call)
        rows = []
        for call in calls:
            row: dict[str, Any] = {}
            for c in columns:
                value = getattr(call, mapper.get_property_by_column(c).key)
                if value is None and c.default is not None and c.default.is_scalar:
                    value = c.default.arg
                elif value is None and c.default is not None and c.default.is_callable:
                    value = c.default.arg(None)
                if value is not None:
                    row[c.name] = value
            rows.append(row)
        before = table("calls", *(column(c.name, c.type) for c in columns))
        for row in rows:
            await session.execute(insert(before).values(row))


def test_fts_phrases_quote_their_quotes() -> None:
    assert text_search.fts_phrase('say "hi"') == '"say ""hi"""'
