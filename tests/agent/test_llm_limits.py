"""The LLM agent does not trust its provider: malformed stream chunks fall back to the offline
agent, and replies, history, tool calls per round and conflicting actions are bounded, all
against a local OpenAI-compatible server."""

from __future__ import annotations

import io
import json
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from aicaller.agent import llm as llm_module
from aicaller.agent.llm import LlmAgent
from aicaller.agent.llm_review import LlmReviewer
from aicaller.agent.llm_stream import Completion
from aicaller.agent.offline import OfflineAgent
from aicaller.agent.post_call import PostCallAnalysis
from aicaller.agent.protocol import AgentAction, Intent, PastTurn
from aicaller.config import Settings
from aicaller.core.http import SafeHttpClient
from tests.agent.clinic import say, set_up_clinic, start_call
from tests.agent.fakes import CLINIC, Passages, context
from tests.agent.openai_peer import Answer, OpenAIPeer, ToolCall, chunk_data
from tests.factories import Tenant
from tests.fixtures import backend_settings

HOURS = "On Saturdays we're open from 10 AM to 2 PM."  # the offline agent's answer
SEARCH = ToolCall("search_knowledge", json.dumps({"query": "cleaning price"}))
TRANSFER = ToolCall("transfer_call", json.dumps({"reason": "wants a person"}))
ESCALATE = ToolCall("escalate", json.dumps({"reason": "call me back", "priority": "high"}))
END = ToolCall("end_call", json.dumps({"reason": "done"}))


@pytest.fixture
async def settings(
    data_dir: Path, backend: str, database_urls: dict[str, str], peer: OpenAIPeer
) -> AsyncIterator[Settings]:
    async with backend_settings(
        data_dir, backend, database_urls, llm_base_url=peer.base_url, llm_api_key="sk-test",
        llm_model="test-model", llm_timeout_seconds=2.5, llm_max_reply_tokens=64,
        llm_max_reply_chars=120, llm_history_turns=4, llm_max_tool_calls=2,
    ) as values:  # fmt: skip
        yield values


@pytest.fixture
async def llm(settings: Settings) -> AsyncIterator[LlmAgent]:
    async with SafeHttpClient.from_settings(settings) as http:
        yield LlmAgent(settings, http.client, OfflineAgent())


HEAD = chunk_data({"role": "assistant", "content": ""})
MALFORMED = {
    "choices is a string": ('{"id": "x", "object": "chat.completion.chunk", "choices": "oops"}',),
    "a cut-off data line": (HEAD, '{"id": "x", "choices": [{"index": 0, "delta": {"content": "We'),
    "a chunk that is a list": (HEAD, "[1, 2]"),
    "tool calls as a string": (chunk_data({"tool_calls": "search_knowledge"}),),
    "content as a number": (chunk_data({"content": 42}),),
    "a tool call without a name": (chunk_data({"tool_calls": [{"index": 0, "function": 7}]}),),
}


@pytest.mark.parametrize("events", MALFORMED.values(), ids=MALFORMED.keys())
async def test_a_malformed_stream_falls_back_to_the_offline_agent(
    llm: LlmAgent, peer: OpenAIPeer, events: tuple[str, ...]
) -> None:
    peer.answer(Answer(events=(*events, "[DONE]")))
    reply = await llm.reply(context("are you open on saturday"))
    assert (reply.agent, reply.intent, reply.text) == ("offline", Intent.HOURS, HOURS)
    assert reply.notes == ("llm fallback: LlmUnusable",)


async def test_a_chunk_without_a_delta_is_skipped(llm: LlmAgent, peer: OpenAIPeer) -> None:
    events = (
        HEAD, chunk_data(None), chunk_data(..., None), chunk_data({"content": "We open at ten."}),
        chunk_data(None, "stop"), "[DONE]",
    )  # fmt: skip
    peer.answer(Answer(events=events))
    reply = await llm.reply(context("are you open on saturday"))
    assert (reply.agent, reply.text) == ("llm", "We open at ten.")


async def test_an_unforeseen_failure_falls_back_too_and_is_logged_with_its_traceback(
    app: FastAPI,  # its start sets up logging
    llm: LlmAgent,
    peer: OpenAIPeer,
    monkeypatch: pytest.MonkeyPatch,
    log_output: io.StringIO,
) -> None:
    async def broken(stream: object) -> Completion:
        raise KeyError("something no one foresaw")

    monkeypatch.setattr(llm_module, "read_completion", broken)
    peer.answer(Answer(text="We open at ten."))
    reply = await llm.reply(context("are you open on saturday"))
    assert (reply.agent, reply.text) == ("offline", HOURS)
    assert reply.notes == ("llm fallback: unexpected KeyError",)
    logged = log_output.getvalue()
    assert "llm_fallback_unexpected" in logged
    assert "Traceback" in logged  # logged with where it came from, to be looked at


async def test_a_malformed_stream_on_a_test_call_still_answers_and_is_stored(
    client: httpx.AsyncClient, tenant: Tenant, peer: OpenAIPeer
) -> None:
    await set_up_clinic(client, tenant, agent_mode="llm")
    call = (await start_call(client, tenant))["call"]
    peer.answer(Answer(events=(HEAD, MALFORMED["a cut-off data line"][1])))
    answered = await say(client, tenant, call["id"], "how much is a cleaning")
    assert "$120" in answered["reply"]["text"]
    turns = (
        await client.get(f"/api/v1/calls/{call['id']}/transcript", headers=tenant.headers())
    ).json()["items"]
    assert [turn["text"] for turn in turns][-2] == "how much is a cleaning"


async def test_max_tokens_is_sent_and_a_long_reply_is_cut_at_a_sentence(
    llm: LlmAgent, peer: OpenAIPeer
) -> None:
    long = "A cleaning costs $120. " + "It includes a check-up and a polish. " * 20
    peer.answer(Answer(text=long))
    reply = await llm.reply(context("how much is a cleaning"))
    assert peer.bodies[0]["max_tokens"] == 64
    assert reply.agent == "llm"
    assert len(reply.text) <= 120
    assert reply.text.startswith("A cleaning costs $120. It includes a check-up and a polish.")
    assert reply.text.endswith(".")
    assert "reply shortened" in reply.notes


async def test_an_answer_stopped_by_max_tokens_keeps_its_whole_sentences(
    llm: LlmAgent, peer: OpenAIPeer
) -> None:
    peer.answer(Answer(text="A cleaning costs $120. It takes about forty", finish="length"))
    reply = await llm.reply(context("how much is a cleaning"))
    assert reply.text == "A cleaning costs $120."
    assert reply.notes == ("reply cut by max_tokens",)


async def test_a_long_call_sends_its_opening_and_latest_turns_only(
    llm: LlmAgent, peer: OpenAIPeer
) -> None:
    history = [
        PastTurn("caller" if n % 2 else "agent", f"turn {n} " + "words " * 400) for n in range(30)
    ]
    peer.answer(Answer(text="Sure."))
    await llm.reply(context("and on saturday?", history=history))
    messages = peer.bodies[0]["messages"]
    sent = [m["content"].split(" words")[0] for m in messages[1:-1]]
    assert sent == ["turn 0", "turn 1", "turn 26", "turn 27", "turn 28", "turn 29"]
    assert all(len(m["content"]) <= 1000 for m in messages[1:-1])
    assert "24 turns in between are left out" in messages[0]["content"]
    assert messages[-1] == {"role": "user", "content": "and on saturday?"}


async def test_tool_calls_past_the_limit_are_not_run_and_the_model_is_told(
    llm: LlmAgent, peer: OpenAIPeer
) -> None:
    knowledge = Passages(dict(CLINIC.passages))
    peer.answer(Answer(tool_calls=(SEARCH,) * 5), Answer(text="A cleaning costs $120."))
    reply = await llm.reply(context("how much is a cleaning", knowledge=knowledge))
    assert reply.text == "A cleaning costs $120."
    assert len(knowledge.questions) == 2
    results = [m["content"] for m in peer.bodies[1]["messages"] if m["role"] == "tool"]
    assert len(results) == 5
    assert [r.startswith("Not run: at most 2 tool calls") for r in results] == [False] * 2 + [
        True
    ] * 3
    assert "3 tool calls not run" in reply.notes


@pytest.mark.parametrize(
    ("calls", "action", "dropped"),
    [
        ((TRANSFER, END), AgentAction.TRANSFER, "end_call"),
        ((END, TRANSFER), AgentAction.TRANSFER, "end_call"),
        ((END, ESCALATE), AgentAction.ESCALATE, "end_call"),
        ((TRANSFER, ESCALATE), AgentAction.TRANSFER, "escalate"),
    ],
)
async def test_conflicting_actions_put_a_person_first(
    llm: LlmAgent,
    peer: OpenAIPeer,
    calls: tuple[ToolCall, ...],
    action: AgentAction,
    dropped: str,
) -> None:
    peer.answer(Answer(tool_calls=calls), Answer(text="Let me get someone for you."))
    reply = await llm.reply(context("I want a person, bye"))
    assert reply.action is action
    assert reply.escalation_reason in {"wants a person", "call me back"}
    assert any(note.startswith(f"{dropped} not done") for note in reply.notes)
    told = [m["content"] for m in peer.bodies[1]["messages"] if m["role"] == "tool"]
    assert sum(text.startswith("Not done:") for text in told) == 1


async def test_nul_characters_from_the_model_are_not_stored(
    client: httpx.AsyncClient, tenant: Tenant, peer: OpenAIPeer
) -> None:
    """PostgreSQL cannot store NUL: the model's text and a tool's reason lose them."""
    await set_up_clinic(client, tenant, agent_mode="llm")
    call = (await start_call(client, tenant))["call"]
    nul_reason = ToolCall("escalate", json.dumps({"reason": "call\u0000 back", "priority": "high"}))
    peer.answer(Answer(tool_calls=(nul_reason,)), Answer(text="Someone will\u0000 call you back."))
    answered = await say(client, tenant, call["id"], "please call me back")
    assert answered["reply"]["text"] == "Someone will call you back."
    escalations = (await client.get("/api/v1/escalations", headers=tenant.headers())).json()
    assert [item["reason"] for item in escalations["items"]] == ["call back"]


async def _finished_call(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant, peer: OpenAIPeer
) -> tuple[PostCallAnalysis, uuid.UUID]:
    await set_up_clinic(client, tenant, agent_mode="llm")
    call_id = (await start_call(client, tenant))["call"]["id"]
    peer.answer(Answer(text="Whitening is $350."), Answer(text="Bye!", tool_calls=(END,)))
    await say(client, tenant, call_id, "how much is whitening")
    await say(client, tenant, call_id, "bye")
    reviewer = LlmReviewer(app.state.settings, app.state.http.client)
    return PostCallAnalysis(app.state.database, tenant.business_id, reviewer), uuid.UUID(call_id)


@pytest.mark.parametrize(
    "body",
    [
        b'{"id": "x", "object": "chat.completion", "choices": "oops"}',
        b'{"id": "x", "object": "chat.completion", "choices": [{"message": null}]}',
        b"[1, 2]",
    ],
)
async def test_a_malformed_post_call_review_falls_back_to_the_offline_one(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant, peer: OpenAIPeer, body: bytes
) -> None:
    analysis, call_id = await _finished_call(app, client, tenant, peer)
    peer.answer(Answer(raw=body))
    assert (await analysis.run(call_id))["evaluator"] == "offline"


async def test_nul_in_a_post_call_review_is_not_stored(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant, peer: OpenAIPeer
) -> None:
    analysis, call_id = await _finished_call(app, client, tenant, peer)
    criteria = ("greeted_properly", "answered_from_knowledge", "no_unanswered_questions",
                "escalated_appropriately", "polite_close")  # fmt: skip
    review = {
        "summary": "Asked about\u0000 whitening.", "sentiment": "neutral", "resolved_by_ai": True,
        "criteria": {key: {"result": "pass", "explanation": "fine\u0000"} for key in criteria},
    }  # fmt: skip
    peer.answer(Answer(text=json.dumps(review), streamed=False))
    assert (await analysis.run(call_id))["evaluator"] == "llm"
    detail = (await client.get(f"/api/v1/calls/{call_id}", headers=tenant.headers())).json()
    assert detail["summary"] == "Asked about whitening."
