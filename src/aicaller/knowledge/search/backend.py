"""What a search backend returns and the protocol both backends (``sqlite.py``,
``postgres.py``) implement."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

Q = TypeVar("Q")


@dataclass(frozen=True, slots=True)
class SearchHit:
    chunk_id: uuid.UUID
    document_id: uuid.UUID
    title: str
    url: str | None
    heading_path: str
    text: str
    snippet: str
    score: float
    chunk_count: int = 0  # the page's chunks, its length (``pages.py``); 0 when unknown


def hit_from_row(row: Any) -> SearchHit:
    """A hit from a backend's result row (id, document_id, title, url, chunk_count,
    heading_path, text, snippet, score); SQLite returns ids as hex strings, PostgreSQL as UUIDs
    (kept as they are: a search reads two dozen rows, and each UUID made again from its string
    cost more than the row)."""
    return SearchHit(
        chunk_id=_uuid(row.id),
        document_id=_uuid(row.document_id),
        title=row.title,
        url=row.url,
        heading_path=row.heading_path,
        text=row.text,
        snippet=row.snippet,
        score=float(row.score),
        chunk_count=row.chunk_count,
    )


def _uuid(value: uuid.UUID | str) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(value)


class SearchBackend(Protocol):
    async def search(
        self,
        session: AsyncSession,
        business_id: uuid.UUID,
        terms: list[str],
        limit: int,
        expansions: list[str] | None = None,
    ) -> list[SearchHit]:
        """The best ``limit`` chunks of the business matching any of ``terms`` or of
        ``expansions`` (words searched beside them, never required: ``synonyms.py``)."""
        ...


def both_tiers_at_once(
    tiers: list[Q],
    one: Callable[[Q], Awaitable[list[SearchHit]]],
    both: Callable[[Q, Q], Awaitable[tuple[list[SearchHit], list[SearchHit]]]],
) -> Callable[[Q], Awaitable[list[SearchHit]]]:
    """A runner for ``plan.tiered_search`` over ``tiers`` (``plan.query_tiers``) that runs an
    every-term tier and the any-term tier after it in one statement (``both``), each
    backend's statement running the second only when the first found fewer than the limit;
    ``plan.tiered_search`` asks for the second under the same condition and gets what that
    statement found. Any other query runs alone (``one``)."""
    fetched: list[list[SearchHit]] = []

    async def run(query: Q) -> list[SearchHit]:
        if fetched and query == tiers[1]:
            return fetched.pop()
        if len(tiers) != 2 or query != tiers[0]:  # noqa: PLR2004 - every term, then any term
            return await one(query)
        first, second = await both(tiers[0], tiers[1])
        fetched.append(second)
        return first

    return run
