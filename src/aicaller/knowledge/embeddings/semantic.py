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
from functools import partial

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from aicaller.core.cache import CONFIG, AppCache
from aicaller.knowledge.embeddings.client import EmbeddingsFailed, Endpoint, embed
from aicaller.knowledge.embeddings.fusion import Fused
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


async def vector_index(
    session: AsyncSession, business_id: uuid.UUID, version: int
) -> VectorIndex | None:
    """The business's matrix for this knowledge version. After a change, the one loaded
    before serves while the new one loads in the background: it lacks only what changed (a
    deleted chunk is skipped by ``nearest``), where loading 100,000 vectors would hold the
    caller on the line. Loaded here, in the search, only when the process has none (or an
    empty one)."""
    runtime = current()
    if runtime is None:
        return None
    index = runtime.matrices.latest(business_id)
    if index is not None and index.version == version:
        return index
    if index is not None and index.chunk_ids and isinstance(session.bind, AsyncEngine):
        runtime.reload_later(business_id, partial(_load_from, session.bind, business_id, version))
        return index
    index = await load_index(ChunkVectorRepository(session, business_id), version)
    runtime.matrices.put(business_id, index)
    return index


async def _load_from(engine: AsyncEngine, business_id: uuid.UUID, version: int) -> VectorIndex:
    # A session of its own (read only): the search's own ends with its request.
    async with AsyncSession(engine) as session:
        return await load_index(ChunkVectorRepository(session, business_id), version)


@dataclass(frozen=True, slots=True)
class Near:
    chunk_id: uuid.UUID
    document_id: uuid.UUID
    score: float  # cosine similarity to the question


def nearest(index: VectorIndex, query: QuestionVector, count: int) -> list[Near]:
    """The ``count`` chunks of the matrix nearest the question, nearest first (the fusion
    applies ``min_similarity`` per page). From the matrix alone: only the chunks a search
    returns are read from the database (``resolve``)."""
    return [
        Near(index.chunk_ids[row], index.document_ids[row], round(similarity, 4))
        for row, similarity in index.nearest(query.vector, count)
    ]


async def resolve(
    session: AsyncSession,
    business_id: uuid.UUID,
    fused: list[Fused],
    known: dict[uuid.UUID, SearchHit],
) -> list[SearchHit]:
    """The fused chunks as search hits with their fused scores: those of the lexical pool as
    they are, the others read by id. A chunk deleted since the matrix was loaded is left out."""
    missing = [found.chunk_id for found in fused if found.chunk_id not in known]
    read = await ChunkVectorRepository(session, business_id).hits(missing) if missing else {}
    hits = []
    for found in fused:
        hit = known.get(found.chunk_id) or read.get(found.chunk_id)
        if hit is not None:
            hits.append(replace(hit, score=found.score))
    return hits


async def load_index(vectors: ChunkVectorRepository, version: int) -> VectorIndex:
    chunk_ids, document_ids, blobs = await vectors.all_vectors()
    if not blobs:
        return VectorIndex(version, [], unpack([], 0))
    # The most common width: rows of another (a model being replaced) become zeros.
    widths = [len(blob) for blob in blobs]
    dimensions = max(set(widths), key=widths.count) // STORED.itemsize
    return VectorIndex.of(version, chunk_ids, unpack(blobs, dimensions), document_ids)
