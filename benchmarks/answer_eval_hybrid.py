"""Hybrid retrieval in the answer evaluation: the product's own embedding job and search,
against a real OpenAI-compatible ``/embeddings`` endpoint (``embeddings_server.py``).

``prepare`` sets the business's endpoint through the product's service (which checks it with
one request), then runs the product's embedding job to the end; ``hybrid`` makes the search
service of this process fuse the semantic results in (the runtime the app's lifespan installs),
``lexical`` takes it out again, so both columns come from the same database in the same run.

The questions are embedded up front, in batches with the indexing job's patience, and handed
to each search's runtime as already known: the shared endpoint is busy embedding other sets'
chunks, and a question that waited past the search's own timeout was searched lexically and
counted as hybrid. ``fallbacks`` counts the searches that still fell back; the table shows it.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from aicaller.agent.knowledge import BusinessKnowledge
from aicaller.agent.urgency_likeness import warm_up
from aicaller.config import Settings
from aicaller.core.encryption import SecretBox
from aicaller.core.http import SafeHttpClient
from aicaller.database.session import Database
from aicaller.knowledge.embeddings import runtime
from aicaller.knowledge.embeddings.client import Endpoint, embed
from aicaller.knowledge.embeddings.schemas import EmbeddingsConfigIn
from aicaller.knowledge.embeddings.service import EMBED_JOB, EmbeddingService
from aicaller.knowledge.embeddings.tasks import embed_chunks
from aicaller.knowledge.embeddings.vectors import Matrix, unit
from aicaller.worker import JobContext, JobResources

MODEL = "all-MiniLM-L6-v2"
QUESTION_BATCH = 32


@dataclass
class Hybrid:
    http: SafeHttpClient
    box: SecretBox
    settings: Settings
    base_url: str = ""
    chunks: int = 0
    seconds: float = 0.0
    questions: dict[str, Matrix] = field(default_factory=dict)
    fallbacks: int = 0

    async def embed_questions(self, texts: list[str]) -> None:
        endpoint = Endpoint(self.base_url, MODEL)
        for start in range(0, len(texts), QUESTION_BATCH):
            batch = texts[start : start + QUESTION_BATCH]
            vectors = await embed(self.http, endpoint, batch, retry=True)
            self.questions.update(zip(batch, (unit(v) for v in vectors), strict=True))

    @contextmanager
    def active(self) -> Iterator[None]:
        installed = runtime.install(self.http, self.box, self.settings)
        for text, vector in self.questions.items():
            installed.remember(self.base_url, MODEL, text, vector)
        try:
            yield
        finally:
            self.fallbacks += installed.is_down(self.base_url)
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
    http = SafeHttpClient.from_settings(settings)
    hybrid = Hybrid(http, SecretBox("bench-key"), settings, base_url)
    async with database.transaction() as session:
        await EmbeddingService(session, business_id).configure(
            EmbeddingsConfigIn(base_url=base_url, model=MODEL),
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
    # The urgency examples kept before the first question, as in a process already serving
    # calls (a call never waits for them; until kept, the rules alone judge).
    with hybrid.active():
        async with database.transaction() as session:
            await warm_up(BusinessKnowledge(session, business_id))
    print(f"  embedded {result['embedded']} chunks in {hybrid.seconds:.0f} s", flush=True)
    return hybrid
