"""A 405 lists in ``Allow`` every method the path takes, on every route of the app.

Checked by behaviour, not against the route table: every method is sent to every path, and each
405's ``Allow`` must be exactly the methods that did not answer 405 there.
"""

from __future__ import annotations

import re
import uuid

import httpx
from fastapi import FastAPI

from aicaller.api.routes_index import iter_routes
from aicaller.console.routes.router import is_console_path

METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


def _concrete(template: str) -> str:
    return re.sub(r"\{[^}]+\}", lambda _: str(uuid.uuid4()), template)


async def test_every_405_lists_every_allowed_method(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    paths = sorted({_concrete(info.path) for info in iter_routes(app)})
    assert "/api/v1/config" in paths
    checked = 0
    for path in paths:
        answers = {method: await client.request(method, path) for method in METHODS}
        allowed = {method for method, response in answers.items() if response.status_code != 405}
        for method, response in answers.items():
            if response.status_code != 405:
                continue
            page = is_console_path(path)  # the console answers with a page
            expected = "text/html; charset=utf-8" if page else "application/problem+json"
            assert response.headers["content-type"] == expected
            listed = {m.strip() for m in response.headers["allow"].split(",")}
            assert listed == allowed, (method, path, response.headers["allow"])
            checked += 1
    assert checked > 100


async def test_config_lists_get_and_patch(client: httpx.AsyncClient) -> None:
    response = await client.put("/api/v1/config")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, PATCH"
    assert response.json()["code"] == "method_not_allowed"
