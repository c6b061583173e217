"""Signing in to the console counts against the API's login limits."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from fastapi import FastAPI

from aicaller.config import Settings
from tests.console.conftest import console_client
from tests.factories import PASSWORD, Tenant
from tests.fixtures import backend_settings


@pytest.fixture
async def settings(
    data_dir: Path, backend: str, database_urls: dict[str, str]
) -> AsyncIterator[Settings]:
    async with backend_settings(
        data_dir, backend, database_urls, rate_limit_login_account="3/minute"
    ) as values:
        yield values


async def test_password_guessing_is_limited_per_account(app: FastAPI, tenant: Tenant) -> None:
    async with console_client(app) as client:
        page = await client.get("/")
        match = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert match is not None
        form = {"email": tenant.emails["admin"], "csrf_token": match.group(1)}
        statuses = [
            (await client.post("/app/login", data={**form, "password": f"guess {i}"})).status_code
            for i in range(3)
        ]
        assert statuses == [401, 401, 401]
        limited = await client.post("/app/login", data={**form, "password": PASSWORD})
    assert limited.status_code == 429
    assert "Retry-After" in limited.headers
    assert "Too many requests" in limited.text
    assert "aicaller_session" not in limited.headers.get("set-cookie", "")
