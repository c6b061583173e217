"""A business on an OpenAI-compatible speech endpoint (a self-hosted Whisper or Kokoro
server, here a fake one with respx): what the caller said is what that endpoint heard, the
agent's answer is spoken by it, and the key is the business's own, never shown."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest
from fastapi import FastAPI

from tests.core.http_peer import LocalPeer, Reply
from tests.factories import Tenant
from tests.voice.conftest import answer, connected, transcript

pytestmark = pytest.mark.parametrize("backend", ["sqlite"])
KEY = "sk-speech-test-key"
HEARD = "How much is a cleaning?"


async def test_an_openai_compatible_endpoint_hears_and_speaks(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant
) -> None:
    tone = b"\x00\x10\x00\xf0" * 6000  # half a second of 24 kHz 16-bit audio
    async with LocalPeer() as peer:
        json_type = {"content-type": "application/json"}
        peer.route(
            "/v1/audio/transcriptions", Reply(200, json_type, json.dumps({"text": HEARD}).encode())
        )
        peer.route("/v1/audio/speech", Reply(200, {"content-type": "audio/pcm"}, tone))
        call_id, token = await answer(
            client, tenant, stt_provider="openai", stt_base_url=peer.url("/v1"),
            stt_api_key=KEY, tts_provider="openai", tts_base_url=peer.url("/v1"),
            tts_api_key=KEY, tts_voice="nova", stt_model="large-v3", tts_speed=1.25,
            language="fr-CA",
        )  # fmt: skip
        config = await client.get("/api/v1/config", headers=tenant.headers())
        assert config.json()["stt_api_key_set"] is config.json()["tts_api_key_set"] is True
        assert KEY not in config.text
        async with connected(app, token) as caller:
            await caller.wait_for("agent_audio", within=15)
            await caller.wait_quiet()
            said = await caller.say("how much is a cleaning")
            await caller.wait_for("agent_audio", after=said, within=20)
            await caller.wait_quiet()
            await caller.hang_up()
            await asyncio.wait_for(caller.closed.wait(), 15)
        seen = list(peer.requests)
    turns = (await transcript(client, tenant, call_id))["transcript"]
    assert turns[1]["text"] == HEARD
    assert "$120" in turns[2]["text"]
    speech = [r for r in seen if r.target.endswith("/audio/speech")]
    heard = [r for r in seen if r.target.endswith("/audio/transcriptions")]
    assert len(speech) >= 2  # the greeting, the answer
    assert len(heard) == 1  # one utterance
    assert speech[0].headers["authorization"] == f"Bearer {KEY}"
    assert json.loads(speech[0].body)["voice"] == "nova"
    assert json.loads(speech[0].body)["speed"] == 1.25
    assert b"large-v3" in heard[0].body
    assert b'name="language"\r\n\r\nfr\r\n' in heard[0].body  # Whisper takes the language
