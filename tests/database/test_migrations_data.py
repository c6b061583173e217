"""Migrations keep the data in place: tenant rows, documents, chunks and their search index
survive upgrades (and downgrades) on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import Uuid, column, inspect, table, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from sqlalchemy.sql.expression import ColumnClause

from aicaller.database import migrate
from aicaller.database.types import UTCDateTime
from aicaller.knowledge.search.postgres import PostgresSearch
from aicaller.knowledge.search.postgres_stats import lexeme_counts
from aicaller.knowledge.search.sqlite import SqliteSearch

BUSINESS_COLUMNS = (
    "id", "name", "timezone", "greeting", "business_hours", "escalation_numbers",
    "agent_instructions", "language", "max_call_duration_seconds", "created_at", "updated_at",
)  # fmt: skip
DOCUMENT_COLUMNS = (
    "id", "business_id", "kind", "title", "media_type", "size_bytes", "content",
    "content_hash", "chunk_count", "created_at", "updated_at",
)  # fmt: skip
CHUNK_COLUMNS = (
    "id", "business_id", "document_id", "ordinal", "title", "heading_path", "text",
    "token_count", "created_at", "updated_at",
)  # fmt: skip


def _typed(names: tuple[str, ...]) -> list[ColumnClause[Any]]:
    """Lightweight columns typed like the models' (ids as UUIDs, *_at as UTC timestamps)."""

    def kind(name: str) -> Any:
        if name == "id" or name.endswith("_id"):
            return Uuid()
        return UTCDateTime() if name.endswith("_at") else None

    return [column(name, kind(name)) for name in names]


async def _one_chunk(engine: AsyncEngine, body: str = "x") -> dict[str, uuid.UUID]:
    """A business with one document of one chunk, written with the tables' own columns."""
    ids = {name: uuid.uuid4() for name in ("business", "document", "chunk")}
    now = datetime.now(UTC)
    stamps = {"created_at": now, "updated_at": now}
    businesses = table("businesses", *_typed(BUSINESS_COLUMNS))
    documents = table("documents", *_typed(DOCUMENT_COLUMNS))
    chunks = table("chunks", *_typed(CHUNK_COLUMNS))
    async with engine.begin() as connection:
        await connection.execute(
            businesses.insert().values(
                id=ids["business"],
                name="B",
                timezone="UTC",
                greeting="Hi",
                business_hours="{}",
                escalation_numbers="[]",
                agent_instructions="",
                language="en-US",
                max_call_duration_seconds=1800,
                **stamps,
            )
        )
        await connection.execute(
            documents.insert().values(
                id=ids["document"],
                business_id=ids["business"],
                kind="upload",
                title="T",
                media_type="text/plain",
                size_bytes=1,
                content="x",
                content_hash="h",
                chunk_count=1,
                **stamps,
            )
        )
        await connection.execute(
            chunks.insert().values(
                id=ids["chunk"],
                business_id=ids["business"],
                document_id=ids["document"],
                ordinal=0,
                title="T",
                heading_path="T",
                text=body,
                token_count=1,
                **stamps,
            )
        )
    return ids


async def test_knowledge_survives_upgrading_to_documentation_sources(
    empty_engine: AsyncEngine,
) -> None:
    """0006 adds a column to documents; rebuilding that table would cascade-delete chunks."""
    await migrate.upgrade(empty_engine, "0005")
    await _one_chunk(empty_engine)
    await migrate.upgrade(empty_engine)
    await migrate.downgrade(empty_engine, "0005")
    async with empty_engine.connect() as connection:
        count = await connection.execute(text("SELECT count(*) FROM chunks"))
        assert count.scalar_one() == 1


async def test_search_index_moves_to_business_partitions(empty_engine: AsyncEngine) -> None:
    """0007 rebuilds SQLite's FTS5 index by business rowid range: what was indexed before is
    found after, by its business only, and again after a downgrade."""
    if empty_engine.dialect.name != "sqlite":
        pytest.skip("SQLite's full-text index")
    await migrate.upgrade(empty_engine, "0006")
    ids = await _one_chunk(empty_engine, "Free parking behind the building.")
    await migrate.upgrade(empty_engine)
    async with AsyncSession(empty_engine) as session:
        hits = await SqliteSearch().search(session, ids["business"], ["parking"], 5)
        assert [hit.chunk_id for hit in hits] == [ids["chunk"]]
        assert await SqliteSearch().search(session, uuid.uuid4(), ["parking"], 5) == []
    async with empty_engine.connect() as connection:  # VACUUM keeps the partitions' rowids
        autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
        await autocommit.exec_driver_sql("VACUUM")
    async with AsyncSession(empty_engine) as session:
        hits = await SqliteSearch().search(session, ids["business"], ["parking"], 5)
        assert [hit.chunk_id for hit in hits] == [ids["chunk"]]
    await migrate.downgrade(empty_engine, "0006")
    async with empty_engine.connect() as connection:
        match = f'tenant:"t{ids["business"].hex}0" AND "parking"'
        found = await connection.execute(
            text("SELECT count(*) FROM chunks_fts WHERE chunks_fts MATCH :match"), {"match": match}
        )
        assert found.scalar_one() == 1


async def test_tenant_data_survives_the_agent_migration_both_ways(
    empty_engine: AsyncEngine,
) -> None:
    """0008 adds columns to businesses; a table rebuild there would cascade to every tenant
    table (here: a document's chunk), so it must use plain ALTER TABLE both ways."""
    await migrate.upgrade(empty_engine, "0007")
    await _one_chunk(empty_engine)
    await migrate.upgrade(empty_engine, "0008")
    async with empty_engine.connect() as connection:
        row = (
            await connection.execute(
                text("SELECT agent_mode, emergency_phrases FROM businesses WHERE name = 'B'")
            )
        ).one()
        assert row[0] == "offline"
        assert row[1] in ("[]", [])  # JSON: text on SQLite, decoded on PostgreSQL
    await migrate.downgrade(empty_engine, "0007")
    async with empty_engine.connect() as connection:
        count = await connection.execute(text("SELECT count(*) FROM chunks"))
        assert count.scalar_one() == 1
        columns = await connection.run_sync(
            lambda sync: {c["name"] for c in inspect(sync).get_columns("businesses")}
        )
        assert "agent_mode" not in columns


async def _vector_storage(engine: AsyncEngine) -> str:
    async with engine.connect() as connection:
        storage = await connection.execute(
            text(
                "SELECT attstorage::text FROM pg_attribute"
                " WHERE attrelid = 'chunks'::regclass AND attname = 'search_vector'"
            )
        )
        return str(storage.scalar_one())


async def test_search_vectors_move_into_the_row_and_back(empty_engine: AsyncEngine) -> None:
    """0009 keeps PostgreSQL's tsvectors in the row (storage MAIN) and rewrites the rows there;
    SQLite gains its lead index. Chunks and their search survive both ways."""
    await migrate.upgrade(empty_engine, "0008")
    words = " ".join(f"lighthouse{index}" for index in range(400))  # a row past 2 kB
    ids = await _one_chunk(empty_engine, f"Free parking behind the building. {words}")
    await migrate.upgrade(empty_engine, "0009")
    postgres = empty_engine.dialect.name == "postgresql"
    if postgres:
        assert await _vector_storage(empty_engine) == "m"
    else:  # the lead index holds what was indexed before
        async with empty_engine.connect() as connection:
            lead = await connection.execute(
                text("SELECT count(*) FROM chunks_fts_lead WHERE chunks_fts_lead MATCH 'parking'")
            )
            assert lead.scalar_one() == 1
    assert await _found(empty_engine, ids["business"], "parking lighthouse399") == [ids["chunk"]]
    await migrate.downgrade(empty_engine, "0008")
    if postgres:
        assert await _vector_storage(empty_engine) == "x"
    assert await _found(empty_engine, ids["business"], "parking") == [ids["chunk"]]


async def _found(engine: AsyncEngine, business_id: uuid.UUID, words: str) -> list[uuid.UUID]:
    """The chunks holding every word: SQLite's full-text index, or PostgreSQL's vectors (the
    backends read columns of later migrations: the lexeme counts of 0022, the documents'
    descriptions of 0028)."""
    async with AsyncSession(engine) as session:
        if engine.dialect.name == "sqlite":
            match = " AND ".join(f'"{word}"' for word in words.split())
            rows = await session.execute(
                text("SELECT substr(ref, 2, 32) FROM chunks_fts WHERE chunks_fts MATCH :match"),
                {"match": match},
            )
            return [uuid.UUID(ref) for ref in rows.scalars()]
        rows = await session.execute(
            text("SELECT id FROM chunks WHERE search_vector @@ plainto_tsquery('english', :q)"),
            {"q": words},
        )
        return list(rows.scalars())


async def test_chunks_written_before_the_lexeme_counts_are_counted(
    empty_engine: AsyncEngine,
) -> None:
    """0022 counts the chunks already there (PostgreSQL), and its backend then finds them."""
    if empty_engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL's lexeme counts")
    await migrate.upgrade(empty_engine, "0018")
    ids = await _one_chunk(empty_engine, "Free parking behind the building.")
    await migrate.upgrade(empty_engine, "0022")
    async with AsyncSession(empty_engine) as session:
        counts = await lexeme_counts(session, ids["business"], ["parking", "zebra"])
        assert (counts.total, counts.chunks) == (1, [1, 0])
    await migrate.upgrade(empty_engine)  # the backend reads the columns of every migration
    async with AsyncSession(empty_engine) as session:
        hits = await PostgresSearch().search(session, ids["business"], ["parking"], 5)
        assert [hit.chunk_id for hit in hits] == [ids["chunk"]]
    await migrate.downgrade(empty_engine, "0018")
    async with empty_engine.connect() as connection:
        gone = await connection.execute(text("SELECT to_regclass('search_lexemes')"))
        assert gone.scalar_one() is None
