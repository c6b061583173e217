"""``aicaller demo`` fills the demo business with calls a newcomer can explore."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import phonenumbers
from fastapi import FastAPI

from aicaller import bootstrap
from aicaller.database.session import Database
from tests.factories import login

CALLS = "/api/v1/calls"


async def _all_calls(client: httpx.AsyncClient, headers: dict[str, str]) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    cursor: str | None = None
    while True:
        params: dict[str, Any] = {"limit": 100, **({"cursor": cursor} if cursor else {})}
        page = (await client.get(CALLS, params=params, headers=headers)).json()
        items += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            return items


async def test_demo_adds_a_few_hundred_realistic_calls_once(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    database: Database = app.state.database
    created = await bootstrap.create_demo(database, app.state.settings)
    assert created.sample_calls is not None
    assert created.password is not None
    token = await login(client, created.email, created.password)
    headers = {"Authorization": f"Bearer {token}"}

    calls = await _all_calls(client, headers)
    assert 200 <= len(calls) <= 400
    assert created.sample_calls.calls == len(calls)
    now = datetime.now(UTC)
    started = [datetime.fromisoformat(call["started_at"]) for call in calls]
    assert min(started) >= now - timedelta(days=61)
    assert max(started) <= now
    assert max(started) >= now - timedelta(days=4)  # recent activity, not a stale snapshot
    assert set(Counter(call["direction"] for call in calls)) == {"inbound", "outbound", "web"}
    statuses = Counter(call["status"] for call in calls)
    assert statuses["completed"] > 0.8 * len(calls)
    assert len(statuses) >= 3
    for call in calls:
        for number in (call["from_number"], call["to_number"]):
            assert phonenumbers.is_valid_number(phonenumbers.parse(number)), number
    assert sum(call["notes_count"] for call in calls) == created.sample_calls.notes > 10

    queue = (
        await client.get("/api/v1/escalations", params={"limit": 100}, headers=headers)
    ).json()["items"]
    assert len(queue) == created.sample_calls.escalations > 10
    assert {item["status"] for item in queue} == {"open", "acknowledged", "resolved"}
    assert all(item["resolution"] for item in queue if item["status"] == "resolved")

    answered = next(call for call in calls if call["status"] == "completed")
    detail = (await client.get(f"{CALLS}/{answered['id']}", headers=headers)).json()
    assert len(detail["transcript"]) >= 3
    assert detail["summary"]
    searched = await client.get(CALLS, params={"q": "insurance"}, headers=headers)
    assert searched.json()["items"]

    again = await bootstrap.create_demo(database, app.state.settings)
    assert again.sample_calls is not None
    assert again.sample_calls.calls == 0
    assert len(await _all_calls(client, {"Authorization": f"Bearer {token}"})) == len(calls)
