"""Deny by default, the role matrix on every route, and tenant isolation on every id."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.dependencies.models import Dependant

from aicaller.api.deps import AUTHZ_MARKER
from aicaller.api.routes_index import iter_api_routes
from aicaller.users.roles import Role
from tests.api.routes_table import ACCESS, PUBLIC, VALID_BODIES
from tests.factories import Tenant, create_api_key


def _api_routes(app: FastAPI) -> set[tuple[str, str]]:
    return {
        (method, info.path)
        for info, _ in iter_api_routes(app)
        if info.path.startswith("/api/")
        for method in info.methods - {"HEAD", "OPTIONS"}
    }


def _has_authorization(dependant: Dependant) -> bool:
    if hasattr(dependant.call, AUTHZ_MARKER):
        return True
    return any(_has_authorization(sub) for sub in dependant.dependencies)


async def test_every_route_is_in_the_access_table(app: FastAPI) -> None:
    assert _api_routes(app) == set(ACCESS)


async def test_every_non_public_route_declares_its_roles(app: FastAPI) -> None:
    for info, route in iter_api_routes(app):
        for method in info.methods - {"HEAD"}:
            if ACCESS.get((method, info.path)) is PUBLIC:
                assert not _has_authorization(route.dependant)
            elif info.path.startswith("/api/"):
                assert _has_authorization(route.dependant), (method, info.path)


async def _path_ids(client: httpx.AsyncClient, tenant: Tenant) -> dict[str, str]:
    """Ids of the tenant's own resources, by path parameter name."""
    created = await client.post(
        "/api/v1/users",
        json={"email": f"target-{uuid.uuid4().hex[:8]}@example.com", "password": "x" * 12},
        headers=tenant.headers(),
    )
    key = await create_api_key(client, tenant, ["config:read"], name="target")
    call = await client.post(
        "/api/v1/calls",
        json={"direction": "inbound", "from_number": "+14155550123", "to_number": "+14155550124"},
        headers=tenant.headers(),
    )
    assert call.status_code == 201, call.text
    call_id = call.json()["id"]
    note = await client.post(
        f"/api/v1/calls/{call_id}/notes", json={"body": "target"}, headers=tenant.headers("agent")
    )
    assert note.status_code == 201, note.text
    escalation = await client.post(
        f"/api/v1/calls/{call_id}/escalations", json={"reason": "target"}, headers=tenant.headers()
    )
    assert escalation.status_code == 201, escalation.text
    assigned = await client.patch(
        f"/api/v1/escalations/{escalation.json()['id']}",
        json={"assignee_id": str(tenant.users["agent"])},
        headers=tenant.headers(),
    )
    assert assigned.status_code == 200, assigned.text
    document = await client.post(
        "/api/v1/knowledge/documents",
        files={"file": ("target.md", b"# Target\n\nA document to aim at.", "text/markdown")},
        headers=tenant.headers(),
    )
    assert document.status_code == 201, document.text
    source = await client.post(
        "/api/v1/documentation/sources",
        json={"url": "https://docs.example.com/"},
        headers=tenant.headers(),
    )
    assert source.status_code == 201, source.text
    sync = await client.post(
        f"/api/v1/documentation/sources/{source.json()['id']}/sync", headers=tenant.headers()
    )
    assert sync.status_code == 202, sync.text
    scorecard = await client.post(
        "/api/v1/qa/scorecards",
        json={"name": "Target", "criteria": [{"key": "target", "label": "Target"}]},
        headers=tenant.headers(),
    )
    assert scorecard.status_code == 201, scorecard.text
    synonym = await client.post(
        "/api/v1/knowledge/synonyms", json={"words": ["target", "aim"]}, headers=tenant.headers()
    )
    assert synonym.status_code == 201, synonym.text
    return {
        "synonym_id": synonym.json()["id"],
        "scorecard_id": scorecard.json()["id"],
        "source_id": source.json()["id"],
        "sync_id": sync.json()["id"],
        "document_id": document.json()["id"],
        "user_id": created.json()["id"],
        "key_id": str(key["id"]),
        "call_id": call_id,
        "note_id": note.json()["id"],
        "escalation_id": escalation.json()["id"],
    }


def _fill(path: str, ids: dict[str, str]) -> str:
    filled = path
    for name, value in ids.items():
        filled = filled.replace("{" + name + "}", value)
    assert "{" not in filled, f"add the parameter of {path} to _path_ids"
    return filled


async def _call(
    client: httpx.AsyncClient, method: str, template: str, path: str, headers: dict[str, str]
) -> httpx.Response:
    body: Any = VALID_BODIES.get((method, template))
    if template == "/api/v1/auth/token":
        return await client.post(path, data={"username": "x@example.com", "password": "y"})
    if (method, template) == ("POST", "/api/v1/knowledge/documents"):
        upload = {"file": ("matrix.txt", b"Written by the access test.", "text/plain")}
        return await client.post(path, files=upload, headers=headers)
    return await client.request(method, path, json=body, headers=headers)


@pytest.mark.parametrize("role", list(Role))
async def test_role_matrix(client: httpx.AsyncClient, tenant: Tenant, role: Role) -> None:
    ids: dict[str, str] | None = None
    changed = True
    for (method, template), allowed in ACCESS.items():
        if allowed is PUBLIC:
            continue
        # Fresh targets only after a write that was let through: a read or a refused write
        # (asserted 403 below) changed nothing the next request aims at.
        if ids is None or changed:
            ids = await _path_ids(client, tenant)
        changed = method != "GET" and role in allowed
        response = await _call(client, method, template, _fill(template, ids), tenant.headers(role))
        if role in allowed:
            assert response.status_code not in {401, 403}, (method, template, response.text)
            assert response.status_code < 500
        else:
            assert response.status_code == 403, (method, template, role)
            assert response.json()["code"] == "forbidden_role"


async def test_protected_routes_need_credentials(client: httpx.AsyncClient) -> None:
    names = (
        "user_id", "key_id", "call_id", "note_id", "escalation_id", "document_id", "source_id",
        "sync_id", "scorecard_id", "synonym_id",
    )  # fmt: skip
    ids = {name: str(uuid.uuid4()) for name in names}
    for (method, template), allowed in ACCESS.items():
        if allowed is PUBLIC:
            continue
        response = await _call(client, method, template, _fill(template, ids), {})
        assert response.status_code == 401, (method, template)


async def test_another_tenants_ids_are_404_everywhere(
    client: httpx.AsyncClient, tenant: Tenant, other_tenant: Tenant
) -> None:
    victim_ids = await _path_ids(client, tenant)
    routes_with_ids = [(m, t) for (m, t) in ACCESS if "{" in t]
    assert routes_with_ids
    for method, template in routes_with_ids:
        for ids in (victim_ids, {name: str(uuid.uuid4()) for name in victim_ids}):
            response = await _call(
                client, method, template, _fill(template, ids), other_tenant.headers()
            )
            assert response.status_code == 404, (method, template, response.text)
            assert response.headers["content-type"] == "application/problem+json"
    # Nothing of the victim's changed.
    victim_user = await client.get(
        f"/api/v1/users/{victim_ids['user_id']}", headers=tenant.headers()
    )
    assert victim_user.json()["is_active"] is True
    assert victim_user.json()["full_name"] == ""
    keys = (await client.get("/api/v1/api-keys", headers=tenant.headers())).json()["items"]
    assert all(k["revoked_at"] is None for k in keys)
    victim_call = await client.get(
        f"/api/v1/calls/{victim_ids['call_id']}", headers=tenant.headers()
    )
    assert victim_call.status_code == 200
    assert victim_call.json()["summary"] is None
    assert [n["body"] for n in victim_call.json()["notes"]] == ["target"]
    assert [e["status"] for e in victim_call.json()["escalations"]] == ["open"]
    victim_document = await client.get(
        f"/api/v1/knowledge/documents/{victim_ids['document_id']}", headers=tenant.headers()
    )
    assert victim_document.status_code == 200
