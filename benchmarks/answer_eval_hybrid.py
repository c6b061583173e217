"""Hybrid retrieval in the answer evaluation: the product's own embedding job and search,
against a real OpenAI-compatible ``/embeddings`` endpoint (``embeddings_server.py``).

``prepare`` sets the business's endpoint through the product's service (which checks it with
one request), then runs the product's embedding job to the end; ``hybrid`` makes the search
service of this process fuse the semantic results in (the runtime the app's lifespan installs),
``lexical`` takes it out again, so both columns come from the same database in the same run.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from aicaller.config import Settings
from aicaller.core.encryption import SecretBox
from aicaller.core.http import SafeHttpClient
from aicaller.database.session import Database
from aicaller.knowledge.embeddings import runtime
from aicaller.knowledge.embeddings.schemas import EmbeddingsConfigIn
from aicaller.knowledge.embeddings.service import EMBED_JOB, EmbeddingService
from aicaller.knowledge.embeddings.tasks import embed_chunks
from aicaller.worker import JobContext, JobResources


@dataclass
class Hybrid:
    http: SafeHttpClient
    box: SecretBox
    settings: Settings
    chunks: int = 0
    seconds: float = 0.0

    @contextmanager
    def active(self) -> Iterator[None]:
        installed = runtime.install(self.http, self.box, self.settings)
        try:
            yield
        finally:
            runtime.uninstall(installed)

    async def close(self) -> None:
        await self.http.aclose()


def settings_for(data_dir: str) -> Settings:
    return Settings.model_validate(
        {"environment": "test", "data_dir": data_dir, "log_level": "WARNING",
         "allow_private_urls": True, "http_timeout_seconds": 120.0,
         "embeddings_query_timeout_seconds": 30.0}
    )  # fmt: skip


async def prepare(
    database: Database, business_id: uuid.UUID, base_url: str, data_dir: str
) -> Hybrid:
    """The business's chunks embedded by the product's job, ready to search."""
    settings = settings_for(data_dir)
    hybrid = Hybrid(SafeHttpClient.from_settings(settings), SecretBox("bench-key"), settings)
    async with database.transaction() as session:
        await EmbeddingService(session, business_id).configure(
            EmbeddingsConfigIn(base_url=base_url, model="all-MiniLM-L6-v2"),
            http=hybrid.http,
            secret_box=hybrid.box,
        )
    context = JobContext(
        database=database, settings=settings, job_id=uuid.uuid4(), name=EMBED_JOB, attempt=1,
        max_attempts=1, business_id=business_id, worker_id="bench",
        resources=JobResources(http=hybrid.http),
    )  # fmt: skip
    started = time.perf_counter()
    result = await embed_chunks(context, {})
    hybrid.seconds = time.perf_counter() - started
    async with database.transaction() as session:
        hybrid.chunks = (await EmbeddingService(session, business_id).status()).embedded
    print(f"  embedded {result['embedded']} chunks in {hybrid.seconds:.0f} s", flush=True)
    return hybrid
