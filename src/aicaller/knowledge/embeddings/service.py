"""A business's embeddings endpoint: set (checked by embedding a probe first), read with the
indexing status, removed, retried; and asking for its chunks to be embedded."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from aicaller.businesses.service import BusinessService
from aicaller.core.cache import CONFIG, AppCache
from aicaller.core.encryption import SecretBox
from aicaller.core.errors import NotFound, ValidationError
from aicaller.core.http import SafeHttpClient
from aicaller.database.models import EmbeddingConfig
from aicaller.database.models.embedding import EmbeddingStatus
from aicaller.database.service import BaseService
from aicaller.knowledge.embeddings.client import EmbeddingsFailed, Endpoint, embed
from aicaller.knowledge.embeddings.repository import (
    ChunkVectorRepository,
    EmbeddingConfigRepository,
    indexing_job_active,
)
from aicaller.knowledge.embeddings.schemas import EmbeddingsConfigIn, EmbeddingsStatusOut
from aicaller.knowledge.embeddings.semantic import CONFIG_KEY
from aicaller.worker import enqueue

EMBED_JOB = "knowledge.embed_chunks"
PROBE = "Do you have an appointment tomorrow morning?"


class EmbeddingService(BaseService):
    def __init__(
        self, session: AsyncSession, business_id: uuid.UUID, cache: AppCache | None = None
    ) -> None:
        super().__init__(session, business_id)
        self.configs = EmbeddingConfigRepository(session, business_id)
        self.vectors = ChunkVectorRepository(session, business_id)
        self.business = BusinessService(session, business_id, cache)
        self.cache = cache

    async def status(self) -> EmbeddingsStatusOut:
        config = await self.configs.current()
        chunks, embedded = await self.vectors.counts()
        if config is None:
            return EmbeddingsStatusOut(configured=False, chunks=chunks, embedded=embedded)
        return EmbeddingsStatusOut(
            configured=True,
            base_url=config.base_url,
            model=config.model,
            api_key_set=config.api_key_encrypted is not None,
            dimensions=config.dimensions,
            min_similarity=config.min_similarity,
            status=config.status,
            last_error=config.last_error,
            failed_at=config.failed_at,
            chunks=chunks,
            embedded=embedded,
        )

    async def configure(
        self, data: EmbeddingsConfigIn, *, http: SafeHttpClient, secret_box: SecretBox
    ) -> EmbeddingsStatusOut:
        """Set the endpoint once it has embedded a probe (else 422, nothing stored). A new URL
        or model drops the old vectors (they are another model's) and embeds everything again."""
        key = data.api_key.get_secret_value() if data.api_key else None
        try:
            [vector] = await embed(http, Endpoint(data.base_url, data.model, key), [PROBE],
                                   retry=False)  # fmt: skip
        except EmbeddingsFailed as exc:
            raise ValidationError(
                f"The embeddings endpoint did not answer the check: {exc.message}",
                code="embeddings_endpoint_failed",
            ) from exc
        values = {
            "base_url": data.base_url,
            "model": data.model,
            "api_key_encrypted": secret_box.seal(key) if key else None,
            "dimensions": len(vector),
            "min_similarity": data.min_similarity,
        }
        config = await self.configs.current()
        if config is None:
            await self.configs.create(**values)
        else:
            same = (config.base_url, config.model, config.dimensions) == (
                data.base_url, data.model, len(vector),
            )  # fmt: skip
            if not same:
                await self.vectors.delete_all()  # another model's: all embedded again
            await self.configs.update(
                config, **values, status=EmbeddingStatus.IDLE.value, last_error=None,
                failed_at=None,
            )  # fmt: skip
        # Cached results were made with the old endpoint or threshold (or none).
        await self._knowledge_changed()
        await request_indexing(self.session, self.business_id)
        return await self.status()

    async def remove(self) -> None:
        """Search becomes lexical only; the vectors go with the endpoint."""
        config = await self._config()
        await self.vectors.delete_all()
        await self.configs.delete(config)
        await self._knowledge_changed()

    async def retry(self) -> EmbeddingsStatusOut:
        """Embed the chunks still without a vector now, not after the failure's wait."""
        config = await self._config()
        await self.configs.update(
            config, status=EmbeddingStatus.IDLE.value, last_error=None, failed_at=None
        )
        await request_indexing(self.session, self.business_id)
        return await self.status()

    async def _config(self) -> EmbeddingConfig:
        config = await self.configs.current()
        if config is None:
            raise NotFound("No embeddings endpoint is configured", code="embeddings_not_configured")
        return config

    async def _knowledge_changed(self) -> None:
        # Cached searches, vector matrices (per knowledge version) and the cached endpoint.
        await self.business.bump_knowledge_version()
        self._forget_endpoint()

    def _forget_endpoint(self) -> None:
        if self.cache is not None:
            self.cache.delete_after_commit(
                self.session, CONFIG, tenant=self.business_id, key=CONFIG_KEY
            )


async def request_indexing(session: AsyncSession, business_id: uuid.UUID) -> bool:
    """Enqueue the embedding of the business's chunks (in the caller's transaction) unless it
    has no endpoint or such a job is already waiting or running; whether one was enqueued."""
    if await EmbeddingConfigRepository(session, business_id).current() is None:
        return False
    if await indexing_job_active(session, business_id, EMBED_JOB):
        return False
    await enqueue(session, EMBED_JOB, {}, business_id=business_id)
    return True
