"""PostgreSQL dropping every connection and refusing new ones: 503 ``database_unavailable``
with Retry-After and one short log line per failed request; back to normal once it returns.

Only the PostgreSQL path applies: SQLite is a file in the process, with no server or connection
to lose (a file that cannot be opened is a broken install, not an outage to wait out).
"""

from __future__ import annotations

import asyncio
import io
import json

import httpx
from fastapi import FastAPI
from sqlalchemy import text

from aicaller.api.deps import SessionDep
from tests.factories import Tenant
from tests.faults.conftest import needs_services
from tests.faults.proxy import TcpProxy

pytestmark = needs_services
HANG = 10.0
CALLS = "/api/v1/calls"
NEW_CALL = {"direction": "inbound", "from_number": "+14155550123", "to_number": "+14155550124"}


def _events(log_output: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in log_output.getvalue().splitlines()]


def _assert_unavailable(response: httpx.Response) -> None:
    assert response.status_code == 503, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "database_unavailable"
    assert int(response.headers["Retry-After"]) > 0


async def _readiness_while_only_the_database_is_down(client: httpx.AsyncClient) -> httpx.Response:
    """``/health/ready``, asked again (three times at most) while a component other than the
    database fails. The Redis probes have deadlines of a second or less on the event loop, and a
    CI worker starved of CPU for longer than that (seen once: a 1.4 s stall, and every Redis
    probe timed out at the same instant while Redis served the other worker) misses them with
    Redis up. A component that fails because the database is down fails every time, so the
    caller's assertion still catches it."""
    for _ in range(3):
        ready = await client.get("/health/ready")
        if ready.json()["failing"] in ([], ["database"]):
            break
    return ready


async def test_an_outage_is_a_503_with_retry_after_and_one_line_per_request(
    client: httpx.AsyncClient, tenant: Tenant, database_proxy: TcpProxy, log_output: io.StringIO
) -> None:
    created = await client.post(CALLS, json=NEW_CALL, headers=tenant.headers())
    assert created.status_code == 201, created.text
    call_id = created.json()["id"]

    database_proxy.refuse()
    database_proxy.drop()
    log_output.truncate(0)
    log_output.seek(0)
    async with asyncio.timeout(HANG):
        responses = [
            await client.get(CALLS, headers=tenant.headers()),
            await client.get(f"{CALLS}/{call_id}", headers=tenant.headers("viewer")),
            await client.post(
                f"{CALLS}/{call_id}/notes", json={"body": "call back"}, headers=tenant.headers()
            ),
            await client.post(CALLS, json=NEW_CALL, headers=tenant.headers()),
        ]
        ready = await _readiness_while_only_the_database_is_down(client)
    for response in responses:
        _assert_unavailable(response)
    assert ready.status_code == 503
    assert ready.json()["failing"] == ["database"]
    database = ready.json()["checks"]["database"]
    assert (database["error"], database["cause"]) in {
        ("DatabaseUnavailable", "ConnectionResetError"),
        ("DatabaseUnavailable", "ConnectionRefusedError"),
    }

    events = _events(log_output)
    failures = [e for e in events if e["event"] == "database_unavailable"]
    assert len(failures) == len(responses)
    assert {e["cause"] for e in failures} <= {"ConnectionResetError", "ConnectionRefusedError"}
    assert not [e for e in events if "exception" in e or e["event"] == "unhandled_exception"]
    requests = [e for e in events if e["event"] == "request" and e["status"] == 503]
    assert {e["error_code"] for e in requests} == {"database_unavailable", None}  # None: /ready

    database_proxy.resume()
    async with asyncio.timeout(HANG):
        listed = await client.get(CALLS, headers=tenant.headers())
        noted = await client.post(
            f"{CALLS}/{call_id}/notes", json={"body": "call back"}, headers=tenant.headers()
        )
        ready = await client.get("/health/ready")
    assert listed.status_code == 200, listed.text
    assert [call["id"] for call in listed.json()["items"]] == [call_id]
    assert noted.status_code == 201, noted.text
    assert (ready.status_code, ready.json()["status"]) == (200, "ok")


async def test_a_connection_lost_in_the_middle_of_a_request_is_a_503(
    app: FastAPI, client: httpx.AsyncClient, database_proxy: TcpProxy, log_output: io.StringIO
) -> None:
    first_query_done, go_on = asyncio.Event(), asyncio.Event()

    async def two_queries(session: SessionDep) -> dict[str, int]:
        await session.execute(text("SELECT 1"))
        first_query_done.set()
        await go_on.wait()
        return {"value": (await session.execute(text("SELECT 2"))).scalar_one()}

    app.add_api_route("/test-only/two-queries", two_queries, methods=["GET"])
    async with asyncio.timeout(HANG):
        request = asyncio.create_task(client.get("/test-only/two-queries"))
        await first_query_done.wait()
        database_proxy.drop()  # the server is back at once: only this connection is lost
        go_on.set()
        response = await request
        _assert_unavailable(response)
        first_query_done.clear()
        again = await client.get("/test-only/two-queries")
    assert (again.status_code, again.json()) == (200, {"value": 2})
    assert "Traceback" not in log_output.getvalue()
