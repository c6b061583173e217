"""The caller's audio goes past the recogniser only when the call is recorded: the processors
after it (agent, voice, output) have no use for it, and each 20 ms frame through each of them
costs the event loop that carries every call. A recorded call still keeps the caller's side."""

from __future__ import annotations

import asyncio
import time
import wave
from io import BytesIO

import httpx
import pytest
from fastapi import FastAPI
from pipecat.frames.frames import InputAudioRawFrame
from pipecat.tests.utils import run_test

from aicaller.businesses.schemas import BusinessConfig
from aicaller.voice.speech import providers
from aicaller.voice.speech.pocketsphinx_stt import SAMPLE_RATE
from tests.factories import Tenant
from tests.voice.conftest import answer, connected

ON_THE_LINE_SECONDS = 3.0


@pytest.mark.parametrize("backend", ["sqlite"])
@pytest.mark.parametrize("downstream", [False, True])
async def test_the_recogniser_hands_the_callers_audio_on_only_when_asked(
    client: httpx.AsyncClient, tenant: Tenant, downstream: bool
) -> None:
    config = (await client.get("/api/v1/config", headers=tenant.headers())).json()
    speech = providers.Speech(BusinessConfig.model_validate(config))
    recogniser = providers.recogniser(speech, audio_downstream=downstream)
    frames = [
        InputAudioRawFrame(audio=bytes(640), sample_rate=SAMPLE_RATE, num_channels=1)
        for _ in range(10)
    ]
    down, _up = await run_test(recogniser, frames_to_send=frames)
    passed = [frame for frame in down if isinstance(frame, InputAudioRawFrame)]
    assert len(passed) == (10 if downstream else 0)


@pytest.mark.parametrize("backend", ["sqlite"])
async def test_a_recorded_call_keeps_the_callers_side(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant
) -> None:
    """The caller stays on the line (line silence, as Twilio streams it) after the greeting:
    the recording covers that time, which only the caller's side fills."""
    call_id, token = await answer(client, tenant, recording_enabled=True)
    async with connected(app, token) as caller:
        await caller.wait_for("agent_audio", within=15)
        await caller.wait_quiet()
        quiet = time.monotonic()
        await asyncio.sleep(ON_THE_LINE_SECONDS)
        on_the_line = time.monotonic() - quiet
        await caller.hang_up()
        await asyncio.wait_for(caller.closed.wait(), 15)
    recording = await client.get(f"/api/v1/calls/{call_id}/recording", headers=tenant.headers())
    assert recording.status_code == 200, recording.text
    with wave.open(BytesIO(recording.content)) as wav:
        seconds = wav.getnframes() / wav.getframerate()
    assert seconds >= on_the_line
