"""A small dental clinic's knowledge base and configuration, through the real API."""

from __future__ import annotations

from typing import Any

import httpx

from tests.factories import Tenant

ALWAYS_OPEN = {
    day: [{"open": "00:00", "close": "24:00"}]
    for day in ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
}
PAGES = {
    "prices.md": (
        "# Prices\n\n## Cleaning\n\nA routine check-up and cleaning costs $120 and takes about "
        "45 minutes.\n\n## Whitening\n\nProfessional whitening costs $350 per session."
    ),
    "insurance.md": (
        "# Insurance\n\nWe accept most major dental insurance plans, including Delta Dental "
        "and Cigna. Bring your insurance card to your first visit."
    ),
    "cancellations.md": (
        "# Cancellation policy\n\nPlease cancel at least 24 hours before your appointment. "
        "Late cancellations are charged a $40 fee."
    ),
}


async def set_up_clinic(client: httpx.AsyncClient, tenant: Tenant, **config: Any) -> dict[str, str]:
    """Configure the business and upload its pages; returns document ids by file name."""
    settings = {
        "name": "Bright Smile Dental",
        "greeting": "Thanks for calling Bright Smile Dental, how can I help?",
        "timezone": "America/New_York",
        "escalation_numbers": ["+14155550100"],
        "business_hours": ALWAYS_OPEN,
        "phone_numbers": ["+14155550123"],
        "voice_transport": "gather",  # phone turns through Twilio's <Gather> (tests/voice streams)
        **config,
    }
    response = await client.patch("/api/v1/config", json=settings, headers=tenant.headers())
    assert response.status_code == 200, response.text
    ids = {}
    for name, text in PAGES.items():
        uploaded = await client.post(
            "/api/v1/knowledge/documents",
            files={"file": (name, text.encode(), "text/markdown")},
            headers=tenant.headers(),
        )
        assert uploaded.status_code == 201, uploaded.text
        ids[name] = uploaded.json()["id"]
    return ids


async def start_call(
    client: httpx.AsyncClient, tenant: Tenant, role: str = "agent"
) -> dict[str, Any]:
    response = await client.post("/api/v1/calls/test", json={}, headers=tenant.headers(role))
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def say(
    client: httpx.AsyncClient, tenant: Tenant, call_id: str, text: str, role: str = "agent"
) -> dict[str, Any]:
    response = await client.post(
        f"/api/v1/calls/{call_id}/messages", json={"text": text}, headers=tenant.headers(role)
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body
