"""Calls for the console's tests, made through the API as an integration would."""

from __future__ import annotations

from typing import Any

import httpx

from tests.factories import Tenant

HOSTILE = (
    "<script>window.pwned = 1</script>",
    '<img src="x" onerror="window.pwned = 2">',
    '<a href="javascript:window.pwned = 3">click</a>',
)


async def make_call(client: httpx.AsyncClient, tenant: Tenant, **fields: Any) -> dict[str, Any]:
    body = {
        "direction": "inbound",
        "from_number": "+14155550123",
        "to_number": "+14155550100",
        "status": "completed",
        "duration_seconds": 60,
        "summary": "Caller asked about opening hours",
        **fields,
    }
    response = await client.post("/api/v1/calls", json=body, headers=tenant.headers())
    assert response.status_code == 201, response.text
    call: dict[str, Any] = response.json()
    return call


async def hostile_call(client: httpx.AsyncClient, tenant: Tenant) -> dict[str, Any]:
    """A call whose every caller-controlled text is an attack on the page that shows it."""
    transcript = [
        {"speaker": "caller", "text": text, "offset_ms": 1000 * i, "sources": [text]}
        for i, text in enumerate(HOSTILE)
    ]
    transcript.append(
        {
            "speaker": "agent",
            "text": "We open at nine.",
            "offset_ms": 5000,
            "sources": ["javascript:window.pwned=4", "https://docs.example.com/hours"],
        }
    )
    call = await make_call(client, tenant, summary=" ".join(HOSTILE), transcript=transcript)
    for text in HOSTILE:
        note = await client.post(
            f"/api/v1/calls/{call['id']}/notes", json={"body": text}, headers=tenant.headers()
        )
        assert note.status_code == 201, note.text
    escalation = await client.post(
        f"/api/v1/calls/{call['id']}/escalations",
        json={"reason": HOSTILE[1]},
        headers=tenant.headers(),
    )
    assert escalation.status_code == 201, escalation.text
    return call


async def placed_call(client: httpx.AsyncClient, tenant: Tenant) -> dict[str, Any]:
    """An outbound call in progress, placed through the simulated carrier (which answers)."""
    response = await client.post(
        "/api/v1/calls/initiate", json={"to_number": "+14155550177"}, headers=tenant.headers()
    )
    assert response.status_code == 201, response.text
    call: dict[str, Any] = response.json()
    return call
