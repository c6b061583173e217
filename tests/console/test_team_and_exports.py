"""Team (users, roles, API keys shown once and revoked) and exports (CSV, JSON Lines)."""

from __future__ import annotations

import csv
import io
import json
import re

import httpx
from fastapi import FastAPI

from tests.console.calls_data import make_call
from tests.console.conftest import console_client, csrf_of
from tests.factories import Tenant


async def test_an_admin_manages_users_and_api_keys(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant
) -> None:
    async with console_client(app, tenant, "admin") as console:
        csrf = csrf_of(console, app)
        page = await console.get("/app/team")
        assert tenant.emails["viewer"] in page.text
        added = await console.post(
            "/app/team/users",
            data={
                "csrf_token": csrf,
                "email": "new.agent@example.com",
                "full_name": "<b>New</b> Agent",
                "role": "agent",
                "password": "a long enough password",
            },
        )
        assert added.status_code == 303
        duplicate = await console.post(
            "/app/team/users",
            data={"csrf_token": csrf, "email": "new.agent@example.com", "role": "agent",
                  "password": "a long enough password"},
        )  # fmt: skip
        assert duplicate.status_code == 409
        promoted = await console.post(
            f"/app/team/users/{tenant.users['agent']}",
            data={"csrf_token": csrf, "role": "supervisor"},
        )
        assert promoted.status_code == 303
        page = await console.get("/app/team")
        assert "&lt;b&gt;New&lt;/b&gt; Agent" in page.text

        no_scope = await console.post(
            "/app/team/api-keys", data={"csrf_token": csrf, "name": "CRM"}
        )
        assert no_scope.status_code == 422
        created = await console.post(
            "/app/team/api-keys",
            data={"csrf_token": csrf, "name": "CRM", "scopes": ["calls:read", "qa:read"]},
        )
        assert created.status_code == 201
        key = re.search(r'<code id="new-key" class="secret">(ak_[^<]+)</code>', created.text)
        assert key is not None
        assert created.headers["cache-control"] == "no-store"
        listed = await console.get("/app/team")
        assert key.group(1) not in listed.text  # shown once only
        assert "calls:read, qa:read" in listed.text
        api = {"Authorization": f"Bearer {key.group(1)}"}
        assert (await client.get("/api/v1/calls", headers=api)).status_code == 200
        key_id = re.search(r'action="/app/team/api-keys/([0-9a-f-]{36})/revoke"', listed.text)
        assert key_id is not None
        revoked = await console.post(
            f"/app/team/api-keys/{key_id.group(1)}/revoke", data={"csrf_token": csrf}
        )
        assert revoked.status_code == 303
    assert (await client.get("/api/v1/calls", headers=api)).status_code == 401
    me = await client.get("/api/v1/users/me", headers=tenant.headers("agent"))
    assert me.json()["role"] == "supervisor"


async def test_people_who_are_not_admins_get_no_team_page(app: FastAPI, tenant: Tenant) -> None:
    async with console_client(app, tenant, "supervisor") as console:
        overview = await console.get("/app/overview")
        assert 'href="/app/team"' not in overview.text
        assert 'href="/app/exports"' in overview.text
        assert (await console.get("/app/team")).status_code == 403
        refused = await console.post(
            "/app/team/api-keys",
            data={"csrf_token": csrf_of(console, app), "name": "x", "scopes": ["calls:read"]},
        )
        assert refused.status_code == 403


async def test_calls_are_exported_as_csv_and_json_lines(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant
) -> None:
    await make_call(client, tenant, summary="=HYPERLINK(evil)")
    await make_call(client, tenant, summary="Second")
    async with console_client(app, tenant, "supervisor") as console:
        form = await console.get("/app/exports")
        assert 'value="jsonl"' in form.text
        redirect = await console.get(
            "/app/exports/download?from=&to=&format=csv&include=notes&mask_phones=true"
        )
        assert redirect.headers["location"] == (
            "/app/exports/calls?format=csv&include=notes&mask_phones=true"
        )
        exported = await console.get(redirect.headers["location"])
        assert exported.status_code == 200
        assert exported.headers["content-type"].startswith("text/csv")
        assert "attachment" in exported.headers["content-disposition"]
        rows = list(csv.DictReader(io.StringIO(exported.text)))
        assert len(rows) == 2
        assert "'=HYPERLINK(evil)" in {row["summary"] for row in rows}  # no formula injection
        lines = await console.get("/app/exports/calls?format=jsonl&from=2020-01-01")
        assert [json.loads(line)["summary"] for line in lines.text.splitlines()] == [
            "Second",
            "=HYPERLINK(evil)",
        ]
    async with console_client(app, tenant, "agent") as console:
        assert (await console.get("/app/exports/calls?format=csv")).status_code == 403
