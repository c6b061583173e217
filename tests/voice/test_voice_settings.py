"""The business's voice settings: defaults, updates, and bad values refused (422, unchanged)."""

from __future__ import annotations

import httpx
import pytest

from aicaller.businesses import speech
from aicaller.businesses.schemas import BusinessConfig
from aicaller.businesses.speech import SpeechKeys
from aicaller.voice.speech import providers
from aicaller.voice.speech.pocketsphinx_stt import PocketsphinxSTTService
from tests.factories import Tenant

BAD: list[dict[str, object]] = [
    {"voice_transport": "carrier-pigeon"},
    {"voice_silence_seconds": 0},
    {"voice_silence_seconds": True},
    {"voice_dtmf_digit": "12"},
    {"voice_dtmf_digit": "a"},
    {"turn_detection": "psychic"},
    {"turn_detection": None},
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
        "turn_detection": "vad",
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
        "turn_detection": "smart_turn",
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


SPEECH_DEFAULTS = {
    "stt_provider": "offline", "stt_base_url": None, "stt_api_key_set": False,
    "tts_provider": "offline", "tts_base_url": None, "tts_api_key_set": False,
    "stt_model": None, "tts_model": None, "tts_voice": None, "tts_speed": 1.0,
}  # fmt: skip
BAD_SPEECH: list[tuple[dict[str, object], str]] = [
    ({"stt_provider": "whisperx"}, "validation_error"),
    ({"tts_provider": "polly"}, "validation_error"),
    ({"stt_base_url": "ftp://speech.example.com"}, "validation_error"),
    ({"tts_base_url": "api.cartesia.ai"}, "validation_error"),
    ({"stt_api_key": ""}, "validation_error"),
    ({"tts_speed": 2.5}, "validation_error"),
    ({"stt_provider": "deepgram"}, "speech_key_required"),
    ({"tts_provider": "cartesia", "tts_voice": "a0e99841"}, "speech_key_required"),
    ({"stt_provider": "openai"}, "speech_key_required"),  # OpenAI itself needs a key
    ({"tts_provider": "cartesia", "tts_api_key": "sk_car_1"}, "speech_voice_required"),
    ({"tts_provider": "elevenlabs", "tts_voice": "21m00Tcm4TlvDq8ikWAM"}, "speech_key_required"),
    ({"tts_provider": "elevenlabs", "tts_api_key": "xi-1"}, "speech_voice_required"),
    ({"tts_provider": "piper", "tts_voice": "../../etc/passwd"}, "invalid_piper_voice"),
]


async def test_speech_settings_refuse_what_could_not_make_a_call(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    config = (await client.get("/api/v1/config", headers=tenant.headers())).json()
    assert {key: config[key] for key in SPEECH_DEFAULTS} == SPEECH_DEFAULTS
    for body, code in BAD_SPEECH:
        response = await client.patch("/api/v1/config", json=body, headers=tenant.headers())
        assert response.status_code == 422, body
        assert response.headers["content-type"] == "application/problem+json", body
        assert response.json()["code"] == code, (body, response.json())
    assert (await client.get("/api/v1/config", headers=tenant.headers())).json() == config

    hosted = {"stt_provider": "deepgram", "stt_api_key": "dg-secret", "tts_provider": "piper",
              "tts_voice": "en_US-lessac-medium", "stt_model": "nova-3"}  # fmt: skip
    updated = await client.patch("/api/v1/config", json=hosted, headers=tenant.headers())
    assert updated.status_code == 200, updated.text
    assert updated.json()["stt_api_key_set"] is True
    assert updated.json()["tts_api_key_set"] is False
    assert "dg-secret" not in updated.text
    # The key cannot go while Deepgram still recognises; both together can.
    orphan = {"stt_api_key": None}
    refused = await client.patch("/api/v1/config", json=orphan, headers=tenant.headers())
    assert refused.json()["code"] == "speech_key_required"
    back = {"stt_provider": "offline", "stt_api_key": None}
    cleared = await client.patch("/api/v1/config", json=back, headers=tenant.headers())
    assert cleared.status_code == 200, cleared.text
    assert cleared.json()["stt_api_key_set"] is False
    # A self-hosted OpenAI-compatible server may need no key.
    own = {"tts_provider": "openai", "tts_base_url": "http://kokoro.internal:8880/v1"}
    assert (await client.patch("/api/v1/config", json=own, headers=tenant.headers())).is_success


async def test_a_provider_not_installed_here_cannot_be_chosen(
    client: httpx.AsyncClient, tenant: Tenant, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As on a server installed without the deepgram extra (its package is one that does
    not exist); a call on settings stored before recognises offline instead."""
    config = (await client.get("/api/v1/config", headers=tenant.headers())).json()
    monkeypatch.setitem(speech.EXTRAS, "deepgram", ("aicaller_no_such_package", "deepgram"))
    body = {"stt_provider": "deepgram", "stt_api_key": "dg-secret"}
    response = await client.patch("/api/v1/config", json=body, headers=tenant.headers())
    assert response.status_code == 422
    assert response.json()["code"] == "speech_provider_not_installed"
    assert "pip install 'aicaller[deepgram]'" in response.json()["detail"]
    assert (await client.get("/api/v1/config", headers=tenant.headers())).json() == config
    stored = BusinessConfig.model_validate({**config, "stt_provider": "deepgram"})
    recogniser = providers.recogniser(providers.Speech(stored, SpeechKeys(stt="dg-secret")))
    assert isinstance(recogniser, PocketsphinxSTTService)
