"""Health probes, and the session dependency as the one place that commits or rolls back."""

from __future__ import annotations

from pathlib import Path

import httpx
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import create_async_engine

from aicaller.api.deps import SessionDep
from aicaller.core.errors import Conflict
from aicaller.database.models import Business, User
from aicaller.database.session import Database
from tests.factories import Tenant
from tests.helpers import count_rows


async def test_live_and_ready(client: httpx.AsyncClient) -> None:
    assert (await client.get("/health/live")).json() == {"status": "ok"}
    ready = await client.get("/health/ready")
    assert ready.status_code == 200
    assert ready.json()["checks"]["database"]["status"] == "ok"


async def test_ready_is_503_naming_the_database_when_it_is_down(
    app: FastAPI, client: httpx.AsyncClient, tmp_path: Path
) -> None:
    working = app.state.database
    unreachable = tmp_path / "missing-dir" / "nested" / "db.sqlite"
    app.state.database = Database(create_async_engine(f"sqlite+aiosqlite:///{unreachable}"))
    try:
        response = await client.get("/health/ready")
    finally:
        await app.state.database.dispose()
        app.state.database = working
    assert response.status_code == 503
    assert response.json()["failing"] == ["database"]
    assert response.json()["checks"]["database"]["status"] == "error"


async def test_a_failed_request_rolls_back_everything_it_wrote(
    app: FastAPI, client: httpx.AsyncClient, database: Database
) -> None:
    async def write_then_fail(session: SessionDep) -> None:
        session.add(Business(name="Half-written"))
        await session.flush()
        raise Conflict("changed my mind")

    app.add_api_route("/test-only/rollback", write_then_fail, methods=["POST"])
    before = await count_rows(database, Business)
    response = await client.post("/test-only/rollback")
    assert response.status_code == 409
    assert await count_rows(database, Business) == before


async def test_a_failing_commit_is_an_error_response_not_a_success(
    app: FastAPI, client: httpx.AsyncClient, database: Database, tenant: Tenant
) -> None:
    async def duplicate_email(session: SessionDep) -> dict[str, str]:
        # Added without flushing: the unique violation surfaces only at commit time.
        session.add(
            User(
                business_id=tenant.business_id,
                email=tenant.emails["agent"],
                password_hash="x",
                role="agent",
            )
        )
        return {"status": "saved"}

    app.add_api_route("/test-only/late-conflict", duplicate_email, methods=["POST"])
    before = await count_rows(database, User)
    response = await client.post("/test-only/late-conflict")
    assert response.status_code == 409
    assert response.json()["code"] == "conflict"
    assert await count_rows(database, User) == before
