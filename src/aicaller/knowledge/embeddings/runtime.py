"""What semantic search needs in each process: the HTTP client, the secret box, the vector
matrices and the questions' vectors, and which endpoints are failing.

One per app, installed by the app's lifespan (``main.py``) and read by the search service,
which is built in many places (routes, the agent, the console) that need not know about it; a
process without one (a bare worker, a script) searches lexically. The app binds its runtime to
every request, socket and job it runs (``bind``), so a process running several apps (the test
suite runs one per database) searches each with its own; what runs outside any app (a script,
a benchmark) gets the last one installed.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from aicaller.config import Settings
from aicaller.core.encryption import SecretBox
from aicaller.core.http import SafeHttpClient
from aicaller.core.logging import get_logger
from aicaller.knowledge.embeddings.vectors import Matrix, MatrixCache, VectorIndex

QUESTIONS_KEPT = 4096
"""Question vectors kept per process: a phone agent hears the same questions again."""
logger = get_logger("aicaller.knowledge.embeddings")


@dataclass
class EmbeddingRuntime:
    http: SafeHttpClient
    secret_box: SecretBox
    settings: Settings
    matrices: MatrixCache = field(init=False)
    _questions: OrderedDict[tuple[str, str, str], Matrix] = field(default_factory=OrderedDict)
    _down_until: dict[str, float] = field(default_factory=dict)
    _loading: dict[uuid.UUID, asyncio.Task[None]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.matrices = MatrixCache(self.settings.embeddings_cache_mb * 1024 * 1024)

    def question(self, url: str, model: str, text: str) -> Matrix | None:
        vector = self._questions.get((url, model, text))
        if vector is not None:
            self._questions.move_to_end((url, model, text))
        return vector

    def remember(self, url: str, model: str, text: str, vector: Matrix) -> None:
        self._questions[(url, model, text)] = vector
        while len(self._questions) > QUESTIONS_KEPT:
            self._questions.popitem(last=False)

    def is_down(self, url: str) -> bool:
        return time.monotonic() < self._down_until.get(url, 0.0)

    def mark_down(self, url: str, reason: str) -> None:
        """Stop asking ``url`` for a while; logged once per outage, not per search."""
        if url not in self._down_until:
            logger.warning("embeddings_unavailable_searching_lexically", url=url, error=reason)
        self._down_until[url] = time.monotonic() + self.settings.embeddings_down_seconds

    def mark_up(self, url: str) -> None:
        if self._down_until.pop(url, None) is not None:
            logger.info("embeddings_available_again", url=url)

    def reload_later(
        self, business_id: uuid.UUID, load: Callable[[], Awaitable[VectorIndex]]
    ) -> None:
        """Load the business's matrix in the background (once at a time per business)."""
        if business_id in self._loading:
            return
        task = asyncio.get_running_loop().create_task(self._reload(business_id, load))
        self._loading[business_id] = task

    async def _reload(
        self, business_id: uuid.UUID, load: Callable[[], Awaitable[VectorIndex]]
    ) -> None:
        try:
            self.matrices.put(business_id, await load())
        except Exception as exc:  # the stale matrix serves on; the next search tries again
            logger.warning(
                "embeddings_matrix_load_failed", business_id=str(business_id), error=repr(exc)
            )
        finally:
            self._loading.pop(business_id, None)

    async def settle(self) -> None:
        """Wait for the background loads under way (tests; shutdown cancels them instead)."""
        while self._loading:
            await asyncio.gather(*self._loading.values(), return_exceptions=True)

    def close(self) -> None:
        for task in self._loading.values():
            task.cancel()


# Runtimes installed and not yet uninstalled, newest last. A process has one; a second app
# started and stopped in the same process (the CLI's, a test's) must hand the search back to
# the one still running rather than leave the process without any.
_installed: list[EmbeddingRuntime] = []


def install(http: SafeHttpClient, secret_box: SecretBox, settings: Settings) -> EmbeddingRuntime:
    runtime = EmbeddingRuntime(http, secret_box, settings)
    _installed.append(runtime)
    return runtime


def uninstall(runtime: EmbeddingRuntime) -> None:
    runtime.close()
    if runtime in _installed:
        _installed.remove(runtime)


_bound: ContextVar[EmbeddingRuntime | None] = ContextVar("embeddings_runtime", default=None)


@contextmanager
def bind(runtime: EmbeddingRuntime | None) -> Iterator[None]:
    """Searches in this context (and the tasks it starts) use ``runtime``."""
    token = _bound.set(runtime)
    try:
        yield
    finally:
        _bound.reset(token)


def use(runtime: EmbeddingRuntime) -> None:
    """Searches in the calling task's context, and the tasks it starts from now on, use
    ``runtime`` (the app's lifespan, for its job runner)."""
    _bound.set(runtime)


def current() -> EmbeddingRuntime | None:
    bound = _bound.get()
    if bound is not None and bound in _installed:  # not one whose app has since stopped
        return bound
    return _installed[-1] if _installed else None
