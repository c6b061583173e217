"""Call control on the stream: barge-in (``clear``, only what was heard kept), the keypad,
silence prompts and the hang-up after them, and the clean hang-up after a goodbye."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from fastapi import FastAPI

from tests.factories import Tenant
from tests.voice.conftest import answer, connected, transcript

# Timing and audio behaviour; their records go through the conversation service, which runs
# on both engines in tests/agent and in test_stream_call.py. Real-time audio is slow to test.
pytestmark = pytest.mark.parametrize("backend", ["sqlite"])

LONG_GREETING = (
    "Thanks for calling Bright Smile Dental. We are a family dental practice in the city. "
    "We offer check-ups, cleanings, whitening and emergency care. How can I help you today?"
)


async def test_the_caller_interrupts_the_agent_and_the_transcript_keeps_what_they_heard(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant
) -> None:
    call_id, token = await answer(client, tenant, greeting=LONG_GREETING)
    async with connected(app, token) as caller:
        await caller.wait_for("agent_audio", within=5)
        # Let the first sentence play (its mark comes back), then talk over the second.
        await caller.wait_for("mark_played", within=6)
        started = asyncio.get_running_loop().time()
        speaking = asyncio.create_task(caller.say("Sorry, can I book a cleaning for tomorrow?"))
        cleared = await caller.wait_for("clear", after=started, within=4)
        await speaking
        await caller.wait_for("agent_audio", after=cleared + 0.05, within=8)
        await caller.wait_quiet()
        turns = (await transcript(client, tenant, call_id))["transcript"]
        greeting = turns[0]["text"]
        assert greeting.startswith("Thanks for calling Bright Smile Dental.")
        assert LONG_GREETING.startswith(greeting)
        assert greeting != LONG_GREETING  # the unheard sentences are not in the record
        assert [turn["speaker"] for turn in turns] == ["agent", "caller", "agent"]


async def test_the_keypad_asks_for_a_person(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant
) -> None:
    call_id, token = await answer(client, tenant, escalation_numbers=[])
    async with connected(app, token) as caller:
        await caller.wait_for("agent_audio", within=5)
        await caller.wait_quiet()
        pressed = asyncio.get_running_loop().time()
        await caller.dtmf("5")  # not the configured key: nothing happens
        await caller.dtmf("0")
        await caller.wait_for("agent_audio", after=pressed, within=8)
        await caller.wait_quiet()
    detail = await transcript(client, tenant, call_id)
    caller_turn, agent_turn = detail["transcript"][1:3]
    assert caller_turn["text"].startswith("(pressed 0)")
    assert caller_turn["intent"] == "caller_human"
    assert agent_turn["intent"] == "escalate"
    escalations = await client.get("/api/v1/escalations", headers=tenant.headers())
    assert [e["call"]["id"] for e in escalations.json()["items"]] == [call_id]


async def test_silence_is_prompted_then_the_agent_hangs_up_after_its_goodbye(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant
) -> None:
    call_id, token = await answer(client, tenant, voice_silence_seconds=1)
    async with connected(app, token) as caller:
        await caller.wait_for("agent_audio", within=5)
        await asyncio.wait_for(caller.closed.wait(), 40)
        # The goodbye's last mark came back before the stream was closed: nothing cut off.
        goodbye_heard = caller.times("mark_played")[-1]
        assert caller.times("closed")[0] >= goodbye_heard
        assert caller.close_code == 1000
    detail = await transcript(client, tenant, call_id)
    intents = [turn["intent"] for turn in detail["transcript"]]
    assert intents == ["greeting", "silence_prompt", "goodbye"]
    assert (detail["status"], detail["end_reason"]) == ("completed", "caller_silent")
