"""The business's voice settings: defaults, updates, and bad values refused (422, unchanged)."""

from __future__ import annotations

import httpx

from tests.factories import Tenant

BAD: list[dict[str, object]] = [
    {"voice_transport": "carrier-pigeon"},
    {"voice_silence_seconds": 0},
    {"voice_silence_seconds": True},
    {"voice_dtmf_digit": "12"},
    {"voice_dtmf_digit": "a"},
    {"recording_enabled": "yes"},
    {"recording_consent": ""},
    {"recording_retention_days": 0},
    {"recording_retention_days": True},
]


async def test_voice_settings_default_update_and_refuse_bad_values(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    config = (await client.get("/api/v1/config", headers=tenant.headers())).json()
    assert {key: config[key] for key in BAD_KEYS} == {
        "voice_transport": "stream", "voice_silence_seconds": 8, "voice_dtmf_digit": "0",
        "recording_enabled": False, "recording_consent": None, "recording_retention_days": None,
    }  # fmt: skip
    for body in BAD:
        response = await client.patch("/api/v1/config", json=body, headers=tenant.headers())
        assert response.status_code == 422, body
    unchanged = (await client.get("/api/v1/config", headers=tenant.headers())).json()
    assert unchanged == config
    changes: dict[str, object] = {
        "voice_transport": "gather",
        "voice_dtmf_digit": "#",
        "recording_enabled": True,
        "recording_consent": "This call may be recorded.",
        "recording_retention_days": 90,
    }
    updated = await client.patch("/api/v1/config", json=changes, headers=tenant.headers())
    assert updated.status_code == 200, updated.text
    assert {key: updated.json()[key] for key in changes} == changes
    cleared = await client.patch(
        "/api/v1/config", json={"recording_retention_days": None}, headers=tenant.headers()
    )
    assert cleared.json()["recording_retention_days"] is None


BAD_KEYS = sorted({key for body in BAD for key in body})
