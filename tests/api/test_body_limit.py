"""Oversized request bodies are refused with a 413 problem before they are stored anywhere:
document uploads up to their own limit, every other body up to the much smaller API limit."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI

from aicaller.main import MULTIPART_OVERHEAD, create_app
from tests.factories import Tenant, make_tenant
from tests.fixtures import make_settings

LIMIT = 4096 + MULTIPART_OVERHEAD
API_LIMIT = 2048


@pytest.fixture
async def small_app(tmp_path: Path) -> AsyncIterator[FastAPI]:
    settings = make_settings(
        tmp_path,
        f"sqlite+aiosqlite:///{tmp_path / 'limit.db'}",
        auto_migrate=True,
        knowledge_max_upload_bytes=4096,
        api_max_body_bytes=API_LIMIT,
    )
    app = create_app(settings)
    async with LifespanManager(app):
        yield app


@pytest.fixture
async def small_client(small_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=small_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


def assert_too_large(response: httpx.Response, limit: int = LIMIT) -> None:
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == "payload_too_large"
    assert f"{limit:,} bytes" in body["detail"]
    assert response.headers["connection"] == "close"


async def test_a_declared_oversized_body_is_refused_up_front(
    small_app: FastAPI, small_client: httpx.AsyncClient
) -> None:
    tenant: Tenant = await make_tenant(small_app, "Limits")
    files = {"file": ("big.txt", b"x" * (LIMIT + 1))}
    response = await small_client.post(
        "/api/v1/knowledge/documents", files=files, headers=tenant.headers()
    )
    assert_too_large(response)
    listed = await small_client.get("/api/v1/knowledge/documents", headers=tenant.headers())
    assert listed.json()["items"] == []


async def test_a_streamed_oversized_body_is_refused_while_it_arrives(
    small_client: httpx.AsyncClient,
) -> None:
    async def chunks() -> AsyncIterator[bytes]:  # no Content-Length: chunked transfer
        for _ in range(LIMIT // 1024 + 2):
            yield b"y" * 1024

    response = await small_client.post(
        "/api/v1/auth/token",
        content=chunks(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert_too_large(response, API_LIMIT)  # a form is not an upload


async def test_bodies_within_the_limit_pass(small_client: httpx.AsyncClient) -> None:
    response = await small_client.post(
        "/api/v1/auth/token", data={"username": "nobody@example.com", "password": "x" * 100}
    )
    assert response.status_code == 401


async def test_json_has_its_own_smaller_limit(
    small_app: FastAPI, small_client: httpx.AsyncClient
) -> None:
    tenant = await make_tenant(small_app, "Json Limits")
    summary = "s" * API_LIMIT
    body = {"direction": "inbound", "from_number": "+14155550123", "to_number": "+14155550124"}
    declared = await small_client.post(
        "/api/v1/calls", json={**body, "summary": summary}, headers=tenant.headers()
    )
    assert_too_large(declared, API_LIMIT)

    async def chunks() -> AsyncIterator[bytes]:
        yield b'{"summary": "'
        for _ in range(API_LIMIT // 512 + 1):
            yield b"s" * 512
        yield b'"}'

    streamed = await small_client.post(
        "/api/v1/calls",
        content=chunks(),
        headers={**tenant.headers(), "Content-Type": "application/json"},
    )
    assert_too_large(streamed, API_LIMIT)
    fits = await small_client.post(
        "/api/v1/calls", json={**body, "summary": "s" * 1000}, headers=tenant.headers()
    )
    assert fits.status_code == 201
    listed = await small_client.get("/api/v1/calls", headers=tenant.headers())
    assert len(listed.json()["items"]) == 1


async def test_uploads_keep_their_larger_limit(
    small_app: FastAPI, small_client: httpx.AsyncClient
) -> None:
    tenant = await make_tenant(small_app, "Upload Limits")
    text = b"A document line that is long enough to matter.\n" * 80  # over the API limit
    assert API_LIMIT < len(text) < LIMIT
    response = await small_client.post(
        "/api/v1/knowledge/documents",
        files={"file": ("big.txt", text, "text/plain")},
        headers=tenant.headers(),
    )
    assert response.status_code == 201, response.text
