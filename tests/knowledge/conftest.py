"""Knowledge tests crawl a site on 127.0.0.1, so the SSRF guard's address check is lifted.

The app's job runner does not run syncs here (see ``no_background_jobs`` in tests/fixtures.py):
tests drive them with ``run_sync``.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from concurrent.futures import Executor
from pathlib import Path

import pytest
from fastapi import FastAPI

from aicaller.config import Settings
from aicaller.knowledge.sources.crawl import PageProcessor, PageResult, PageSnapshot
from aicaller.knowledge.sources.sync import DocumentationSync
from tests.fixtures import REDIS_URL, flush_redis, make_settings
from tests.knowledge.site import DocSite


@pytest.fixture
async def settings(
    data_dir: Path, backend: str, database_urls: dict[str, str]
) -> AsyncIterator[Settings]:
    redis_url = REDIS_URL if backend == "postgresql" else None
    yield make_settings(
        data_dir,
        database_urls[backend],
        redis_url=redis_url,
        allow_private_urls=True,
        http_retry_base_delay_seconds=0.01,
        http_timeout_seconds=1.0,
        # Extraction in threads: the app does not start its process pool; test_sync.py runs
        # syncs through a pool of their own.
        knowledge_extract_processes=0,
    )
    if redis_url:
        await flush_redis(redis_url)


@pytest.fixture
async def site() -> AsyncIterator[DocSite]:
    async with DocSite() as server:
        yield server


async def run_sync(
    app: FastAPI, business_id: uuid.UUID, sync_id: str, processes: Executor | None = None
) -> str:
    runner = DocumentationSync(
        app.state.database,
        app.state.http,
        app.state.settings,
        business_id=business_id,
        sync_id=uuid.UUID(sync_id),
        events=app.state.events,
        processes=processes,
    )
    return await runner.run()


def crash_on(monkeypatch: pytest.MonkeyPatch, url_suffix: str) -> Callable[[], None]:
    """Make the page processor raise on the page whose URL ends with ``url_suffix``, as a
    worker dying mid-sync would; returns a function that puts the real processor back."""
    original = PageProcessor.process

    async def crashing(self: PageProcessor, page: PageSnapshot) -> PageResult:
        if page.url.endswith(url_suffix):
            raise RuntimeError("the worker died")
        return await original(self, page)

    monkeypatch.setattr(PageProcessor, "process", crashing)
    return lambda: monkeypatch.setattr(PageProcessor, "process", original)
