"""A checkpoint writes its whole batch of pages in a fixed handful of statements (a statement
or so per table), not a few per page."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI

from aicaller.core.query_monitor import count_queries
from aicaller.knowledge.sources.crawl_loop import Finished, Written
from aicaller.knowledge.sources.sync import DocumentationSync
from tests.factories import Tenant
from tests.knowledge.site import DocSite, html
from tests.knowledge.sources.test_sync import add_source, sync
from tests.knowledge.sources.test_sync_pipeline import wide_site

# Read the sync, read the batch's rows, insert documents, insert chunks, look up the new links,
# update the page rows (one executemany), insert the new links, update the sync, read the next
# queued rows: 9, whatever the batch's size.
STATEMENTS_PER_CHECKPOINT = 9  # measured: 7 for a batch of 8 pages, 9 with 40 new links


def count_checkpoints(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, int]]:
    """(pages written, statements) of every checkpoint from now on."""
    seen: list[tuple[int, int]] = []
    original = DocumentationSync._checkpoint

    async def counted(
        self: DocumentationSync,
        finished: list[Finished],
        read: int,
        *,
        seeds: dict[str, int] | None = None,
    ) -> Written:
        with count_queries() as counter:
            written = await original(self, finished, read, seeds=seeds)
        seen.append((len(finished), counter.count))
        return written

    monkeypatch.setattr(DocumentationSync, "_checkpoint", counted)
    return seen


async def test_a_checkpoint_writes_its_batch_in_a_fixed_number_of_statements(
    app: FastAPI,
    client: httpx.AsyncClient,
    tenant: Tenant,
    site: DocSite,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    paths = wide_site(site, 40)
    source = await add_source(client, tenant, site.url("/"), concurrency=4)
    checkpoints = count_checkpoints(monkeypatch)
    result = await sync(app, client, tenant, source["id"])
    assert (result["status"], result["indexed"]) == ("completed", len(paths))
    written = [(pages, statements) for pages, statements in checkpoints if pages]
    assert sum(pages for pages, _ in written) == len(paths)
    assert max(pages for pages, _ in written) == 8  # full batches: 2 x the concurrency
    assert all(statements <= STATEMENTS_PER_CHECKPOINT for _, statements in written), written


async def test_a_resync_replaces_changed_pages_in_a_fixed_number_of_statements(
    app: FastAPI,
    client: httpx.AsyncClient,
    tenant: Tenant,
    site: DocSite,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    paths = wide_site(site, 20)
    source = await add_source(client, tenant, site.url("/"), concurrency=4)
    await sync(app, client, tenant, source["id"])
    for path in paths[1:]:
        site.page(path, html(f"Page {path}", f"The new text of {path}."))
    checkpoints = count_checkpoints(monkeypatch)
    result = await sync(app, client, tenant, source["id"], force=True)
    assert (result["status"], result["indexed"]) == ("completed", len(paths))
    # Also: read the pages' documents, update them (one executemany), delete their old chunks.
    written = [statements for pages, statements in checkpoints if pages]
    assert all(statements <= STATEMENTS_PER_CHECKPOINT + 3 for statements in written), written
