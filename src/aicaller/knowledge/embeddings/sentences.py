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
import uuid
from collections import OrderedDict

import numpy as np
from sqlalchemy.ext.asyncio import AsyncSession

from aicaller.core.cache import AppCache
from aicaller.knowledge.embeddings.client import EmbeddingsFailed, Endpoint, embed
from aicaller.knowledge.embeddings.runtime import current
from aicaller.knowledge.embeddings.semantic import stored_endpoint
from aicaller.knowledge.embeddings.vectors import Matrix, unit

SENTENCES_KEPT = 50_000
"""Sentence vectors kept per process (384 floats each for a small model: about 77 MB)."""
_kept: OrderedDict[tuple[str, str, str], Matrix] = OrderedDict()


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
