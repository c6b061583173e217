"""What a checkpoint writes for one finished page: its row's changes and its counters."""

from __future__ import annotations

import uuid
from datetime import datetime

from aicaller.database.models.documentation import PageState
from aicaller.knowledge.sources.crawl import PageResult


def page_changes(
    result: PageResult, now: datetime, document_id: uuid.UUID | None
) -> dict[str, object]:
    """The page row's new columns (``document_id``: the document its new text was stored in)."""
    changes: dict[str, object] = {
        "state": result.state.value, "error_code": result.error_code,
        "error_message": result.error_message,
    }  # fmt: skip
    if result.requested:
        changes.update(fetched_at=now, http_status=result.http_status)
    if result.fetched:
        changes.update(etag=result.etag, last_modified=result.last_modified)
    if result.links is not None:
        changes["links"] = result.links
    if result.content_hash is not None:
        changes["content_hash"] = result.content_hash
    if document_id is not None:
        changes["document_id"] = document_id
    return changes


def counter_bumps(result: PageResult) -> list[str]:
    """The sync counters this page adds one to."""
    hits = {
        "fetched": result.fetched, "unchanged": result.unchanged,
        "indexed": result.text is not None, "skipped": result.state is PageState.SKIPPED,
        "failed": result.state is PageState.FAILED,
    }  # fmt: skip
    return [name for name, hit in hits.items() if hit]
