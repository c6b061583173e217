"""Every error is an RFC 9457 problem with a code and the request's correlation id."""

from __future__ import annotations

import io

import httpx
from fastapi import FastAPI


def _assert_problem(response: httpx.Response, status: int, code: str) -> dict[str, object]:
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, object] = response.json()
    assert body["status"] == status
    assert body["code"] == code
    assert str(body["type"]).startswith("https://")
    assert body["title"]
    assert body["detail"]
    assert body["correlation_id"] == response.headers["x-request-id"]
    return body


async def test_unknown_route_is_a_404_problem(client: httpx.AsyncClient) -> None:
    _assert_problem(await client.get("/api/v1/nothing-here"), 404, "not_found")


async def test_wrong_method_is_a_405_problem(client: httpx.AsyncClient) -> None:
    _assert_problem(await client.put("/health/live"), 405, "method_not_allowed")


async def test_unexpected_exception_is_a_500_problem_without_internals(
    app: FastAPI, client: httpx.AsyncClient, log_output: io.StringIO
) -> None:
    async def explode() -> None:
        raise RuntimeError("secret internal detail in /srv/app/boom.py")

    app.add_api_route("/test-only/boom", explode)
    response = await client.get("/test-only/boom", headers={"X-Request-ID": "req-12345"})
    body = _assert_problem(response, 500, "internal_error")
    assert body["correlation_id"] == "req-12345"
    assert "secret internal detail" not in response.text
    assert "Traceback" not in response.text
    logged = log_output.getvalue()
    assert "secret internal detail" in logged  # the whole error is logged ...
    assert "Traceback" in logged
    assert "req-12345" in logged  # ... with the id the client can quote


async def test_request_id_is_echoed_or_generated(client: httpx.AsyncClient) -> None:
    echoed = await client.get("/health/live", headers={"X-Request-ID": "abc-123_X.y"})
    assert echoed.headers["x-request-id"] == "abc-123_X.y"
    generated = await client.get("/health/live")
    assert len(generated.headers["x-request-id"]) >= 16
    for hostile in ("a b\tc", "x" * 300, "<script>"):
        replaced = await client.get("/health/live", headers={"X-Request-ID": hostile})
        assert replaced.headers["x-request-id"] != hostile


async def test_validation_problem_lists_errors_without_echoing_input(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post(
        "/api/v1/auth/token", data={"username": "+14155550123 canary", "pw": "canary-secret"}
    )
    body = _assert_problem(response, 422, "validation_error")
    assert body["errors"]
    assert "canary" not in response.text
