"""Run Alembic migrations programmatically, on SQLite (batch mode) and PostgreSQL alike."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
# Full-text search objects the migrations create per dialect and the models do not declare
# (FTS5 tables and triggers on SQLite; on PostgreSQL generated tsvector columns and their
# indexes, the calls list's trigram indexes (FTS5 tables on SQLite, 0024) and the lexeme counts
# of migration 0022), and PostgreSQL's expression index for repeat callers (0024).
SEARCH_OBJECT_PREFIXES = (
    "chunks_fts",
    "search_vector",
    "ix_chunks_search_vector",
    "lead_vector",
    "ix_chunks_lead_vector",
    "name_vector",
    "ix_chunks_name_vector",
    "ix_calls_summary_trgm",
    "ix_transcript_turns_text_trgm",
    "calls_text_",
    "ix_calls_repeat",
    "search_lexemes",
)


def include_object(
    obj: object, name: str | None, type_: str, reflected: bool, compare_to: object
) -> bool:
    """Alembic's filter: leave the database-maintained search objects out of comparisons."""
    return not (name or "").startswith(SEARCH_OBJECT_PREFIXES)


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


async def upgrade(engine: AsyncEngine, revision: str = "head") -> None:
    """Bring the schema to ``revision`` inside one transaction on the given engine."""
    async with engine.begin() as connection:
        await connection.run_sync(lambda sync: command.upgrade(alembic_config(sync), revision))


async def downgrade(engine: AsyncEngine, revision: str) -> None:
    async with engine.begin() as connection:
        await connection.run_sync(lambda sync: command.downgrade(alembic_config(sync), revision))


async def current_revision(engine: AsyncEngine) -> str | None:
    from alembic.runtime.migration import MigrationContext  # noqa: PLC0415 - rarely used

    async with engine.connect() as connection:
        return await connection.run_sync(
            lambda sync: MigrationContext.configure(sync).get_current_revision()
        )


async def is_current(engine: AsyncEngine) -> bool:
    """Is the database at the newest revision this code knows?"""
    from alembic.script import ScriptDirectory  # noqa: PLC0415 - rarely used

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    return await current_revision(engine) == head
