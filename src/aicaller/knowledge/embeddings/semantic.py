"""The semantic half of a search: the question's vector and the business's nearest chunks.

Whatever goes wrong here (no endpoint configured, the endpoint down or slow, no vectors yet)
leaves the search lexical: a caller on the line gets the lexical answer rather than an error
or a wait. The question is embedded before the search's result cache is read, so a result
made without it is cached under the lexical key, never under the hybrid one.
"""

from __future__ import annotations

import asyncio
import hashlib
import uuid
from dataclasses import dataclass, replace

from sqlalchemy.ext.asyncio import AsyncSession

from aicaller.core.cache import CONFIG, AppCache
from aicaller.knowledge.embeddings.client import EmbeddingsFailed, Endpoint, embed
from aicaller.knowledge.embeddings.repository import (
    ChunkVectorRepository,
    EmbeddingConfigRepository,
)
from aicaller.knowledge.embeddings.runtime import EmbeddingRuntime, current
from aicaller.knowledge.embeddings.vectors import STORED, Matrix, VectorIndex, unit, unpack
from aicaller.knowledge.search.backend import SearchHit

CONFIG_KEY = "embeddings:endpoint"


@dataclass(frozen=True, slots=True)
class StoredEndpoint:
    """A business's endpoint as cached (the key still sealed); ``base_url`` None: none."""

    base_url: str | None = None
    model: str = ""
    sealed_key: str | None = None
    min_similarity: float = 0.0


@dataclass(frozen=True, slots=True)
class QuestionVector:
    tag: str  # for the search's cache key: which model, which question
    vector: Matrix
    min_similarity: float


async def stored_endpoint(
    session: AsyncSession, business_id: uuid.UUID, cache: AppCache | None
) -> StoredEndpoint:
    async def load() -> StoredEndpoint:
        config = await EmbeddingConfigRepository(session, business_id).current()
        if config is None:
            return StoredEndpoint()
        return StoredEndpoint(
            config.base_url, config.model, config.api_key_encrypted, config.min_similarity
        )

    if cache is None:
        return await load()
    return await cache.get_or_set(CONFIG, tenant=business_id, key=CONFIG_KEY, compute=load)


async def question_vector(
    session: AsyncSession, business_id: uuid.UUID, question: str, cache: AppCache | None
) -> QuestionVector | None:
    """The question's vector from the business's endpoint, or None to search lexically."""
    runtime = current()
    if runtime is None:
        return None
    stored = await stored_endpoint(session, business_id, cache)
    if stored.base_url is None:
        return None
    tag = hashlib.sha256(f"{stored.model}\n{question}".encode()).hexdigest()[:24]
    vector = runtime.question(stored.base_url, stored.model, question)
    if vector is None:
        vector = await _ask(runtime, stored.base_url, stored, question)
    return None if vector is None else QuestionVector(tag, vector, stored.min_similarity)


async def _ask(
    runtime: EmbeddingRuntime, url: str, stored: StoredEndpoint, question: str
) -> Matrix | None:
    if runtime.is_down(url):
        return None
    key = runtime.secret_box.open(stored.sealed_key) if stored.sealed_key else None
    endpoint = Endpoint(url, stored.model, key)
    try:
        [vector] = await asyncio.wait_for(
            embed(runtime.http, endpoint, [question], retry=False),
            runtime.settings.embeddings_query_timeout_seconds,
        )
    except (EmbeddingsFailed, TimeoutError) as exc:
        runtime.mark_down(url, str(exc) or exc.__class__.__name__)
        return None
    runtime.mark_up(url)
    found = unit(vector)
    runtime.remember(url, stored.model, question, found)
    return found


async def nearest(
    session: AsyncSession, business_id: uuid.UUID, version: int, query: QuestionVector, count: int
) -> list[SearchHit]:
    """The business's ``count`` chunks nearest the question, nearest first (score: cosine)."""
    runtime = current()
    if runtime is None:
        return []
    vectors = ChunkVectorRepository(session, business_id)
    index = runtime.matrices.get(business_id, version)
    if index is None:
        index = await load_index(vectors, version)
        runtime.matrices.put(business_id, index)
    rows = [row for row in index.nearest(query.vector, count) if row[1] >= query.min_similarity]
    hits = await vectors.hits([index.chunk_ids[row] for row, _ in rows])
    return [
        replace(hits[index.chunk_ids[row]], score=round(similarity, 4))
        for row, similarity in rows
        if index.chunk_ids[row] in hits  # a chunk deleted since the matrix was loaded
    ]


async def load_index(vectors: ChunkVectorRepository, version: int) -> VectorIndex:
    rows = await vectors.all_vectors()
    if not rows:
        return VectorIndex(version, [], [], unpack([], 0))
    # The most common width: rows of another (a model being replaced) become zeros.
    widths = [len(blob) for _, _, blob in rows]
    dimensions = max(set(widths), key=widths.count) // STORED.itemsize
    matrix = unpack([blob for _, _, blob in rows], dimensions)
    return VectorIndex(version, [row[0] for row in rows], [row[1] for row in rows], matrix)
