"""``turn_detection`` ``smart_turn``: Pipecat's smart-turn model decides which of the caller's
pauses end their turn. A complete question is answered; a pause inside a sentence the model
judges unfinished is waited through, so the caller's two halves are one turn with one answer
(with the VAD alone the agent answers the first half).

The caller speaks eSpeak NG through 8 kHz mu-law. On that audio the model's verdicts are
often wrong (``benchmarks/voice_turns.py``; ADR 0014), so these tests use sentences whose
verdict on it is clear: "what are your opening hours?" finished, "I need to cancel my
appointment because" unfinished.
"""

from __future__ import annotations

import asyncio

import httpx
import pytest
from fastapi import FastAPI
from pipecat.audio.resamplers.soxr_stream_resampler import SOXRStreamAudioResampler
from pipecat.audio.utils import ulaw_to_pcm
from pipecat.frames.frames import (
    Frame,
    InputAudioRawFrame,
    VADUserStartedSpeakingFrame,
    VADUserStoppedSpeakingFrame,
)
from pipecat.tests.utils import run_test

from aicaller.voice.serializer import TWILIO_RATE
from aicaller.voice.speech.pocketsphinx_stt import SAMPLE_RATE
from aicaller.voice.turns import HOLD_SECONDS, VAD_STOP_SECONDS, SmartTurnGate, analyzer
from tests.factories import Tenant
from tests.voice.caller import SILENCE, speech
from tests.voice.conftest import answer, connected, transcript

FINISHED = "what are your opening hours?"
UNFINISHED = "I need to cancel my appointment because"
REST = "I am not feeling well."
FRAME_SAMPLES = SAMPLE_RATE // 50  # 20 ms


async def _pcm_frames(text: str | None, seconds: float = 0.0) -> list[Frame]:
    """``text`` as a call hears it (8 kHz mu-law decoded as voice/serializer.py does), or
    silence, in 20 ms frames."""
    if text is None:
        pcm = bytes(int(seconds * SAMPLE_RATE) * 2)
    else:
        resampler = SOXRStreamAudioResampler(quality="QQ", clear_after_secs=None)
        pcm = await ulaw_to_pcm(speech(text), TWILIO_RATE, SAMPLE_RATE, resampler)
    step = FRAME_SAMPLES * 2
    return [
        InputAudioRawFrame(audio=pcm[i : i + step], sample_rate=SAMPLE_RATE, num_channels=1)
        for i in range(0, len(pcm), step)
    ]


async def _utterance(text: str) -> list[Frame]:
    """What the VAD hands on for one stretch of speech and the pause after it."""
    return [
        VADUserStartedSpeakingFrame(start_secs=0.2),
        *await _pcm_frames(text),
        *await _pcm_frames(None, VAD_STOP_SECONDS),
        VADUserStoppedSpeakingFrame(stop_secs=VAD_STOP_SECONDS),
    ]


def _vad_frames(frames: list[Frame]) -> list[type]:
    return [type(frame) for frame in frames if not isinstance(frame, InputAudioRawFrame)]


async def _through_gate(frames: list[Frame]) -> list[type]:
    gate = SmartTurnGate(await asyncio.to_thread(analyzer))
    down, _up = await run_test(gate, frames_to_send=frames)
    return _vad_frames(list(down))


async def test_the_pause_after_a_finished_sentence_ends_the_turn() -> None:
    assert await _through_gate(await _utterance(FINISHED)) == [
        VADUserStartedSpeakingFrame,
        VADUserStoppedSpeakingFrame,
    ]


async def test_a_pause_in_an_unfinished_sentence_is_held_and_the_caller_goes_on() -> None:
    held = await _through_gate(await _utterance(UNFINISHED))
    assert held == [VADUserStartedSpeakingFrame]  # no end of turn
    # The caller goes on: downstream it is one utterance (no second start).
    going_on = await _through_gate([*await _utterance(UNFINISHED), *await _utterance(FINISHED)])
    assert going_on.count(VADUserStartedSpeakingFrame) == 1


async def test_a_held_pause_ends_the_turn_once_the_silence_lasts() -> None:
    frames = [*await _utterance(UNFINISHED), *await _pcm_frames(None, HOLD_SECONDS + 0.1)]
    assert await _through_gate(frames) == [VADUserStartedSpeakingFrame, VADUserStoppedSpeakingFrame]


# -- on a streamed call ----------------------------------------------------------------------

SQLITE = pytest.mark.parametrize("backend", ["sqlite"])  # real-time audio; the setting's
# storage is tested on both engines in test_voice_settings.py


@SQLITE
async def test_with_smart_turn_a_complete_question_is_answered(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant
) -> None:
    call_id, token = await answer(client, tenant, turn_detection="smart_turn")
    async with connected(app, token) as caller:
        await caller.wait_for("agent_audio", within=15)
        await caller.wait_quiet()
        asked = await caller.say(FINISHED)
        await caller.wait_for("agent_audio", after=asked, within=15)
        await caller.wait_quiet()
    turns = (await transcript(client, tenant, call_id))["transcript"]
    assert [turn["speaker"] for turn in turns] == ["agent", "caller", "agent"]


@SQLITE
@pytest.mark.parametrize("detection", ["smart_turn", "vad"])
async def test_a_pause_inside_an_unfinished_sentence(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant, detection: str
) -> None:
    """With smart-turn the agent waits through the caller's pause and answers once; with the
    VAD alone the same pause ends the turn and the agent answers the first half."""
    call_id, token = await answer(client, tenant, turn_detection=detection)
    async with connected(app, token) as caller:
        await caller.wait_for("agent_audio", within=15)
        await caller.wait_quiet()
        pause = [SILENCE] * 60  # 1.2 s: past the VAD's 0.5 s, within the model's hold
        frames = [*caller.frames(UNFINISHED), *pause, *caller.frames(REST)]
        started = asyncio.get_running_loop().time()
        done = await caller.send_frames(frames, "paused sentence")
        await caller.wait_for("agent_audio", after=started, within=20)
        await caller.wait_quiet(within=30)
        answered_during = [at for at in caller.times("agent_audio") if started < at < done]
    speakers = [
        turn["speaker"] for turn in (await transcript(client, tenant, call_id))["transcript"]
    ]
    if detection == "smart_turn":
        assert not answered_during
        assert speakers == ["agent", "caller", "agent"]
    else:
        assert answered_during  # the first half was answered while the caller paused
        assert speakers[:3] == ["agent", "caller", "agent"]
