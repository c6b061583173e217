"""A streamed call on Deepgram's recogniser and Cartesia's voice, both local stand-ins that
speak the providers' WebSocket protocols (tests/voice/speech_peers.py), reached through
Pipecat's services as a business configures them: what the caller said is what Deepgram
heard (one turn, though Deepgram finalised it in two parts), the agent's audio is Cartesia's,
and each provider got its own key, the business's language and speaking rate."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from http import HTTPStatus

import httpx
import numpy as np
import pytest
from fastapi import FastAPI

from tests.factories import Tenant
from tests.voice.caller import _mulaw
from tests.voice.conftest import SHORT_GREETING, answer, connected, transcript
from tests.voice.speech_peers import SQUARE, FakeCartesia, FakeDeepgram, FakeElevenLabs

pytestmark = pytest.mark.parametrize("backend", ["sqlite"])
DEEPGRAM_KEY = "dg-test-key-0123456789"
CARTESIA_KEY = "sk_car_test_key_0123456789"
VOICE_ID = "a0e99841-438c-4a64-b679-ae501e7d6091"


async def test_deepgram_hears_and_cartesia_speaks(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant
) -> None:
    async with (
        FakeDeepgram(early="How much is", rest="a cleaning?") as deepgram,
        FakeCartesia() as cartesia,
    ):
        call_id, token = await answer(
            client, tenant, language="en-US",
            stt_provider="deepgram", stt_base_url=deepgram.url, stt_api_key=DEEPGRAM_KEY,
            stt_model="nova-3-medical", tts_provider="cartesia", tts_base_url=cartesia.url,
            tts_api_key=CARTESIA_KEY, tts_voice=VOICE_ID, tts_speed=1.2,
        )  # fmt: skip
        config = (await client.get("/api/v1/config", headers=tenant.headers())).text
        assert DEEPGRAM_KEY not in config
        assert CARTESIA_KEY not in config
        async with connected(app, token) as caller:
            await caller.wait_for("agent_audio", within=15)
            await caller.wait_quiet()
            said = await caller.say("how much is a cleaning")
            await caller.wait_for("agent_audio", after=said, within=20)
            await caller.wait_quiet()
            await caller.hang_up()
            await asyncio.wait_for(caller.closed.wait(), 15)
        await asyncio.sleep(0.1)  # the providers' sockets close after the call

    turns = (await transcript(client, tenant, call_id))["transcript"]
    assert [turn["speaker"] for turn in turns[:3]] == ["agent", "caller", "agent"]
    assert turns[1]["text"] == "How much is a cleaning?"  # Deepgram's two parts, one turn
    assert "$120" in turns[2]["text"]

    [listen] = deepgram.handshakes
    assert listen.path == "/v1/listen"
    assert listen.headers["authorization"] == f"Token {DEEPGRAM_KEY}"
    assert {name: listen.query[name] for name in ("model", "language", "encoding")} == {
        "model": ["nova-3-medical"], "language": ["en-US"], "encoding": ["linear16"],
    }  # fmt: skip
    assert listen.query["sample_rate"] == ["16000"]
    assert "Finalize" in deepgram.controls

    assert {h.path for h in cartesia.handshakes} == {"/tts/websocket"}
    assert {h.headers["x-api-key"] for h in cartesia.handshakes} == {CARTESIA_KEY}
    assert SHORT_GREETING in " ".join(cartesia.spoken)
    assert "$120" in " ".join(cartesia.spoken)
    first = next(r for r in cartesia.requests if r.get("transcript"))
    assert first["voice"] == {"mode": "id", "id": VOICE_ID}
    assert first["language"] == "en-US"  # Pipecat keeps the regions Cartesia knows
    assert first["generation_config"] == {"speed": 1.2}
    assert first["output_format"] == {"container": "raw", "encoding": "pcm_s16le",
                                      "sample_rate": 8000}  # fmt: skip

    # What the caller heard is Cartesia's square wave (mu-law on the line), not eSpeak NG.
    heard = np.frombuffer(bytes(caller.agent_audio), dtype=np.uint8)
    square = np.frombuffer(_mulaw(np.array([SQUARE, -SQUARE])), dtype=np.uint8)
    assert np.isin(heard, square).mean() > 0.9


async def test_an_unreachable_voice_gives_way_to_espeak(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant
) -> None:
    """Cartesia down (nothing listens at its address): eSpeak NG speaks instead, for the rest
    of the call, and the caller is heard and answered as on any call."""
    async with FakeCartesia() as gone:
        closed = gone.url
    async with FakeDeepgram(early="How much is", rest="a cleaning?") as deepgram:
        call_id, token = await answer(
            client, tenant, stt_provider="deepgram", stt_base_url=deepgram.url,
            stt_api_key=DEEPGRAM_KEY, tts_provider="cartesia", tts_base_url=closed,
            tts_api_key=CARTESIA_KEY, tts_voice=VOICE_ID,
        )  # fmt: skip
        async with connected(app, token) as caller:
            await caller.wait_for("agent_audio", within=15)
            await caller.wait_quiet()
            said = await caller.say("how much is a cleaning")
            await caller.wait_for("agent_audio", after=said, within=20)
            await caller.wait_quiet()
            await caller.hang_up()
            await asyncio.wait_for(caller.closed.wait(), 15)
    detail = await transcript(client, tenant, call_id)
    assert [turn["speaker"] for turn in detail["transcript"][:3]] == ["agent", "caller", "agent"]
    assert "$120" in detail["transcript"][2]["text"]
    assert detail["status"] == "completed"
    heard = np.frombuffer(bytes(caller.agent_audio), dtype=np.uint8)
    square = np.frombuffer(_mulaw(np.array([SQUARE, -SQUARE])), dtype=np.uint8)
    assert len(heard) > 8000
    assert np.isin(heard, square).mean() < 0.5  # eSpeak NG's voice


async def test_an_utterance_deepgram_finalised_on_its_own_is_still_one_turn(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant
) -> None:
    """Deepgram had finalised the whole utterance before the caller stopped, so its answer to
    Finalize is empty (Pipecat passes nothing on): what was held still becomes the turn."""
    async with FakeDeepgram(early="How much is a cleaning?", rest="") as deepgram:
        call_id, token = await answer(
            client, tenant, stt_provider="deepgram", stt_base_url=deepgram.url,
            stt_api_key=DEEPGRAM_KEY,
        )  # fmt: skip
        async with connected(app, token) as caller:
            await caller.wait_for("agent_audio", within=15)
            await caller.wait_quiet()
            said = await caller.say("how much is a cleaning")
            await caller.wait_for("agent_audio", after=said, within=20)
            await caller.hang_up()
            await asyncio.wait_for(caller.closed.wait(), 15)
    turns = (await transcript(client, tenant, call_id))["transcript"]
    assert [turn["text"] for turn in turns[1:2]] == ["How much is a cleaning?"]
    assert "$120" in turns[2]["text"]


async def test_a_voice_that_refuses_the_key_gives_way_to_espeak(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant
) -> None:
    """Cartesia refuses the key (401 on the handshake): Pipecat marks its service unusable
    and eSpeak NG, behind it, speaks the greeting and the answers instead."""
    async with FakeCartesia(refuse=HTTPStatus.UNAUTHORIZED) as cartesia:
        call_id, token = await answer(
            client, tenant, tts_provider="cartesia", tts_base_url=cartesia.url,
            tts_api_key="sk_car_revoked", tts_voice=VOICE_ID,
        )  # fmt: skip
        async with connected(app, token) as caller:
            await caller.wait_for("agent_audio", within=15)
            # The greeting's sentences may arrive apart on a loaded machine: wait for more
            # than half a second of it rather than for the first pause.
            await _until(lambda: len(caller.agent_audio) > 4000, within=15)
            await caller.wait_quiet()
            await caller.hang_up()
            await asyncio.wait_for(caller.closed.wait(), 15)
    assert cartesia.handshakes[0].headers["x-api-key"] == "sk_car_revoked"
    assert not cartesia.requests  # nothing was ever synthesised there
    heard = np.frombuffer(bytes(caller.agent_audio), dtype=np.uint8)
    square = np.frombuffer(_mulaw(np.array([SQUARE, -SQUARE])), dtype=np.uint8)
    assert len(heard) > 4000  # half a second and more of the greeting
    assert np.isin(heard, square).mean() < 0.5  # eSpeak NG's voice, not the square wave
    turns = (await transcript(client, tenant, call_id))["transcript"]
    assert turns[0]["speaker"] == "agent"


async def test_elevenlabs_speaks_in_the_business_voice_and_rate(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant
) -> None:
    async with (
        FakeDeepgram(early="How much is", rest="a cleaning?") as deepgram,
        FakeElevenLabs() as elevenlabs,
    ):
        call_id, token = await answer(
            client, tenant, stt_provider="deepgram", stt_base_url=deepgram.url,
            stt_api_key=DEEPGRAM_KEY, tts_provider="elevenlabs", tts_base_url=elevenlabs.url,
            tts_api_key="xi-test-key", tts_voice="21m00Tcm4TlvDq8ikWAM", tts_speed=1.5,
        )  # fmt: skip
        async with connected(app, token) as caller:
            await caller.wait_for("agent_audio", within=15)
            await caller.wait_quiet()
            said = await caller.say("how much is a cleaning")
            await caller.wait_for("agent_audio", after=said, within=20)
            await caller.wait_quiet()
            await caller.hang_up()
            await asyncio.wait_for(caller.closed.wait(), 15)
    turns = (await transcript(client, tenant, call_id))["transcript"]
    assert "$120" in turns[2]["text"]
    [handshake] = elevenlabs.handshakes
    assert handshake.path == "/v1/text-to-speech/21m00Tcm4TlvDq8ikWAM/multi-stream-input"
    assert handshake.headers["xi-api-key"] == "xi-test-key"
    assert handshake.query["output_format"] == ["pcm_8000"]
    assert handshake.query["language_code"] == ["en"]  # the business's language
    assert SHORT_GREETING in " ".join(elevenlabs.spoken)
    assert "$120" in " ".join(elevenlabs.spoken)
    opened = next(m for m in elevenlabs.messages if "voice_settings" in m)
    assert opened["voice_settings"]["speed"] == 1.2  # held to ElevenLabs' 0.7-1.2
    heard = np.frombuffer(bytes(caller.agent_audio), dtype=np.uint8)
    square = np.frombuffer(_mulaw(np.array([SQUARE, -SQUARE])), dtype=np.uint8)
    assert np.isin(heard, square).mean() > 0.9


async def _until(condition: Callable[[], bool], *, within: float) -> None:
    deadline = asyncio.get_running_loop().time() + within
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, "not within the time allowed"
        await asyncio.sleep(0.02)
