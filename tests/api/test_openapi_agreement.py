"""The OpenAPI schema and the server agree: a PATCH field the schema marks nullable accepts null
(and one it does not mark nullable refuses it), and a date parameter takes a date, not a number.

The operations and parameters are read from the app's own ``/openapi.json``, so a new PATCH
route or date parameter is covered as soon as it exists.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from tests.api.routes_table import ACCESS, VALID_BODIES
from tests.api.test_access_control import _fill, _path_ids
from tests.factories import Tenant

PATCHES = sorted(template for method, template in ACCESS if method == "PATCH")


def _resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    return node


def _allows_null(prop: dict[str, Any]) -> bool:
    kinds = prop.get("type")
    if kinds == "null" or (isinstance(kinds, list) and "null" in kinds):
        return True
    return any(_allows_null(branch) for branch in prop.get("anyOf", []) + prop.get("oneOf", []))


def _patch_body(schema: dict[str, Any], template: str) -> dict[str, Any]:
    content = schema["paths"][template]["patch"]["requestBody"]["content"]
    return _resolve(schema, content["application/json"]["schema"])


async def test_every_patch_operation_is_checked(client: httpx.AsyncClient) -> None:
    schema = (await client.get("/openapi.json")).json()
    assert {path for path, ops in schema["paths"].items() if "patch" in ops} == set(PATCHES)


@pytest.mark.parametrize("template", PATCHES)
async def test_patch_fields_accept_null_exactly_when_the_schema_says_so(
    client: httpx.AsyncClient, tenant: Tenant, template: str
) -> None:
    schema = (await client.get("/openapi.json")).json()
    properties = _patch_body(schema, template)["properties"]
    ids = await _path_ids(client, tenant)
    path = _fill(template, ids)
    # Another valid field alongside, so rules about which fields go together are satisfied.
    valid = VALID_BODIES.get(("PATCH", template), {})
    disagreements = []
    for name, prop in properties.items():
        body = {**valid, name: None}
        response = await client.patch(path, json=body, headers=tenant.headers())
        assert response.status_code < 500, (name, response.text)
        refused = response.status_code == 422
        if _allows_null(prop) == refused:
            disagreements.append((name, _allows_null(prop), response.status_code, response.text))
    assert disagreements == []


async def test_non_nullable_patch_fields_say_so_in_the_error(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    ids = await _path_ids(client, tenant)
    response = await client.patch(
        f"/api/v1/calls/{ids['call_id']}", json={"status": None}, headers=tenant.headers()
    )
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert [(e["loc"], "null" in e["msg"]) for e in errors] == [(["body", "status"], True)]
    call = await client.get(f"/api/v1/calls/{ids['call_id']}", headers=tenant.headers())
    assert call.json()["status"] == "queued"


def _date_parameters(schema: dict[str, Any]) -> list[tuple[str, str]]:
    found = []
    for path, operations in schema["paths"].items():
        for parameter in operations.get("get", {}).get("parameters", []):
            node = parameter["schema"]
            formats = {node.get("format")} | {b.get("format") for b in node.get("anyOf", [])}
            if formats & {"date", "date-time"}:
                found.append((path, parameter["name"]))
    return found


async def test_date_parameters_refuse_numbers(client: httpx.AsyncClient, tenant: Tenant) -> None:
    schema = (await client.get("/openapi.json")).json()
    parameters = _date_parameters(schema)
    assert ("/api/v1/analytics/dashboard", "to") in parameters
    for path, name in parameters:
        assert "{" not in path
        for number in ("0", "1700000000", "-1", "20240101"):
            response = await client.get(path, params={name: number}, headers=tenant.headers())
            assert response.status_code == 422, (path, name, number, response.text)
            assert ["query", name] in _error_locations(response)
        today = datetime.now(UTC).date().isoformat()
        response = await client.get(path, params={name: today}, headers=tenant.headers())
        assert response.status_code < 500
        assert ["query", name] not in _error_locations(response), response.text


def _error_locations(response: httpx.Response) -> list[list[str]]:
    if response.headers["content-type"] != "application/problem+json":
        return []
    return [error["loc"] for error in response.json().get("errors") or []]


async def test_operations_with_a_body_document_its_refusals(client: httpx.AsyncClient) -> None:
    """The request guard refuses bodies before any route runs; the schema still says so."""
    schema = (await client.get("/openapi.json")).json()
    checked = 0
    for operations in schema["paths"].values():
        for operation in operations.values():
            content = operation.get("requestBody", {}).get("content", {})
            if not content:
                continue
            wanted = {"400", "413", "415"} if "application/json" in content else {"413"}
            assert wanted <= set(operation["responses"]), operation["operationId"]
            checked += 1
    assert checked > 20
