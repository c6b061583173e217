"""Login and bearer-token checks."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import httpx
import jwt
import pytest

from aicaller.config import Settings
from tests.factories import PASSWORD, Tenant, login


async def test_login_returns_a_token_that_identifies_the_user(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    token = await login(client, "ADMIN@acme-plumbing.example.com ", PASSWORD)
    me = await client.get("/api/v1/users/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200
    assert me.json()["email"] == "admin@acme-plumbing.example.com"
    assert me.json()["last_login_at"] is not None


async def test_wrong_password_and_unknown_user_fail_identically(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    wrong = await client.post(
        "/api/v1/auth/token",
        data={"username": tenant.emails["admin"], "password": "not the password"},
    )
    unknown = await client.post(
        "/api/v1/auth/token", data={"username": "nobody@example.com", "password": PASSWORD}
    )
    assert wrong.status_code == unknown.status_code == 401
    strip = ("correlation_id",)
    assert {k: v for k, v in wrong.json().items() if k not in strip} == {
        k: v for k, v in unknown.json().items() if k not in strip
    }
    assert wrong.json()["code"] == "invalid_credentials"
    assert wrong.headers["content-type"] == "application/problem+json"


async def test_deactivated_user_cannot_log_in_and_their_token_stops_working(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    response = await client.delete(
        f"/api/v1/users/{tenant.users['agent']}", headers=tenant.headers()
    )
    assert response.status_code == 204
    denied = await client.post(
        "/api/v1/auth/token", data={"username": tenant.emails["agent"], "password": PASSWORD}
    )
    assert denied.status_code == 401
    assert denied.json()["code"] == "invalid_credentials"
    me = await client.get("/api/v1/users/me", headers=tenant.headers("agent"))
    assert me.status_code == 401


async def test_missing_credentials_are_401_with_bearer_challenge(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/api/v1/users/me")
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.json()["code"] == "not_authenticated"


def _claims(tenant: Tenant, settings: Settings, **overrides: object) -> dict[str, object]:
    now = datetime.now(UTC)
    claims: dict[str, object] = {
        "sub": str(tenant.users["admin"]),
        "bid": str(tenant.business_id),
        "iat": now,
        "exp": now + timedelta(minutes=5),
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
    }
    claims.update(overrides)
    return {k: v for k, v in claims.items() if v is not None}


@pytest.mark.parametrize(
    ("case", "expected_code"),
    [
        ("expired", "token_expired"),
        ("alg_none", "invalid_token"),
        ("wrong_audience", "invalid_token"),
        ("wrong_issuer", "invalid_token"),
        ("wrong_key", "invalid_token"),
        ("tampered", "invalid_token"),
        ("no_exp", "invalid_token"),
        ("garbage", "invalid_token"),
        ("other_tenant_claim", "invalid_token"),
    ],
)
async def test_bad_tokens_are_rejected(
    client: httpx.AsyncClient, tenant: Tenant, settings: Settings, case: str, expected_code: str
) -> None:
    key = settings.signing_key
    past = datetime.now(UTC) - timedelta(hours=2)
    if case == "expired":
        token = jwt.encode(_claims(tenant, settings, iat=past, exp=past), key, "HS256")
    elif case == "alg_none":
        # The "none" algorithm ignores the key; PyJWT's typing wants one anyway.
        token = jwt.encode(_claims(tenant, settings), "", algorithm="none")
    elif case == "wrong_audience":
        token = jwt.encode(_claims(tenant, settings, aud="someone-else"), key, "HS256")
    elif case == "wrong_issuer":
        token = jwt.encode(_claims(tenant, settings, iss="evil"), key, "HS256")
    elif case == "wrong_key":
        token = jwt.encode(_claims(tenant, settings), "x" * 48, "HS256")
    elif case == "tampered":
        header, payload, signature = tenant.tokens["viewer"].split(".")
        forged = jwt.encode(_claims(tenant, settings), "x" * 48, "HS256").split(".")[1]
        token = f"{header}.{forged}.{signature}"
        assert payload != forged
    elif case == "no_exp":
        token = jwt.encode(_claims(tenant, settings, exp=None), key, "HS256")
    elif case == "other_tenant_claim":
        token = jwt.encode(_claims(tenant, settings, bid=str(tenant.users["agent"])), key, "HS256")
    else:
        token = "not-a-jwt"
    response = await client.get("/api/v1/users/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401
    assert response.json()["code"] == expected_code


async def test_changing_your_password_revokes_older_tokens(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    wrong = await client.post(
        "/api/v1/users/me/password",
        json={"current_password": "nope", "new_password": "my new long password"},
        headers=tenant.headers("agent"),
    )
    assert wrong.status_code == 400
    assert wrong.json()["code"] == "invalid_current_password"

    old_token = tenant.tokens["agent"]
    # iat has one-second resolution: tokens from the same second as the change stay valid.
    await asyncio.sleep(1.1)
    changed = await client.post(
        "/api/v1/users/me/password",
        json={"current_password": PASSWORD, "new_password": "my new long password"},
        headers=tenant.headers("agent"),
    )
    assert changed.status_code == 200
    fresh = changed.json()["access_token"]
    stale = await client.get("/api/v1/users/me", headers={"Authorization": f"Bearer {old_token}"})
    assert stale.status_code == 401
    ok = await client.get("/api/v1/users/me", headers={"Authorization": f"Bearer {fresh}"})
    assert ok.status_code == 200
    await login(client, tenant.emails["agent"], "my new long password")


async def test_reactivating_a_user_does_not_revive_their_old_tokens(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    old_token = tenant.tokens["agent"]
    await asyncio.sleep(1.1)  # iat has one-second resolution
    agent = f"/api/v1/users/{tenant.users['agent']}"
    assert (await client.delete(agent, headers=tenant.headers())).status_code == 204
    reactivated = await client.patch(agent, json={"is_active": True}, headers=tenant.headers())
    assert reactivated.status_code == 200
    stale = await client.get("/api/v1/users/me", headers={"Authorization": f"Bearer {old_token}"})
    assert stale.status_code == 401
    await login(client, tenant.emails["agent"], PASSWORD)  # a fresh login works again
