"""Migration 0021: one speech provider becomes a recogniser and a voice, each with the
former endpoint and key, so a business's calls sound the same after the upgrade (and the
recogniser's settings come back on a downgrade), on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from aicaller.database import migrate
from tests.database.test_migrations_data import _one_chunk

SPEECH = ("provider", "base_url", "api_key_encrypted")


async def _speech(engine: AsyncEngine, prefix: str) -> tuple[object, ...]:
    columns = ", ".join(f"{prefix}_{name}" for name in SPEECH)
    async with engine.connect() as connection:
        row = (await connection.execute(text(f"SELECT {columns} FROM businesses"))).one()  # noqa: S608
    return tuple(row)


async def test_speech_settings_move_to_both_sides_and_back(empty_engine: AsyncEngine) -> None:
    await migrate.upgrade(empty_engine, "0018")
    await _one_chunk(empty_engine)
    former = ("openai", "http://whisper.internal:8000/v1", "sealed-key")
    async with empty_engine.begin() as connection:
        await connection.execute(
            text(
                "UPDATE businesses SET speech_provider = :provider, speech_base_url = :url, "
                "speech_api_key_encrypted = :key"
            ),
            dict(zip(("provider", "url", "key"), former, strict=True)),
        )
    await migrate.upgrade(empty_engine, "0021")
    assert await _speech(empty_engine, "stt") == former
    assert await _speech(empty_engine, "tts") == former
    await migrate.downgrade(empty_engine, "0018")
    assert await _speech(empty_engine, "speech") == former
