"""Builders for test data: a business with one user per role, and their tokens."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

import httpx
from fastapi import FastAPI
from pydantic import SecretStr

from aicaller import bootstrap
from aicaller.users.roles import Role
from aicaller.users.schemas import UserCreate
from aicaller.users.service import UserService

PASSWORD = "correct horse battery staple"


@dataclass
class Tenant:
    business_id: uuid.UUID
    name: str
    # Keyed by role name ("admin", ...); Role members work as keys too (StrEnum).
    users: dict[str, uuid.UUID] = field(default_factory=dict)
    emails: dict[str, str] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)

    def headers(self, role: Role | str = Role.ADMIN) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[role]}"}


async def make_tenant(app: FastAPI, name: str) -> Tenant:
    """A business with one user per role, each with an access token minted as login would."""
    slug = name.lower().replace(" ", "-")
    async with app.state.database.transaction() as session:
        business = await bootstrap.create_business(session, name=name)
        tenant = Tenant(business_id=business.id, name=name)
        service = UserService(session, business.id, app.state.password_hasher)
        for role in Role:
            email = f"{role.value}@{slug}.example.com"
            user = await service.create(
                UserCreate(email=email, password=SecretStr(PASSWORD), role=role)
            )
            tenant.users[role.value] = user.id
            tenant.emails[role.value] = email
            tenant.tokens[role.value] = app.state.token_codec.issue(
                user_id=user.id, business_id=business.id
            )
    return tenant


async def login(client: httpx.AsyncClient, email: str, password: str) -> str:
    response = await client.post(
        "/api/v1/auth/token", data={"username": email, "password": password}
    )
    assert response.status_code == 200, response.text
    token: str = response.json()["access_token"]
    return token


async def create_api_key(
    client: httpx.AsyncClient, tenant: Tenant, scopes: list[str], name: str = "integration"
) -> dict[str, object]:
    response = await client.post(
        "/api/v1/api-keys", json={"name": name, "scopes": scopes}, headers=tenant.headers()
    )
    assert response.status_code == 201, response.text
    body: dict[str, object] = response.json()
    return body
