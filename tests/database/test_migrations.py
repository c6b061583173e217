"""Migrations upgrade and downgrade cleanly on SQLite and PostgreSQL, and match the models."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, inspect, text
from sqlalchemy.ext.asyncio import AsyncEngine

from aicaller.database import migrate
from aicaller.database.base import Base

TABLES = {
    "businesses",
    "users",
    "api_keys",
    "jobs",
    "calls",
    "call_rollups",
    "transcript_turns",
    "idempotency_records",
    "documents",
    "chunks",
    "documentation_sources",
    "sync_jobs",
    "sync_pages",
    "call_notes",
    "escalations",
    "business_phone_numbers",
    "knowledge_gaps",
    "qa_scorecards",
    "qa_evaluations",
    "search_synonyms",
    "embedding_configs",
    "chunk_embeddings",
}


def _tables(connection: Connection) -> set[str]:
    return set(inspect(connection).get_table_names()) - {"alembic_version"}


def _model_tables(connection: Connection) -> set[str]:
    """Tables of the models, without SQLite's FTS5 tables (chunks_fts and its shadows) and
    PostgreSQL's lexeme counts (search_lexemes)."""
    return {
        name for name in _tables(connection) if not name.startswith(migrate.SEARCH_OBJECT_PREFIXES)
    }


def _model_drift(connection: Connection) -> list[object]:
    context = MigrationContext.configure(
        connection, opts={"include_object": migrate.include_object}
    )
    return list(compare_metadata(context, Base.metadata))


def _only_head() -> str:
    """The one head of the migration chain: branches merged in parallel must be re-chained."""
    heads = ScriptDirectory.from_config(migrate.alembic_config()).get_heads()
    assert len(heads) == 1, f"the migrations have several heads: {heads}"
    return heads[0]


# SQLite cannot reflect expression indexes, so autogenerate skips comparing the one on
# calls' sort expression there (with these warnings); the test below checks it directly.
@pytest.mark.filterwarnings("ignore:.*expression-based index")
async def test_upgrade_downgrade_upgrade(empty_engine: AsyncEngine) -> None:
    await migrate.upgrade(empty_engine)
    async with empty_engine.connect() as connection:
        assert await connection.run_sync(_model_tables) == TABLES
        assert await connection.run_sync(_model_drift) == []
    assert await migrate.current_revision(empty_engine) == _only_head()

    await migrate.downgrade(empty_engine, "base")
    async with empty_engine.connect() as connection:
        assert await connection.run_sync(_tables) == set()
    assert await migrate.current_revision(empty_engine) is None

    await migrate.upgrade(empty_engine)
    async with empty_engine.connect() as connection:
        assert await connection.run_sync(_model_tables) == TABLES


def _index_definition(connection: Connection, name: str) -> str:
    if connection.dialect.name == "sqlite":
        query = "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = :name"
    else:
        query = (
            "SELECT indexdef FROM pg_indexes"
            " WHERE indexname = :name AND schemaname = current_schema()"
        )
    return str(connection.execute(text(query), {"name": name}).scalar_one()).lower()


async def test_duration_sort_has_an_expression_index(empty_engine: AsyncEngine) -> None:
    """The list's "longest first" sorts by coalesce(duration_seconds, 0): indexed as such."""
    await migrate.upgrade(empty_engine)
    async with empty_engine.connect() as connection:
        definition = await connection.run_sync(_index_definition, "ix_calls_business_duration")
    assert "coalesce(duration_seconds, 0)" in definition
    assert definition.index("business_id") < definition.index("coalesce")


@pytest.mark.filterwarnings("ignore:.*expression-based index")
async def test_the_analytics_index_comes_and_goes(empty_engine: AsyncEngine) -> None:
    """0010 only adds the analytics indexes and removes them again."""

    def call_indexes(sync: Connection) -> set[str]:
        return {index["name"] or "" for index in inspect(sync).get_indexes("calls")}

    await migrate.upgrade(empty_engine, "0009")
    async with empty_engine.connect() as connection:
        assert "ix_calls_analytics" not in await connection.run_sync(call_indexes)
    await migrate.upgrade(empty_engine, "0010")
    async with empty_engine.connect() as connection:
        assert "ix_calls_analytics" in await connection.run_sync(call_indexes)
    await migrate.downgrade(empty_engine, "0009")
    async with empty_engine.connect() as connection:
        assert "ix_calls_analytics" not in await connection.run_sync(call_indexes)
