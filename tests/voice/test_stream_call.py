"""A whole streamed phone call: Twilio's webhook, the media WebSocket, the agent's voice."""

from __future__ import annotations

import httpx
from fastapi import FastAPI

from tests.factories import Tenant
from tests.voice.conftest import answer, connected, transcript


async def test_a_streamed_call_greets_answers_and_ends_when_the_caller_hangs_up(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant
) -> None:
    call_id, token = await answer(client, tenant)
    async with connected(app, token) as caller:
        greeting = await caller.wait_for("agent_audio", within=5)
        await caller.wait_quiet()
        assert len(caller.agent_audio) > 8000  # over a second of the greeting
        assert caller.times("mark_played"), "marks come back once their audio has played"

        said = await caller.say("How much is a cleaning?")
        reply = await caller.wait_for("agent_audio", after=said, within=8)
        assert reply > greeting
        await caller.wait_quiet()
        detail = await transcript(client, tenant, call_id)
        speakers = [turn["speaker"] for turn in detail["transcript"]]
        assert speakers == ["agent", "caller", "agent"], detail["transcript"]
        assert detail["transcript"][1]["text"]  # what the recogniser heard
        assert detail["status"] == "in_progress"

        await caller.hang_up()
        await caller.closed.wait()
    detail = await transcript(client, tenant, call_id)
    assert (detail["status"], detail["end_reason"]) == ("completed", "caller_hangup")
