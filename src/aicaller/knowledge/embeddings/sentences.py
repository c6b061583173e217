"""How close in meaning a question is to candidate sentences, through the business's own
embeddings endpoint: the evidence the offline agent weighs beside word overlap when a caller's
words are not the site's ("boy cat fixed" for "Cat neuter").

The question's vector is usually already in the runtime (the search just asked for it), and a
sentence's vector is kept in this process once fetched (``SENTENCES_KEPT``): a business's
sentences come back call after call, so a turn costs at most one request, for the sentences
never seen before, and usually none. Whatever goes wrong (no endpoint, the endpoint down or
slow) gives None, and the agent weighs words alone: a caller on the line gets an answer or a
callback, never an error or a wait.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections import OrderedDict
from collections.abc import Sequence

import numpy as np
from sqlalchemy.ext.asyncio import AsyncSession

from aicaller.core.cache import AppCache
from aicaller.core.logging import get_logger
from aicaller.knowledge.embeddings.client import EmbeddingsFailed, Endpoint, embed
from aicaller.knowledge.embeddings.runtime import current
from aicaller.knowledge.embeddings.semantic import (
    StoredEndpoint,
    question_vector,
    stored_endpoint,
)
from aicaller.knowledge.embeddings.vectors import Matrix, unit

SENTENCES_KEPT = 50_000
"""Sentence vectors kept per process (384 floats each for a small model: about 77 MB)."""
_kept: OrderedDict[tuple[str, str, str], Matrix] = OrderedDict()

SET_BATCH = 64
"""Sentences per request while a fixed set is kept (``warm_up``)."""
SET_TIMEOUT_SECONDS = 120.0
"""Per request of a set's warm-up: a local CPU model may take seconds for a batch, which no
turn waits for, so it is not the query timeout and never marks the endpoint down."""
logger = get_logger("aicaller.knowledge.embeddings")
# A fixed set of sentences (the product's own, e.g. the urgency exemplars) kept as one matrix
# per endpoint and model, apart from the business sentences' LRU so that it is never evicted.
_sets: dict[tuple[str, str, str], Matrix] = {}
_warming: dict[tuple[str, str, str], asyncio.Task[None]] = {}
_failed_at: dict[tuple[str, str, str], float] = {}


def _remembered(url: str, model: str, text: str) -> Matrix | None:
    vector = _kept.get((url, model, text))
    if vector is not None:
        _kept.move_to_end((url, model, text))
    return vector


def _remember(url: str, model: str, text: str, vector: Matrix) -> None:
    _kept[(url, model, text)] = vector
    while len(_kept) > SENTENCES_KEPT:
        _kept.popitem(last=False)


class SentenceMeaning:
    """The cosine similarity of one question to sentences, for one business."""

    def __init__(
        self, session: AsyncSession, business_id: uuid.UUID, cache: AppCache | None = None
    ) -> None:
        self.session = session
        self.business_id = business_id
        self.cache = cache

    async def similarities(self, question: str, sentences: list[str]) -> list[float] | None:
        """The similarity of ``question`` to each of ``sentences``, in order; None when the
        business has no endpoint or it cannot answer now."""
        runtime = current()
        if runtime is None or not sentences:
            return None
        stored = await stored_endpoint(self.session, self.business_id, self.cache)
        url = stored.base_url
        if url is None or runtime.is_down(url):
            return None
        asked = runtime.question(url, stored.model, question)
        texts = [question] if asked is None else []
        model = stored.model
        texts += [t for t in dict.fromkeys(sentences) if _remembered(url, model, t) is None]
        if texts:
            key = runtime.secret_box.open(stored.sealed_key) if stored.sealed_key else None
            try:
                vectors = await asyncio.wait_for(
                    embed(runtime.http, Endpoint(url, stored.model, key), texts, retry=False),
                    runtime.settings.embeddings_query_timeout_seconds,
                )
            except (EmbeddingsFailed, TimeoutError) as exc:
                runtime.mark_down(url, str(exc) or exc.__class__.__name__)
                return None
            runtime.mark_up(url)
            for text, vector in zip(texts, vectors, strict=True):
                if asked is None and text == question:
                    asked = unit(vector)
                    runtime.remember(url, stored.model, question, asked)
                else:
                    _remember(url, stored.model, text, unit(vector))
        if asked is None:
            return None
        rows = [_remembered(url, stored.model, text) for text in sentences]
        if any(row is None for row in rows):
            return None  # more sentences than the cache keeps: rare, weigh words alone
        matrix = np.stack([row for row in rows if row is not None])
        return [float(value) for value in matrix @ asked]

    async def similarities_to_set(
        self, question: str, name: str, sentences: Sequence[str]
    ) -> Matrix | None:
        """The similarity of ``question`` to each of the fixed set ``sentences`` (named
        ``name``, the same sentences every call), only once the set is kept in this process:
        the turn embeds the question alone (if the search has not already). Until then,
        None, and the first call starts keeping the set in the background (``warm_up``)."""
        stored = await self._set_endpoint(sentences)
        if stored is None or stored.base_url is None:
            return None
        matrix = _sets.get((stored.base_url, stored.model, name))
        if matrix is None:
            _warm_up(stored.base_url, stored.model, stored.sealed_key, name, sentences)
            return None
        asked = await question_vector(self.session, self.business_id, question, self.cache)
        return None if asked is None else np.asarray(matrix @ asked.vector)

    async def keep_set(self, name: str, sentences: Sequence[str]) -> asyncio.Task[None] | None:
        """Start keeping the set for the business's endpoint, if it has one; the task, for
        a benchmark to wait for (a turn never does)."""
        stored = await self._set_endpoint(sentences)
        if stored is None or stored.base_url is None:
            return None
        return _warm_up(stored.base_url, stored.model, stored.sealed_key, name, sentences)

    async def _set_endpoint(self, sentences: Sequence[str]) -> StoredEndpoint | None:
        """The business's endpoint for a fixed set, None where there is nothing to keep."""
        if current() is None or not sentences:
            return None
        return await stored_endpoint(self.session, self.business_id, self.cache)


def _warm_up(
    url: str, model: str, sealed_key: str | None, name: str, sentences: Sequence[str]
) -> asyncio.Task[None] | None:
    """Start keeping the set: once per process, endpoint and model at a time, and after a
    failure not again before the endpoint's down interval has passed."""
    runtime = current()
    key = (url, model, name)
    if runtime is None or key in _sets:
        return None
    if key in _warming:
        return _warming[key]
    failed = _failed_at.get(key)
    if failed is not None and time.monotonic() - failed < runtime.settings.embeddings_down_seconds:
        return None
    secret = runtime.secret_box.open(sealed_key) if sealed_key else None
    task = asyncio.get_running_loop().create_task(
        _keep_set(Endpoint(url, model, secret), name, list(sentences))
    )
    _warming[key] = task
    return task


async def _keep_set(endpoint: Endpoint, name: str, sentences: list[str]) -> None:
    runtime = current()
    key = (endpoint.base_url, endpoint.model, name)
    try:
        if runtime is None:
            return
        rows: list[Matrix] = []
        for start in range(0, len(sentences), SET_BATCH):
            batch = sentences[start : start + SET_BATCH]
            vectors = await asyncio.wait_for(
                embed(runtime.http, endpoint, batch, retry=True), SET_TIMEOUT_SECONDS
            )
            rows += [unit(vector) for vector in vectors]
        _sets[key] = np.stack(rows)
        _failed_at.pop(key, None)
    except (EmbeddingsFailed, TimeoutError) as exc:
        # The turn goes on by the rules; the endpoint stays up for the search.
        _failed_at[key] = time.monotonic()
        logger.warning(
            "embeddings_set_warm_up_failed",
            url=endpoint.base_url,
            set=name,
            error=str(exc) or exc.__class__.__name__,
        )
    finally:
        _warming.pop(key, None)


async def sets_warmed() -> None:
    """Wait for the sets being kept (benchmarks and tests; a turn never waits)."""
    while _warming:
        await asyncio.gather(*_warming.values(), return_exceptions=True)
