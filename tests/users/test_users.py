"""User management by admins."""

from __future__ import annotations

import httpx
import pytest

from tests.factories import PASSWORD, Tenant, login


async def test_admin_creates_lists_and_updates_users(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    created = await client.post(
        "/api/v1/users",
        json={
            "email": "New.Person@Acme.example.com",
            "password": "a long enough password",
            "role": "supervisor",
            "full_name": "New Person",
        },
        headers=tenant.headers(),
    )
    assert created.status_code == 201, created.text
    user = created.json()
    assert user["email"] == "new.person@acme.example.com"
    assert user["business_id"] == str(tenant.business_id)
    assert "password" not in created.text
    assert "password_hash" not in user

    token = await login(client, "new.person@acme.example.com", "a long enough password")
    assert token

    patched = await client.patch(
        f"/api/v1/users/{user['id']}",
        json={"role": "viewer", "full_name": "Renamed", "password": "another long password"},
        headers=tenant.headers(),
    )
    assert patched.status_code == 200
    assert patched.json()["role"] == "viewer"
    assert patched.json()["full_name"] == "Renamed"
    await login(client, "new.person@acme.example.com", "another long password")

    viewers = await client.get("/api/v1/users?role=viewer", headers=tenant.headers())
    assert {u["email"] for u in viewers.json()["items"]} == {
        "new.person@acme.example.com",
        tenant.emails["viewer"],
    }


async def test_listing_pages_through_every_user_once(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    seen: list[str] = []
    cursor: str | None = None
    while True:
        params = {"limit": "2", **({"cursor": cursor} if cursor else {})}
        page = await client.get("/api/v1/users", params=params, headers=tenant.headers())
        assert page.status_code == 200
        body = page.json()
        assert len(body["items"]) <= 2
        seen.extend(u["id"] for u in body["items"])
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert sorted(seen) == sorted(str(u) for u in tenant.users.values())


@pytest.mark.parametrize(
    "params", [{"limit": "0"}, {"limit": "101"}, {"cursor": "!!!"}, {"role": "owner"}]
)
async def test_bad_list_parameters_are_422(
    client: httpx.AsyncClient, tenant: Tenant, params: dict[str, str]
) -> None:
    response = await client.get("/api/v1/users", params=params, headers=tenant.headers())
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"


async def test_duplicate_email_is_409_even_across_businesses(
    client: httpx.AsyncClient, tenant: Tenant, other_tenant: Tenant
) -> None:
    response = await client.post(
        "/api/v1/users",
        json={"email": tenant.emails["agent"], "password": "a long enough password"},
        headers=other_tenant.headers(),
    )
    assert response.status_code == 409
    assert response.json()["code"] == "email_taken"


@pytest.mark.parametrize(
    "body",
    [
        {"email": "not-an-email", "password": "a long enough password"},
        {"email": "x@example.com", "password": "short"},
        {"email": "x@example.com", "password": "a long enough password", "role": "owner"},
        {"email": "x@example.com", "password": "a long enough password", "is_admin": True},
        {"email": "x@example.com"},
    ],
)
async def test_bad_user_input_is_422_and_creates_nothing(
    client: httpx.AsyncClient, tenant: Tenant, body: dict[str, object]
) -> None:
    response = await client.post("/api/v1/users", json=body, headers=tenant.headers())
    assert response.status_code == 422
    assert "a long enough password" not in response.text  # input is never echoed
    listed = await client.get("/api/v1/users?limit=100", headers=tenant.headers())
    assert len(listed.json()["items"]) == len(tenant.users)


async def test_the_last_active_admin_cannot_be_removed(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    admin_id = tenant.users["admin"]
    for request in (
        client.delete(f"/api/v1/users/{admin_id}", headers=tenant.headers()),
        client.patch(f"/api/v1/users/{admin_id}", json={"role": "agent"}, headers=tenant.headers()),
        client.patch(
            f"/api/v1/users/{admin_id}", json={"is_active": False}, headers=tenant.headers()
        ),
    ):
        response = await request
        assert response.status_code == 409
        assert response.json()["code"] == "last_admin"
    # With a second admin, demoting the first is allowed.
    promote = await client.patch(
        f"/api/v1/users/{tenant.users['supervisor']}",
        json={"role": "admin"},
        headers=tenant.headers(),
    )
    assert promote.status_code == 200
    demote = await client.patch(
        f"/api/v1/users/{admin_id}", json={"role": "agent"}, headers=tenant.headers()
    )
    assert demote.status_code == 200
    me = await client.get("/api/v1/users/me", headers=tenant.headers())
    assert me.json()["role"] == "agent"
    assert (await client.get("/api/v1/users", headers=tenant.headers())).status_code == 403


async def test_login_password_is_checked_after_password_change(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    await client.patch(
        f"/api/v1/users/{tenant.users['agent']}",
        json={"password": "a brand new password"},
        headers=tenant.headers(),
    )
    old = await client.post(
        "/api/v1/auth/token", data={"username": tenant.emails["agent"], "password": PASSWORD}
    )
    assert old.status_code == 401
