"""Input PostgreSQL cannot store or HTTP cannot decode gets a 4xx on every engine, never a 500."""

from __future__ import annotations

import httpx
import pytest

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
