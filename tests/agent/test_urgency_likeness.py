"""With an embeddings endpoint, a caller's question that sounds like the urgent callers'
sentences the product ships is handed over at urgent priority though no rule names it (ADR
0048). The examples are kept in the background the first time a business needs them: until
then, and whenever the endpoint fails, the rules alone decide and the call goes on."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from aicaller.agent.handover import EMERGENCY_ADVICE
from aicaller.agent.language import classify
from aicaller.agent.protocol import Intent
from aicaller.agent.urgency_likeness import examples
from aicaller.config import Settings
from aicaller.knowledge.embeddings.sentences import sets_warmed
from tests.agent.clinic import say, set_up_clinic, start_call
from tests.agent.openai_peer import Answer, OpenAIPeer
from tests.core.http_peer import Reply
from tests.factories import Tenant
from tests.fixtures import REDIS_URL, flush_redis, make_settings
from tests.knowledge.embeddings.conftest import configure
from tests.knowledge.embeddings.embedder import PATH, Embedder

# Near the examples of bees in a bedroom wall, which no rule of a general business names.
SOUNDS_URGENT = "bees are coming out of the bedroom wall"
EVERYDAY = "what would a new roof cost"  # near the examples asking for a roof's price
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
async def settings(
    data_dir: Path, backend: str, database_urls: dict[str, str], peer: OpenAIPeer
) -> AsyncIterator[Settings]:
    """The endpoint runs on 127.0.0.1, so the SSRF guard's address check is lifted; an LLM
    endpoint is there for the business that chooses the LLM agent."""
    redis_url = REDIS_URL if backend == "postgresql" else None
    yield make_settings(
        data_dir,
        database_urls[backend],
        redis_url=redis_url,
        allow_private_urls=True,
        llm_base_url=peer.base_url,
        llm_api_key="sk-test",
        llm_model="test-model",
    )
    if redis_url:
        await flush_redis(redis_url)


@pytest.fixture
async def embedder() -> AsyncIterator[Embedder]:
    async with Embedder() as peer:
        yield peer


async def _escalations(client: httpx.AsyncClient, tenant: Tenant, call_id: str) -> list[Any]:
    detail = (await client.get(f"/api/v1/calls/{call_id}", headers=tenant.headers())).json()
    escalations: list[Any] = detail["escalations"]
    return escalations


def _embedded(embedder: Embedder) -> list[str]:
    return [text for request in embedder.inputs() for text in request]


def test_the_rules_miss_the_sentences_the_tests_rely_on() -> None:
    assert classify(SOUNDS_URGENT) is Intent.CALLER_QUESTION
    assert classify(EVERYDAY) is Intent.CALLER_QUESTION


async def test_before_the_examples_are_kept_the_rules_alone_decide_and_keeping_starts(
    client: httpx.AsyncClient, tenant: Tenant, embedder: Embedder
) -> None:
    assert (await configure(client, tenant, embedder)).status_code == 200
    call = (await start_call(client, tenant))["call"]
    reply = (await say(client, tenant, call["id"], SOUNDS_URGENT))["reply"]
    assert reply["intent"] != "transfer"
    assert all(e["priority"] != "urgent" for e in await _escalations(client, tenant, call["id"]))

    await sets_warmed()  # the turn started keeping the examples, and did not wait for them
    sentences, _ = examples()
    assert set(sentences) <= set(_embedded(embedder))
    assert all(len(request) <= 64 for request in embedder.inputs())


async def test_once_kept_a_question_that_sounds_urgent_is_handed_over_at_urgent_priority(
    client: httpx.AsyncClient, tenant: Tenant, embedder: Embedder
) -> None:
    assert (await configure(client, tenant, embedder)).status_code == 200
    call = (await start_call(client, tenant))["call"]
    await say(client, tenant, call["id"], "hello")
    await sets_warmed()

    reply = (await say(client, tenant, call["id"], SOUNDS_URGENT))["reply"]
    assert reply["action"] == "escalate"
    [escalation] = await _escalations(client, tenant, call["id"])
    assert escalation["priority"] == "urgent"
    assert escalation["reason"] == (
        f"Urgent (sounds like an emergency): the caller said {SOUNDS_URGENT!r}"
    )
    # The examples are not asked for again: the turn embedded the caller's words alone.
    assert embedder.inputs()[-1] == [SOUNDS_URGENT]


async def test_once_kept_an_everyday_question_is_not_handed_over(
    client: httpx.AsyncClient, tenant: Tenant, embedder: Embedder
) -> None:
    assert (await configure(client, tenant, embedder)).status_code == 200
    call = (await start_call(client, tenant))["call"]
    await say(client, tenant, call["id"], "hello")
    await sets_warmed()

    assert set(examples()[0]) <= set(_embedded(embedder))  # kept: it is judged by likeness
    await say(client, tenant, call["id"], EVERYDAY)
    assert all(e["priority"] != "urgent" for e in await _escalations(client, tenant, call["id"]))


async def test_while_the_endpoint_fails_the_rules_alone_decide_and_the_call_goes_on(
    client: httpx.AsyncClient, tenant: Tenant, embedder: Embedder
) -> None:
    assert (await configure(client, tenant, embedder)).status_code == 200
    embedder.route(PATH, *[Reply(503, {}, b"overloaded")] * 200)
    call = (await start_call(client, tenant))["call"]
    reply = (await say(client, tenant, call["id"], SOUNDS_URGENT))["reply"]
    await sets_warmed()
    assert any(len(request) > 1 for request in embedder.inputs())  # keeping them was tried
    assert all(e["priority"] != "urgent" for e in await _escalations(client, tenant, call["id"]))
    later = await say(client, tenant, call["id"], SOUNDS_URGENT)
    assert later["status"] == "in_progress"
    assert reply["intent"] != "transfer"
    # A rule's emergency is still handed over at once.
    await say(client, tenant, call["id"], "I smell gas in the kitchen")
    assert any(e["priority"] == "urgent" for e in await _escalations(client, tenant, call["id"]))


async def test_a_business_without_an_endpoint_never_asks_for_vectors(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant, embedder: Embedder
) -> None:
    call = (await start_call(client, tenant))["call"]
    await say(client, tenant, call["id"], SOUNDS_URGENT)
    await sets_warmed()
    assert embedder.inputs() == []
    assert all(e["priority"] != "urgent" for e in await _escalations(client, tenant, call["id"]))


async def test_the_llm_agent_hands_a_question_that_sounds_urgent_over_before_the_model(
    client: httpx.AsyncClient, tenant: Tenant, embedder: Embedder, peer: OpenAIPeer
) -> None:
    await set_up_clinic(client, tenant, agent_mode="llm")
    assert (await configure(client, tenant, embedder)).status_code == 200
    call = (await start_call(client, tenant))["call"]
    peer.answer(Answer(text="Hello! How can I help?"))
    await say(client, tenant, call["id"], "hello there")
    await sets_warmed()
    asked_the_model = len(peer.bodies)

    reply = (await say(client, tenant, call["id"], SOUNDS_URGENT))["reply"]
    assert reply["action"] in {"transfer", "escalate"}
    assert reply["text"].startswith(EMERGENCY_ADVICE)  # the urgent hand-over
    assert len(peer.bodies) == asked_the_model  # never a model's delay


def test_no_held_out_sentence_is_among_the_examples() -> None:
    """The held-out sentences judge the likeness: none may be one of its examples."""
    held_out = [
        x["text"] for x in json.loads((ROOT / "tests/agent/urgency_sets/fifth.json").read_text())
    ]
    business = ROOT / "benchmarks" / "answer_data" / "business"
    for slug in ("bayside_locksmith", "granite_peak_roofing", "harborview_dental",
                 "ridgeline_plumbing_hvac"):  # fmt: skip
        questions = json.loads((business / slug / "questions.json").read_text())["questions"]
        held_out += [q["question"] for q in questions]
    sentences, _ = examples()
    assert len(held_out) > 100
    shared = len(set(held_out) & set(sentences))  # a count: held-out sentences are not shown
    assert shared == 0
