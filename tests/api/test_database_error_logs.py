"""A write the database refuses: the client gets a generic 500 and the log keeps the statement
and the traceback, but never the values written (note bodies, documents' text)."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import text

from aicaller.database.session import Database
from tests.factories import Tenant

SECRET = "canary-note-body-5f3a9c: the caller's account number"
POSTGRES_TRIGGER = [
    # The message quotes the value, as driver messages do ("DETAIL: Key (email)=(...)").
    "CREATE FUNCTION refuse_note() RETURNS trigger LANGUAGE plpgsql AS "
    "$$ BEGIN RAISE EXCEPTION 'note refused: %', NEW.body; END $$",
    "CREATE TRIGGER refuse_notes BEFORE INSERT ON call_notes "
    "FOR EACH ROW EXECUTE FUNCTION refuse_note()",
]
POSTGRES_CLEANUP = ["DROP TRIGGER refuse_notes ON call_notes", "DROP FUNCTION refuse_note()"]
# SQLite resolves a trigger's tables when it fires: inserting a note fails as a database error.
SQLITE_TRIGGER = [
    "CREATE TRIGGER refuse_notes BEFORE INSERT ON call_notes "
    "BEGIN INSERT INTO missing_archive VALUES (NEW.body); END"
]
SQLITE_CLEANUP = ["DROP TRIGGER refuse_notes"]


@pytest.fixture
async def refused_notes(database: Database) -> AsyncIterator[None]:
    postgres = database.engine.dialect.name == "postgresql"
    async with database.engine.begin() as connection:
        for statement in POSTGRES_TRIGGER if postgres else SQLITE_TRIGGER:
            await connection.execute(text(statement))
    yield
    async with database.engine.begin() as connection:
        for statement in POSTGRES_CLEANUP if postgres else SQLITE_CLEANUP:
            await connection.execute(text(statement))


@pytest.mark.usefixtures("refused_notes")
async def test_a_refused_write_never_logs_the_written_value(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant, log_output: io.StringIO
) -> None:
    call = {"direction": "inbound", "from_number": "+14155550123", "to_number": "+14155550124"}
    created = await client.post("/api/v1/calls", json=call, headers=tenant.headers())
    assert created.status_code == 201, created.text

    response = await client.post(
        f"/api/v1/calls/{created.json()['id']}/notes",
        json={"body": SECRET},
        headers=tenant.headers(),
    )
    assert response.status_code == 500
    assert response.json()["code"] == "internal_error"
    logged = log_output.getvalue()
    assert "unhandled_exception" in logged
    assert "INSERT INTO call_notes" in logged  # the statement is kept: it holds no values
    assert SECRET not in logged
    assert SECRET not in response.text
