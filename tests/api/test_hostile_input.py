"""Input PostgreSQL cannot store or HTTP cannot decode gets a 4xx on every engine, never a 500."""

from __future__ import annotations

import typing

import httpx
import pytest
from fastapi import FastAPI, UploadFile

from aicaller.api.routes_index import iter_api_routes
from aicaller.console.routes.router import is_console_path
from aicaller.core.schemas import RequestModel
from tests.factories import Tenant

NUL_BODIES: list[tuple[str, str, dict[str, object]]] = [
    ("PATCH", "/api/v1/config", {"greeting": "hi\u0000"}),
    ("PATCH", "/api/v1/config", {"business_hours": {"monday\u0000": []}}),
    (
        "POST",
        "/api/v1/users",
        {"email": "n@example.com", "password": "x" * 12, "full_name": "\u0000"},
    ),
    ("POST", "/api/v1/api-keys", {"name": "\u0000", "scopes": ["config:read"]}),
]


@pytest.mark.parametrize(("method", "path", "body"), NUL_BODIES)
async def test_nul_characters_are_rejected_with_422(
    client: httpx.AsyncClient, tenant: Tenant, method: str, path: str, body: dict[str, object]
) -> None:
    response = await client.request(method, path, json=body, headers=tenant.headers())
    assert response.status_code == 422
    assert response.json()["code"] == "validation_error"


async def test_nul_in_a_user_patch_is_rejected(client: httpx.AsyncClient, tenant: Tenant) -> None:
    response = await client.patch(
        f"/api/v1/users/{tenant.users['agent']}",
        json={"full_name": "x\u0000"},
        headers=tenant.headers(),
    )
    assert response.status_code == 422


async def test_nul_in_login_is_just_wrong_credentials(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/api/v1/auth/token", data={"username": "a\u0000@example.com", "password": "p\u0000"}
    )
    assert response.status_code == 401
    assert response.json()["code"] == "invalid_credentials"


async def test_undecodable_body_is_a_400_problem(client: httpx.AsyncClient, tenant: Tenant) -> None:
    response = await client.post(
        "/api/v1/api-keys",
        content=b"\xff",
        headers={**tenant.headers(), "Content-Type": "application/json"},
    )
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"


# Raw JSON text: a lone surrogate cannot even be encoded to UTF-8 by a client library.
SURROGATE_BODIES: list[tuple[str, str, bytes]] = [
    ("POST", "/api/v1/calls", rb'"metadata": {"note": "\ud800"}'),
    ("POST", "/api/v1/calls", rb'"metadata": {"\udfff": 1}'),
    ("POST", "/api/v1/calls", rb'"metadata": {"deep": [{"x": ["ok", "\udc00\ud800"]}]}'),
    ("POST", "/api/v1/calls", rb'"summary": "a\ud83d"'),
    ("PATCH", "/api/v1/config", rb'"greeting": "hi \udbff there"'),
    ("PATCH", "/api/v1/config", rb'"business_hours": {"monday\ud800": []}'),
]
CALL_FIELDS = b'"direction": "inbound", "from_number": "+14155550123", "to_number": "+14155550124"'


@pytest.mark.parametrize(("method", "path", "fields"), SURROGATE_BODIES)
async def test_lone_surrogates_are_rejected_with_422(
    client: httpx.AsyncClient, tenant: Tenant, method: str, path: str, fields: bytes
) -> None:
    body = b"{" + (CALL_FIELDS + b", " if method == "POST" else b"") + fields + b"}"
    response = await client.request(
        method,
        path,
        content=body,
        headers={**tenant.headers(), "Content-Type": "application/json"},
    )
    assert response.status_code == 422, response.text
    assert response.json()["code"] == "validation_error"
    assert "surrogate" in response.text
    calls = await client.get("/api/v1/calls", headers=tenant.headers())
    assert calls.json()["items"] == []
    config = (await client.get("/api/v1/config", headers=tenant.headers())).json()
    assert "hi " not in config["greeting"]
    assert "monday\ufffd" not in config["business_hours"]


async def test_a_surrogate_pair_is_an_ordinary_character(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    body = b"{" + CALL_FIELDS + rb', "metadata": {"\ud83d\ude00": "\ud83d\ude00"}}'
    response = await client.post(
        "/api/v1/calls",
        content=body,
        headers={**tenant.headers(), "Content-Type": "application/json"},
    )
    assert response.status_code == 201, response.text
    assert response.json()["metadata"] == {"\U0001f600": "\U0001f600"}


async def test_every_json_body_checks_its_text(app: FastAPI) -> None:
    """The NUL and surrogate checks live in RequestModel: every JSON body must be one."""
    checked = 0
    for info, route in iter_api_routes(app):
        if is_console_path(info.path):  # HTML forms: tests/console send them NUL characters
            continue
        for param in route.dependant.body_params:
            annotation = param.field_info.annotation
            kinds = typing.get_args(annotation)  # X | None -> (X, NoneType); a class -> ()
            model = next((k for k in kinds if k is not type(None)), annotation)
            if info.path == "/api/v1/knowledge/documents":  # multipart: a file and its title
                assert model in (UploadFile, str)
                continue
            assert isinstance(model, type), info.path
            assert issubclass(model, RequestModel), info.path
            checked += 1
    assert checked > 20
