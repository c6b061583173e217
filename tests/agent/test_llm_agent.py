"""The LLM agent against a local OpenAI-compatible server: streamed tool calls, the hand-over
policy, and every failure falling back to the offline agent."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from aicaller.agent.llm import LlmAgent
from aicaller.agent.llm_review import LlmReviewer
from aicaller.agent.offline import OfflineAgent
from aicaller.agent.post_call import PostCallAnalysis
from aicaller.agent.protocol import AgentAction, Intent
from aicaller.config import Settings
from aicaller.core.http import SafeHttpClient
from tests.agent.clinic import say, set_up_clinic, start_call
from tests.agent.fakes import CLOSED_NOW, context
from tests.agent.openai_peer import Answer, OpenAIPeer, ToolCall
from tests.factories import Tenant
from tests.fixtures import backend_settings


@pytest.fixture
async def settings(
    data_dir: Path, backend: str, database_urls: dict[str, str], peer: OpenAIPeer
) -> AsyncIterator[Settings]:
    """The app fixture's settings with the local LLM endpoint configured."""
    async with backend_settings(
        data_dir,
        backend,
        database_urls,
        llm_base_url=peer.base_url,
        llm_api_key="sk-test",
        llm_model="test-model",
        llm_timeout_seconds=2.5,  # the stalling peer of the timeout test waits 4 s
    ) as values:
        yield values


@pytest.fixture
async def llm(settings: Settings) -> AsyncIterator[LlmAgent]:
    async with SafeHttpClient.from_settings(settings) as http:
        yield LlmAgent(settings, http.client, OfflineAgent())


def _tool_names(body: dict[str, Any]) -> list[str]:
    return [tool["function"]["name"] for tool in body["tools"]]


async def test_a_streamed_search_then_a_streamed_answer(llm: LlmAgent, peer: OpenAIPeer) -> None:
    peer.answer(
        Answer(tool_calls=(ToolCall("search_knowledge", json.dumps({"query": "cleaning price"})),)),
        Answer(text="A check-up and cleaning costs **$120**."),
    )
    reply = await llm.reply(context("How much is a cleaning?"))
    assert reply.agent == "llm"
    assert (reply.text, reply.intent, reply.action) == (
        "A check-up and cleaning costs $120.",  # markdown never reaches the caller
        Intent.ANSWER,
        AgentAction.CONTINUE,
    )
    assert reply.sources == ("https://brightsmile.example/prices",)
    first, second = peer.bodies
    assert first["stream"] is True
    assert first["model"] == "test-model"
    assert _tool_names(first) == ["search_knowledge", "escalate", "transfer_call", "end_call"]
    system = first["messages"][0]
    assert system["role"] == "system"
    assert "Bright Smile Dental" in system["content"]
    assert "Monday to Friday from 9 AM to 5 PM" in system["content"]
    assert first["messages"][-1] == {"role": "user", "content": "How much is a cleaning?"}
    tool_result = second["messages"][-1]
    assert tool_result["role"] == "tool"
    assert tool_result["tool_call_id"] == "call_0"
    assert "$120" in tool_result["content"]
    assert second["messages"][-2]["tool_calls"][0]["function"]["name"] == "search_knowledge"
    assert peer.requests[0].headers["authorization"] == "Bearer sk-test"


async def test_a_transfer_goes_through_the_hand_over_policy(
    llm: LlmAgent, peer: OpenAIPeer
) -> None:
    transfer = ToolCall("transfer_call", json.dumps({"reason": "wants a person"}))
    peer.answer(Answer(tool_calls=(transfer,)), Answer(text="Connecting you now."))
    reply = await llm.reply(context("let me talk to someone"))
    assert (reply.action, reply.intent, reply.transfer_to) == (
        AgentAction.TRANSFER,
        Intent.TRANSFER,
        "+14155550100",
    )
    assert reply.escalation_reason == "wants a person"

    peer.answer(Answer(tool_calls=(transfer,)), Answer(text="Someone will call you back."))
    closed = await llm.reply(context("let me talk to someone", now=CLOSED_NOW))
    assert (closed.action, closed.transfer_to) == (AgentAction.ESCALATE, None)


async def test_end_call_ends_the_call(llm: LlmAgent, peer: OpenAIPeer) -> None:
    peer.answer(Answer(text="Goodbye!", tool_calls=(ToolCall("end_call", '{"reason": "done"}'),)))
    reply = await llm.reply(context("that's all, bye"))
    assert (reply.action, reply.intent, reply.text) == (AgentAction.END, Intent.GOODBYE, "Goodbye!")
    assert len(peer.bodies) == 1


@pytest.mark.parametrize(
    ("answers", "why"),
    [
        ((Answer(status=500),), "InternalServerError"),
        ((Answer(status=429),), "RateLimitError"),
        ((Answer(text="too late", delay=4.0),), "TimeoutError"),
        ((Answer(tool_calls=(ToolCall("search_knowledge", "{not json"),)),), "LlmUnusable"),
        ((Answer(tool_calls=(ToolCall("launch_rocket", "{}"),)),), "LlmUnusable"),
        ((Answer(text=""),), "LlmUnusable"),
        ((Answer(raw=b"<html>gateway</html>"),), "LlmUnusable"),
    ],
)
async def test_every_failure_falls_back_to_the_offline_agent(
    llm: LlmAgent, peer: OpenAIPeer, answers: tuple[Answer, ...], why: str
) -> None:
    peer.answer(*answers)
    reply = await llm.reply(context("are you open on saturday"))
    assert reply.agent == "offline"
    assert (reply.intent, reply.text) == (
        Intent.HOURS,
        "On Saturdays we're open from 10 AM to 2 PM.",
    )
    assert reply.notes == (f"llm fallback: {why}",)


async def test_a_business_on_the_llm_agent_answers_test_calls_through_it(
    client: httpx.AsyncClient, tenant: Tenant, peer: OpenAIPeer
) -> None:
    await set_up_clinic(client, tenant, agent_mode="llm", llm_model="clinic-model")
    call = (await start_call(client, tenant))["call"]
    peer.answer(
        Answer(tool_calls=(ToolCall("search_knowledge", '{"query": "whitening"}'),)),
        Answer(text="Whitening is $350 per session."),
    )
    reply = await say(client, tenant, call["id"], "how much is whitening")
    assert reply["reply"]["text"] == "Whitening is $350 per session."
    assert reply["reply"]["intent"] == "answer"
    assert reply["reply"]["sources"][0].startswith("document:")
    assert peer.bodies[0]["model"] == "clinic-model"
    # The endpoint goes down: the caller still gets an answer, from the offline agent.
    peer.answer(Answer(status=503))
    fallback = await say(client, tenant, call["id"], "how much is a cleaning")
    assert "$120" in fallback["reply"]["text"]


async def test_without_an_llm_endpoint_a_business_cannot_choose_the_llm_agent(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant
) -> None:
    app.state.settings = app.state.settings.model_copy(update={"llm_base_url": None})
    response = await client.patch(
        "/api/v1/config", json={"agent_mode": "llm"}, headers=tenant.headers()
    )
    assert response.status_code == 422
    assert response.json()["code"] == "llm_not_configured"
    config = (await client.get("/api/v1/config", headers=tenant.headers())).json()
    assert config["agent_mode"] == "offline"


async def test_post_call_review_by_the_llm_and_its_fallback(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant, peer: OpenAIPeer
) -> None:
    await set_up_clinic(client, tenant, agent_mode="llm")
    call_id = (await start_call(client, tenant))["call"]["id"]
    peer.answer(
        Answer(text="Whitening is $350."),
        Answer(text="Goodbye!", tool_calls=(ToolCall("end_call", "{}"),)),
    )
    await say(client, tenant, call_id, "how much is whitening")
    await say(client, tenant, call_id, "bye")
    review = {
        "summary": "The caller asked about whitening prices.",
        "sentiment": "neutral",
        "resolved_by_ai": True,
        "criteria": {
            key: {"result": "pass", "explanation": f"{key} looked fine"}
            for key in ("greeted_properly", "answered_from_knowledge", "no_unanswered_questions",
                        "escalated_appropriately", "polite_close")
        },
    }  # fmt: skip
    peer.answer(Answer(text=f"```json\n{json.dumps(review)}\n```", streamed=False))
    reviewer = LlmReviewer(app.state.settings, app.state.http.client)
    analysis = PostCallAnalysis(app.state.database, tenant.business_id, reviewer)
    assert (await analysis.run(uuid.UUID(call_id)))["evaluator"] == "llm"
    prompt = peer.bodies[-1]["messages"][0]["content"]
    assert "caller: how much is whitening" in prompt
    assert "- polite_close: Polite close." in prompt
    detail = (await client.get(f"/api/v1/calls/{call_id}", headers=tenant.headers())).json()
    assert detail["summary"] == "The caller asked about whitening prices."

    peer.answer(Answer(text='{"summary": "half an answer"}', streamed=False))
    assert (await analysis.run(uuid.UUID(call_id)))["evaluator"] == "offline"
    evaluations = (
        await client.get(f"/api/v1/calls/{call_id}/evaluations", headers=tenant.headers())
    ).json()["items"]
    assert len(evaluations) == 1  # the rerun replaced the AI evaluation
    assert "looked fine" not in json.dumps(evaluations)
