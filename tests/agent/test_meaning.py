"""With an embeddings endpoint, the offline agent weighs sentences by meaning too: a caller's
words need not be the site's ("can I just drop in" for "same-day visits"). Without one, or
while it is down, it weighs words alone, as before; a turn asks the endpoint at most once."""

from __future__ import annotations

import math
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from aicaller.agent.grounded import grounded_answer
from aicaller.agent.protocol import KnowledgeAnswer
from aicaller.agent.urgency_likeness import examples
from aicaller.config import Settings
from aicaller.knowledge.embeddings.sentences import sets_warmed
from aicaller.knowledge.search.backend import SearchHit
from aicaller.knowledge.search.query import search_terms
from tests.agent.clinic import say, start_call
from tests.agent.fakes import Passages
from tests.core.http_peer import Reply
from tests.factories import Tenant
from tests.fixtures import REDIS_URL, flush_redis, make_settings
from tests.knowledge.embeddings.conftest import configure, run_embedding, upload
from tests.knowledge.embeddings.embedder import PATH, Embedder, vector

VISITS = (
    b"# Visits\n\n## Same-day visits\n"
    b"We keep same-day visits every morning: phone at 8am and we will fit you in. "
    b"Our building has a lift.\n"
)
QUESTION = "can I just drop in some morning"  # "drop in": in no passage


def _turns(embedder: Embedder) -> list[list[str]]:
    """The turns' requests: the urgency examples are kept in the background once per process
    (ADR 0048), not by the turn."""
    kept = set(examples()[0])
    return [texts for texts in embedder.inputs() if not set(texts) <= kept]


class Meaning:
    """The tests' embedder in process; ``None`` stands for an endpoint that is down."""

    def __init__(self, *, down: bool = False) -> None:
        self.down = down

    async def similarities(self, question: str, sentences: list[str]) -> list[float] | None:
        if self.down:
            return None
        asked = vector(question)
        return [_cosine(asked, vector(sentence)) for sentence in sentences]


def _cosine(a: list[float], b: list[float]) -> float:
    norm = math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(x * x for x in b))
    return sum(x * y for x, y in zip(a, b, strict=True)) / norm if norm else 0.0


class Nearest(Passages):
    """Every passage is a hit, as a semantic search finds passages with no word in common."""

    def __init__(self, passages: dict[str, str], meaning: Meaning | None) -> None:
        super().__init__(passages)
        self.meaning = meaning

    async def search(self, question: str, limit: int) -> KnowledgeAnswer:
        hits = [
            SearchHit(uuid.uuid4(), uuid.uuid4(), title, None, title, text, text[:80], 1.0)
            for title, text in self.passages.items()
        ]
        return KnowledgeAnswer(search_terms(question), hits[:limit], meaning=self.meaning)


@pytest.fixture
async def settings(
    data_dir: Path, backend: str, database_urls: dict[str, str]
) -> AsyncIterator[Settings]:
    """The endpoint runs on 127.0.0.1, so the SSRF guard's address check is lifted."""
    redis_url = REDIS_URL if backend == "postgresql" else None
    yield make_settings(
        data_dir, database_urls[backend], redis_url=redis_url, allow_private_urls=True
    )
    if redis_url:
        await flush_redis(redis_url)


@pytest.fixture
async def embedder() -> AsyncIterator[Embedder]:
    async with Embedder() as peer:
        yield peer


SITE = {
    "Same-day visits": "We keep same-day visits every morning: phone at 8am. We have a lift.",
    "Parking": "Free parking behind the building.",
}


async def test_a_question_in_other_words_is_answered_by_meaning_and_declined_by_words() -> None:
    by_meaning = await grounded_answer(Nearest(SITE, Meaning()), QUESTION)
    assert by_meaning.reply is not None
    assert by_meaning.reply.text.startswith("Yes. We keep same-day visits every morning")

    assert (await grounded_answer(Nearest(SITE, None), QUESTION)).reply is None
    # The endpoint down: words alone decide, and they do not support it.
    assert (await grounded_answer(Nearest(SITE, Meaning(down=True)), QUESTION)).reply is None


async def test_meaning_does_not_answer_what_the_knowledge_is_not_about() -> None:
    found = await grounded_answer(Nearest(SITE, Meaning()), "do you repair tractors")
    assert found.reply is None


async def test_a_test_call_answers_by_meaning_asking_the_endpoint_once_per_new_question(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant, embedder: Embedder
) -> None:
    await upload(client, tenant, "visits.md", VISITS)
    call = (await start_call(client, tenant))["call"]
    declined = await say(client, tenant, call["id"], QUESTION)
    assert declined["reply"]["intent"] == "decline"  # no endpoint: words alone

    assert (await configure(client, tenant, embedder)).status_code == 200
    await run_embedding(app, tenant.business_id)
    before = len(_turns(embedder))
    answer = await say(client, tenant, call["id"], QUESTION)
    assert answer["reply"]["intent"] == "answer"
    assert answer["reply"]["text"].startswith("Yes. We keep same-day visits every morning")
    # The search embedded the question; the sentences went in one more request.
    assert len(_turns(embedder)) - before == 2
    assert QUESTION not in _turns(embedder)[-1]

    # Asked again: everything is known in this process, the endpoint is not asked.
    again = await say(client, tenant, call["id"], QUESTION)
    assert again["reply"]["text"] == answer["reply"]["text"]
    assert len(_turns(embedder)) - before == 2
    await sets_warmed()


async def test_while_the_endpoint_fails_the_agent_answers_by_words_alone(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant, embedder: Embedder
) -> None:
    await upload(client, tenant, "visits.md", VISITS)
    assert (await configure(client, tenant, embedder)).status_code == 200
    await run_embedding(app, tenant.business_id)
    embedder.route(PATH, Reply(503, {}, b"overloaded"), Reply(503, {}, b"overloaded"))
    call = (await start_call(client, tenant))["call"]
    reply = (await say(client, tenant, call["id"], "is there a lift in the building"))["reply"]
    assert reply["intent"] == "answer"
    assert "lift" in reply["text"]
