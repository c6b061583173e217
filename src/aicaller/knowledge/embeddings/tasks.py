"""Embedding a business's chunks in the background, and the sweep that starts it after syncs.

The state is in the database: a chunk without a row in ``chunk_embeddings`` still needs its
vector, so any worker can take over a job that another left half done, and a retry continues
where the failure stopped. Each batch is committed on its own; the knowledge version is bumped
every ``BUMP_EVERY`` chunks and at the end, so searches (in every process) start using the new
vectors without reloading the matrix after every batch.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from aicaller.businesses.service import BusinessService
from aicaller.core.encryption import SecretBox
from aicaller.core.http import SafeHttpClient
from aicaller.core.logging import get_logger
from aicaller.database.models.embedding import EmbeddingStatus
from aicaller.database.types import utcnow
from aicaller.knowledge.embeddings.client import EmbeddingsFailed, Endpoint, embed
from aicaller.knowledge.embeddings.repository import (
    ChunkVectorRepository,
    EmbeddingConfigRepository,
    businesses_to_index,
)
from aicaller.knowledge.embeddings.service import EMBED_JOB, request_indexing
from aicaller.knowledge.embeddings.vectors import pack
from aicaller.worker import JobCancelled, JobContext, PermanentJobError, job, schedule

SWEEP_JOB = "knowledge.embed_pending_sweep"
BUMP_EVERY = 5000
logger = get_logger("aicaller.knowledge.embeddings.tasks")


@job(EMBED_JOB, max_attempts=4)
async def embed_chunks(ctx: JobContext, payload: dict[str, Any]) -> dict[str, Any]:
    """Embed every chunk of the business that has no vector, a batch at a time."""
    if ctx.business_id is None or ctx.resources.http is None:
        raise PermanentJobError("embedding needs its business and the process's HTTP client")
    business_id, http = ctx.business_id, ctx.resources.http
    box = SecretBox(ctx.settings.signing_key)
    embedded = unannounced = 0
    while True:
        if ctx.cancel_requested:  # set by the heartbeat: cancelled, or taken by another worker
            raise JobCancelled(f"job {ctx.job_id} is no longer this worker's")
        async with ctx.database.transaction() as session:
            config = await EmbeddingConfigRepository(session, business_id).current()
            if config is None:
                return {"status": "not_configured", "embedded": embedded}
            pending = await ChunkVectorRepository(session, business_id).pending(
                ctx.settings.embeddings_batch_size
            )
            if not pending:
                await _finish(session, business_id, config, announce=unannounced > 0)
                return {"status": EmbeddingStatus.IDLE.value, "embedded": embedded}
            if config.status != EmbeddingStatus.INDEXING.value:
                config.status = EmbeddingStatus.INDEXING.value
            key = box.open(config.api_key_encrypted) if config.api_key_encrypted else None
            endpoint = Endpoint(config.base_url, config.model, key)
            dimensions = config.dimensions
        try:
            vectors = await _embed_batch(
                http, endpoint, [chunk.text for chunk in pending], dimensions
            )
        except EmbeddingsFailed as exc:
            await _failed(ctx, business_id, exc, announce=unannounced > 0)
            raise
        async with ctx.database.transaction() as session:
            config = await EmbeddingConfigRepository(session, business_id).current()
            if config is None or (config.base_url, config.model) != (
                endpoint.base_url, endpoint.model,
            ):  # fmt: skip
                # The endpoint changed meanwhile: its own job embeds with the new model.
                return {"status": "superseded", "embedded": embedded}
            rows = [
                (chunk.id, chunk.document_id, pack(vector))
                for chunk, vector in zip(pending, vectors, strict=True)
            ]
            await ChunkVectorRepository(session, business_id).add(rows)
            embedded += len(rows)
            unannounced += len(rows)
            if unannounced >= BUMP_EVERY:
                await BusinessService(session, business_id).bump_knowledge_version()
                unannounced = 0


async def _embed_batch(
    http: SafeHttpClient, endpoint: Endpoint, texts: list[str], dimensions: int | None
) -> list[list[float]]:
    vectors = await embed(http, endpoint, texts, retry=True)
    if dimensions is not None and len(vectors[0]) != dimensions:
        raise EmbeddingsFailed(
            f"the model now answers {len(vectors[0])} dimensions, not {dimensions}"
        )
    return vectors


async def _finish(session: Any, business_id: uuid.UUID, config: Any, *, announce: bool) -> None:
    config.status = EmbeddingStatus.IDLE.value
    config.last_error = None
    config.failed_at = None
    if announce:
        await BusinessService(session, business_id).bump_knowledge_version()


async def _failed(
    ctx: JobContext, business_id: uuid.UUID, exc: EmbeddingsFailed, *, announce: bool
) -> None:
    """Record the failure; after the last attempt the status is ``failed`` until the sweep
    retries (``embeddings_retry_minutes``) or someone asks (``POST .../retry``)."""
    last = ctx.attempt >= ctx.max_attempts
    logger.warning(
        "embedding_failed", business_id=str(business_id), attempt=ctx.attempt, final=last,
        error=exc.message,
    )  # fmt: skip
    async with ctx.database.transaction() as session:
        config = await EmbeddingConfigRepository(session, business_id).current()
        if config is None:
            return
        config.last_error = exc.message[:2000]
        if last:
            config.status = EmbeddingStatus.FAILED.value
            config.failed_at = utcnow()
        if announce:  # what was embedded before the failure is searched
            await BusinessService(session, business_id).bump_knowledge_version()


@job(SWEEP_JOB)
async def embed_pending(ctx: JobContext, payload: dict[str, Any]) -> dict[str, Any]:
    """Start embedding for every business with chunks still without a vector (after a sync
    or an upload), failed ones again once ``embeddings_retry_minutes`` have passed."""
    started = 0
    failed_before = utcnow() - timedelta(minutes=ctx.settings.embeddings_retry_minutes)
    async with ctx.database.transaction() as session:
        for business_id in await businesses_to_index(session, failed_before):
            started += await request_indexing(session, business_id)
    return {"started": started}


schedule(SWEEP_JOB, every=timedelta(minutes=1))
