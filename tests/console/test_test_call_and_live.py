"""Test calls by text from the console, the live page, and a call's server-sent events."""

from __future__ import annotations

import json
import re

import httpx
from fastapi import FastAPI

from tests.console.calls_data import make_call, placed_call
from tests.console.conftest import console_client, csrf_of
from tests.factories import Tenant

TEST_CALL = re.compile(r"/app/test-call/([0-9a-f-]{36})$")


async def test_a_text_test_call_from_greeting_to_hang_up(app: FastAPI, tenant: Tenant) -> None:
    async with console_client(app, tenant, "agent") as console:
        csrf = csrf_of(console, app)
        started = await console.post("/app/test-call", data={"csrf_token": csrf})
        assert started.status_code == 303
        match = TEST_CALL.search(started.headers["location"])
        assert match is not None
        call_url = match.group(0)
        page = await console.get(call_url)
        assert page.status_code == 200
        assert 'class="turn agent"' in page.text  # the agent greets first
        assert 'data-live-events="/app/live/calls/' in page.text

        empty = await console.post(f"{call_url}/say", data={"csrf_token": csrf, "text": " "})
        assert empty.status_code == 422
        said = await console.post(
            f"{call_url}/say", data={"csrf_token": csrf, "text": "<b>What are your hours?</b>"}
        )
        assert said.status_code == 303
        htmx = await console.post(
            f"{call_url}/say",
            data={"text": "Thanks"},
            headers={"HX-Request": "true", "X-CSRF-Token": csrf},
        )
        assert htmx.status_code == 204
        page = await console.get(call_url)
        assert "&lt;b&gt;What are your hours?&lt;/b&gt;" in page.text
        assert page.text.count('class="turn agent"') == 3
        assert '<span class="tag">' in page.text  # each agent turn shows its intent

        ended = await console.post(f"{call_url}/hang-up", data={"csrf_token": csrf})
        assert ended.status_code == 303
        after = await console.get(call_url)
        assert "Start another test call" in after.text
        events = await console.get(f"/app/live/calls/{match.group(1)}/events")
    assert events.headers["content-type"].startswith("text/event-stream")
    messages = [
        json.loads(line.removeprefix("data: "))
        for line in events.text.splitlines()
        if line.startswith("data: ")
    ]
    assert [m["speaker"] for m in messages if m["type"] == "turn"][:2] == ["agent", "caller"]
    assert messages[-1]["type"] == "call"
    assert messages[-1]["status"] == "completed"


async def test_phone_calls_take_no_test_messages_and_viewers_hold_no_test_calls(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant
) -> None:
    phone = await make_call(client, tenant)
    async with console_client(app, tenant, "admin") as console:
        refused = await console.post(
            f"/app/test-call/{phone['id']}/say",
            data={"csrf_token": csrf_of(console, app), "text": "hi"},
        )
        assert refused.status_code == 409
    async with console_client(app, tenant, "viewer") as console:
        page = await console.get("/app/calls")
        assert "/app/test-call" not in page.text  # the menu hides what the role cannot use
        forbidden = await console.post("/app/test-call", data={"csrf_token": csrf_of(console, app)})
        assert forbidden.status_code == 403


async def test_the_live_page_lists_calls_in_progress(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant, other_tenant: Tenant
) -> None:
    live = await placed_call(client, tenant)
    finished = await make_call(client, tenant)
    theirs = await placed_call(client, other_tenant)
    async with console_client(app, tenant, "viewer") as console:
        page = await console.get("/app/live")
        missing = await console.get(f"/app/live/calls/{theirs['id']}/events")
    assert f"/app/live/calls/{live['id']}/events" in page.text
    assert finished["id"] not in page.text
    assert theirs["id"] not in page.text
    assert missing.status_code == 404
