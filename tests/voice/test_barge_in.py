"""Barge-in: noise over the agent does not interrupt it; a backchannel ("okay") may stop it
for a moment, but the agent goes on from the sentence the caller had not heard, and neither
is a turn (the real interruption is in test_call_control.py; its latency in
benchmarks/voice.py)."""

from __future__ import annotations

import asyncio

import httpx
import numpy as np
import pytest
from fastapi import FastAPI

from tests.factories import Tenant
from tests.voice.caller import RATE, SimulatedCaller, _mulaw
from tests.voice.conftest import answer, connected, transcript

pytestmark = pytest.mark.parametrize("backend", ["sqlite"])  # real-time audio; see call control

LONG_GREETING = (
    "Thanks for calling Bright Smile Dental. We are a family dental practice in the city. "
    "We offer check-ups, cleanings, whitening and emergency care. How can I help you today?"
)


def noise(kind: str, seconds: float = 1.2) -> bytes:
    """Loud non-speech as 8 kHz mu-law: hiss, mains hum, or clicks."""
    count = int(RATE * seconds)
    ticks = np.arange(count) / RATE
    if kind == "hiss":
        pcm = np.random.default_rng(7).normal(0, 9000, count)
    elif kind == "hum":
        pcm = 9000 * np.sin(2 * np.pi * 60 * ticks) + 5000 * np.sin(2 * np.pi * 120 * ticks)
    else:
        pcm = np.zeros(count)
        pcm[::800], pcm[1::800] = 20000, -20000
    return _mulaw(pcm)


async def _first_sentence_heard(caller: SimulatedCaller) -> float:
    await caller.wait_for("agent_audio", within=15)
    await caller.wait_for("mark_played", within=15)
    return asyncio.get_running_loop().time()


@pytest.mark.parametrize("kind", ["hiss", "hum", "clicks"])
async def test_noise_over_the_agent_does_not_interrupt_it(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant, kind: str
) -> None:
    call_id, token = await answer(client, tenant, greeting=LONG_GREETING)
    async with connected(app, token) as caller:
        await _first_sentence_heard(caller)
        await caller.play_audio(noise(kind), kind)
        await caller.wait_quiet(within=30)
        assert not caller.times("clear")
    turns = (await transcript(client, tenant, call_id))["transcript"]
    assert [(turn["speaker"], turn["text"]) for turn in turns] == [("agent", LONG_GREETING)]


async def test_a_backchannel_is_not_a_turn_and_the_agent_goes_on_where_it_was(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant
) -> None:
    call_id, token = await answer(client, tenant, greeting=LONG_GREETING)
    async with connected(app, token) as caller:
        await _first_sentence_heard(caller)
        await caller.say("okay")
        cleared = await caller.wait_for("clear", within=10)
        # The agent speaks again after the clear: the rest of its greeting, not a new turn.
        await caller.wait_for("agent_audio", after=cleared + 0.05, within=15)
        await caller.wait_quiet(within=30)
        after_clear = sum(size for at, what, size in caller.events
                          if what == "agent_audio" and at > cleared)  # fmt: skip
        assert after_clear > RATE  # over a second of speech: sentences, not a fragment
        assert len(caller.times("clear")) == 1
    turns = (await transcript(client, tenant, call_id))["transcript"]
    assert [(turn["speaker"], turn["text"]) for turn in turns] == [("agent", LONG_GREETING)]
