"""Anonymous clients cannot make the server read or parse a body, and a JSON body is checked
(size, media type, encoding, nesting) before anything parses it.

The requests go straight to the ASGI app with a ``receive`` that counts what the app pulled, so
"the body was never read" is observed, not assumed.
"""

from __future__ import annotations

import io
import json
import types
from collections.abc import MutableMapping
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
import starlette.requests
from fastapi import FastAPI

from aicaller.api.json_body import MAX_JSON_DEPTH
from aicaller.database.models import Call
from tests.factories import Tenant
from tests.helpers import count_rows

CALL = {"direction": "inbound", "from_number": "+14155550123", "to_number": "+14155550124"}
NESTED = b"[" + b",".join([b"[]"] * 200_000) + b"]"  # the body, smaller


@dataclass
class Exchange:
    """One request sent to the app, and what came of it."""

    chunks: list[bytes]
    reads: int = 0
    status: int = 0
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""

    def json(self) -> Any:
        return json.loads(self.body)


async def send(
    app: FastAPI,
    method: str,
    path: str,
    headers: dict[str, str],
    chunks: list[bytes],
    query: bytes = b"",
) -> Exchange:
    exchange = Exchange(chunks=list(chunks))

    async def receive() -> dict[str, Any]:
        exchange.reads += 1
        if not exchange.chunks:
            return {"type": "http.disconnect"}
        chunk = exchange.chunks.pop(0)
        return {"type": "http.request", "body": chunk, "more_body": bool(exchange.chunks)}

    async def respond(message: MutableMapping[str, Any]) -> None:
        if message["type"] == "http.response.start":
            exchange.status = message["status"]
            exchange.headers = {k.decode(): v.decode() for k, v in message["headers"]}
        elif message["type"] == "http.response.body":
            exchange.body += message.get("body", b"")

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query,
        "root_path": "",
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }
    await app(scope, receive, respond)
    return exchange


def _json_headers(extra: dict[str, str], body: bytes | None = None) -> dict[str, str]:
    headers = {"Content-Type": "application/json", **extra}
    if body is not None:
        headers["Content-Length"] = str(len(body))
    return headers


@pytest.fixture
def json_parses(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the JSON bodies Starlette parses (FastAPI parses request bodies through it)."""
    parsed: list[int] = []

    def loads(text: str | bytes, **kwargs: Any) -> Any:
        parsed.append(len(text))
        return json.loads(text, **kwargs)

    monkeypatch.setattr(starlette.requests, "json", types.SimpleNamespace(loads=loads))
    return parsed


@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer not-a-token", "Bearer ak_0123456789abcdef0123456789abcdef", "Basic eDp5"],
)
@pytest.mark.parametrize("declared", [True, False])
async def test_without_valid_credentials_the_body_is_never_read(
    app: FastAPI, json_parses: list[int], authorization: str | None, declared: bool
) -> None:
    headers = _json_headers({"Authorization": authorization} if authorization else {})
    if declared:
        headers["Content-Length"] = str(len(NESTED))
    else:
        headers["Transfer-Encoding"] = "chunked"
    chunks = [NESTED[i : i + 65536] for i in range(0, len(NESTED), 65536)]
    answer = await send(app, "POST", "/api/v1/calls", headers, chunks)
    assert answer.status == 401
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.headers["www-authenticate"] == "Bearer"
    assert answer.headers["connection"] == "close"  # the server stops receiving the body
    assert answer.reads == 0
    assert json_parses == []
    assert await count_rows(app.state.database, Call) == 0


async def test_a_refusal_is_logged_under_its_route(
    client: httpx.AsyncClient, log_output: io.StringIO
) -> None:
    response = await client.post("/api/v1/calls", json=CALL)
    assert response.status_code == 401
    lines = [json.loads(line) for line in log_output.getvalue().splitlines()]
    [logged] = [line for line in lines if line.get("event") == "request"]
    assert (logged["route"], logged["status"]) == ("/api/v1/calls", 401)


async def test_an_oversized_anonymous_body_is_refused_unread(
    app: FastAPI, json_parses: list[int]
) -> None:
    """The issue's reproduction: 18 MB declared, no credentials."""
    headers = _json_headers({"Content-Length": str(18_000_000)})
    answer = await send(app, "POST", "/api/v1/calls", headers, [b"[" * 65536] * 4)
    assert answer.status in {401, 413}
    assert answer.headers["connection"] == "close"
    assert answer.reads == 0
    assert json_parses == []


async def test_public_routes_still_take_their_bodies(client: httpx.AsyncClient) -> None:
    login = await client.post("/api/v1/auth/token", data={"username": "a@b.c", "password": "x"})
    assert login.status_code == 401
    assert login.json()["code"] == "invalid_credentials"  # the form was read and checked
    twilio = await client.post("/telephony/twilio/status", data={"CallSid": "CA1"})
    assert twilio.status_code == 403  # read, and refused for its missing signature
    assert (await client.get("/health/live")).status_code == 200


@pytest.mark.parametrize("depth", [MAX_JSON_DEPTH + 1, 1000, 100_000])
async def test_deep_nesting_is_refused_before_parsing(
    app: FastAPI, tenant: Tenant, json_parses: list[int], depth: int
) -> None:
    # {"metadata": {"a": [[...]]}}: two objects, then lists.
    lists = depth - 2
    body = b'{"metadata": {"a": ' + b"[" * lists + b"]" * lists + b"}}"
    answer = await send(
        app, "PATCH", "/api/v1/config", _json_headers(tenant.headers(), body), [body]
    )
    assert answer.status == 400
    assert answer.json()["code"] == "json_too_deep"
    assert f"more than {MAX_JSON_DEPTH} levels" in answer.json()["detail"]
    assert json_parses == []


async def test_nesting_up_to_the_limit_is_accepted(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    lists = MAX_JSON_DEPTH - 2
    value: Any = []
    for _ in range(lists - 1):
        value = [value]
    # Brackets inside strings are text, not nesting.
    response = await client.post(
        "/api/v1/calls",
        json={**CALL, "metadata": {"a": value}, "summary": "[" * 500},
        headers=tenant.headers(),
    )
    assert response.status_code == 201, response.text


@pytest.mark.parametrize(
    "content_type",
    [None, "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"],
)
async def test_a_json_route_refuses_other_media_types_with_415(
    client: httpx.AsyncClient, tenant: Tenant, content_type: str | None
) -> None:
    headers = tenant.headers() | ({"Content-Type": content_type} if content_type else {})
    response = await client.post("/api/v1/calls", content=json.dumps(CALL), headers=headers)
    assert response.status_code == 415
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "unsupported_media_type"
    assert (await client.get("/api/v1/calls", headers=tenant.headers())).json()["items"] == []


async def test_json_media_types_with_parameters_are_json(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    for content_type in ("application/json; charset=utf-8", "application/merge-patch+json"):
        headers = {**tenant.headers(), "Content-Type": content_type}
        response = await client.post("/api/v1/calls", content=json.dumps(CALL), headers=headers)
        assert response.status_code == 201, (content_type, response.text)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "latin-1"])
async def test_a_body_that_is_not_utf8_is_a_400(
    client: httpx.AsyncClient, tenant: Tenant, encoding: str
) -> None:
    body = json.dumps({**CALL, "summary": "café"}, ensure_ascii=False).encode(encoding)
    response = await client.post(
        "/api/v1/calls",
        content=body,
        headers={**tenant.headers(), "Content-Type": "application/json"},
    )
    assert response.status_code == 400, response.text
    assert response.json()["code"] == "bad_request"
    assert "UTF-8" in response.json()["detail"]
    assert (await client.get("/api/v1/calls", headers=tenant.headers())).json()["items"] == []


async def test_a_very_long_url_is_a_414_problem(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant
) -> None:
    # httpx refuses to build such a URL; uvicorn passes up to 64 KiB (see docs/operations.md).
    query = b"phone=" + b"1" * 100_000
    answer = await send(app, "GET", "/api/v1/calls", tenant.headers(), [b""], query=query)
    assert answer.status == 414
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["code"] == "uri_too_long"
    fine = await client.get("/api/v1/calls", params={"cursor": "x" * 500}, headers=tenant.headers())
    assert fine.status_code == 422  # an ordinary URL goes on to validation
