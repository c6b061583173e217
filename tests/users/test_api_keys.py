"""API keys: shown once, stored hashed, scoped, revocable."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import httpx
from sqlalchemy import text

from aicaller.database.session import Database
from tests.factories import Tenant, create_api_key


def _bearer(key: object) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


async def test_key_is_shown_once_and_never_stored_in_clear(
    client: httpx.AsyncClient, tenant: Tenant, database: Database
) -> None:
    created = await create_api_key(client, tenant, ["config:read"])
    plaintext = str(created["key"])
    assert plaintext.startswith("ak_")
    assert created["prefix"] == plaintext[:12]

    listed = await client.get("/api/v1/api-keys", headers=tenant.headers())
    assert listed.status_code == 200
    assert plaintext not in listed.text
    assert [item["id"] for item in listed.json()["items"]] == [created["id"]]

    async with database.engine.connect() as connection:
        rows = (await connection.execute(text("SELECT * FROM api_keys"))).all()
    dumped = repr(rows)
    assert plaintext not in dumped
    assert plaintext[12:] not in dumped  # not even the secret part


async def test_key_authenticates_within_its_scopes_only(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    key = (await create_api_key(client, tenant, ["config:read"]))["key"]
    config = await client.get("/api/v1/config", headers=_bearer(key))
    assert config.status_code == 200
    assert config.json()["id"] == str(tenant.business_id)

    write = await client.patch("/api/v1/config", json={"name": "X"}, headers=_bearer(key))
    assert write.status_code == 403
    assert write.json()["code"] == "insufficient_scope"

    users = await client.get("/api/v1/users", headers=_bearer(key))
    assert users.status_code == 403
    # People-only routes refuse keys whatever their scopes.
    for path in ("/api/v1/users/me", "/api/v1/api-keys"):
        response = await client.get(path, headers=_bearer(key))
        assert response.status_code == 403, path


async def test_revoked_key_is_rejected_on_the_next_request(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    created = await create_api_key(client, tenant, ["config:read"])
    assert (await client.get("/api/v1/config", headers=_bearer(created["key"]))).status_code == 200

    revoke = await client.delete(f"/api/v1/api-keys/{created['id']}", headers=tenant.headers())
    assert revoke.status_code == 204
    after = await client.get("/api/v1/config", headers=_bearer(created["key"]))
    assert after.status_code == 401
    assert after.json()["code"] == "api_key_revoked"

    listed = (await client.get("/api/v1/api-keys", headers=tenant.headers())).json()["items"]
    assert listed[0]["revoked_at"] is not None
    assert listed[0]["last_used_at"] is not None


async def test_expired_and_forged_keys_are_rejected(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    created = await create_api_key(client, tenant, ["config:read"])
    forged = str(created["key"])[:-4] + "AAAA"
    response = await client.get("/api/v1/config", headers=_bearer(forged))
    assert response.status_code == 401
    assert response.json()["code"] == "invalid_api_key"
    unknown = await client.get("/api/v1/config", headers=_bearer("ak_doesnotexist"))
    assert unknown.status_code == 401

    soon = datetime.now(UTC) + timedelta(seconds=1)
    short_lived = await client.post(
        "/api/v1/api-keys",
        json={"name": "short", "scopes": ["config:read"], "expires_at": soon.isoformat()},
        headers=tenant.headers(),
    )
    key = short_lived.json()["key"]
    assert (await client.get("/api/v1/config", headers=_bearer(key))).status_code == 200
    await asyncio.sleep(max(0.0, (soon - datetime.now(UTC)).total_seconds()) + 0.05)
    # Expiry is checked on every request, also while the key's record is cached.
    expired = await client.get("/api/v1/config", headers=_bearer(key))
    assert expired.status_code == 401
    assert expired.json()["code"] == "api_key_expired"


async def test_bad_key_requests_are_422_and_create_nothing(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    past = (datetime.now(UTC) - timedelta(days=1)).isoformat()
    bodies: list[dict[str, object]] = [
        {"name": "x", "scopes": []},
        {"name": "x", "scopes": ["calls:destroy"]},
        {"name": "", "scopes": ["config:read"]},
        {"name": "x", "scopes": ["config:read"], "expires_at": past},
        {"name": "x", "scopes": ["config:read"], "expires_at": "2099-01-01T00:00:00"},
        {"name": "x", "scopes": ["config:read"], "role": "admin"},
    ]
    for body in bodies:
        response = await client.post("/api/v1/api-keys", json=body, headers=tenant.headers())
        assert response.status_code == 422, body
        assert response.headers["content-type"] == "application/problem+json"
    listed = await client.get("/api/v1/api-keys", headers=tenant.headers())
    assert listed.json()["items"] == []


async def test_only_admins_manage_keys(client: httpx.AsyncClient, tenant: Tenant) -> None:
    for role in ("supervisor", "agent", "viewer"):
        response = await client.post(
            "/api/v1/api-keys",
            json={"name": "x", "scopes": ["config:read"]},
            headers=tenant.headers(role),
        )
        assert response.status_code == 403, role
