"""The search index follows every write to chunks: insert, update and delete, on both
databases (SQLite's FTS5 triggers, for its full and lead indexes; PostgreSQL's stored,
generated ``search_vector``, ``lead_vector`` and ``name_vector``)."""

from __future__ import annotations

import uuid

import httpx
from sqlalchemy import func, select, text, update

from aicaller.database.models import Chunk
from aicaller.database.session import Database
from aicaller.knowledge.search.service import backend_for
from tests.factories import Tenant

# What search_vector, lead_vector and name_vector must hold for each row (migrations 0005,
# 0009 and 0027).
_NAME = """
    setweight(to_tsvector('english', title), 'A')
    || setweight(to_tsvector('english', heading_path), 'B')"""
_EXPECTED = _NAME + "\n    || setweight(to_tsvector('english', {body}), 'C')"
_FULL, _LEAD = _EXPECTED.format(body="text"), _EXPECTED.format(body="substr(text, 1, 500)")
_STALE = (
    f"SELECT count(*) FROM chunks WHERE search_vector <> ({_FULL}) OR lead_vector <> ({_LEAD})"  # noqa: S608
    f" OR name_vector <> ({_NAME})"
)


async def _found(database: Database, business_id: uuid.UUID, word: str) -> list[str]:
    async with database.transaction() as session:
        hits = await backend_for(session).search(session, business_id, [word], 5)
        return [hit.title for hit in hits]


async def _in_lead(database: Database, backend: str, word: str) -> int:
    """Rows of SQLite's lead index (title, headings, first characters) holding ``word``."""
    if backend != "sqlite":
        return 0
    async with database.transaction() as session:
        rows = await session.execute(
            text("SELECT count(*) FROM chunks_fts_lead WHERE chunks_fts_lead MATCH :word"),
            {"word": f'"{word}"'},
        )
        return int(rows.scalar_one())


async def _stale_vectors(database: Database, backend: str) -> int:
    if backend != "postgresql":
        return 0
    async with database.transaction() as session:
        stale = await session.execute(text(_STALE))
        return int(stale.scalar_one())


async def test_the_index_follows_inserts_updates_and_deletes(
    client: httpx.AsyncClient, tenant: Tenant, database: Database, backend: str
) -> None:
    response = await client.post(
        "/api/v1/knowledge/documents",
        files={"file": ("boats.md", b"# Boats\n\nRowing boats for hire.")},
        headers=tenant.headers(),
    )
    assert response.status_code == 201, response.text
    assert await _found(database, tenant.business_id, "rowing") == ["Boats"]
    assert await _stale_vectors(database, backend) == 0
    sqlite = backend == "sqlite"
    assert await _in_lead(database, backend, "rowing") == int(sqlite)

    async with database.transaction() as session:
        await session.execute(
            update(Chunk)
            .where(Chunk.business_id == tenant.business_id)
            .values(text="Kayaks for hire.", title="Kayaks", heading_path="Kayaks")
        )
    assert await _found(database, tenant.business_id, "rowing") == []
    assert await _found(database, tenant.business_id, "kayaks") == ["Kayaks"]
    assert await _stale_vectors(database, backend) == 0
    assert await _in_lead(database, backend, "rowing") == 0
    assert await _in_lead(database, backend, "kayaks") == int(sqlite)

    async with database.transaction() as session:
        chunk = (await session.execute(select(Chunk))).scalars().one()
        chunk.heading_path = "Canoes"  # the ORM's own update path, one column
    assert await _found(database, tenant.business_id, "canoes") == ["Kayaks"]
    assert await _stale_vectors(database, backend) == 0
    assert await _in_lead(database, backend, "canoes") == int(sqlite)

    async with database.transaction() as session:
        await session.execute(text("DELETE FROM chunks"))
        assert await session.scalar(select(func.count()).select_from(Chunk)) == 0
    assert await _found(database, tenant.business_id, "kayaks") == []
    assert await _in_lead(database, backend, "kayaks") == 0
