"""Full-text search over chunks: one protocol, an SQLite FTS5 and a PostgreSQL backend.

Both take a question as a caller would say it, turn it into safe terms (so no input can raise a
query syntax error), look for chunks with every term and then for chunks with some, filter by
tenant inside the full-text query, rank title and headings above body text, and return hits
with a snippet and a score normalised to the best hit (1.0). ``backend_for(session)`` picks
the backend of the session's database.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncSession


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


def hit_from_row(row: Any) -> SearchHit:
    """A hit from a backend's result row (id, document_id, title, url, heading_path, text,
    snippet, score); SQLite returns ids as hex strings, PostgreSQL as UUIDs."""
    return SearchHit(
        chunk_id=uuid.UUID(str(row.id)),
        document_id=uuid.UUID(str(row.document_id)),
        title=row.title,
        url=row.url,
        heading_path=row.heading_path,
        text=row.text,
        snippet=row.snippet,
        score=float(row.score),
    )


class SearchBackend(Protocol):
    async def search(
        self, session: AsyncSession, business_id: uuid.UUID, terms: list[str], limit: int
    ) -> list[SearchHit]:
        """The best ``limit`` chunks of the business matching any of ``terms``."""
        ...


def backend_for(session: AsyncSession) -> SearchBackend:
    from aicaller.knowledge.search.postgres import PostgresSearch  # noqa: PLC0415
    from aicaller.knowledge.search.sqlite import SqliteSearch  # noqa: PLC0415

    if session.get_bind().dialect.name == "postgresql":
        return PostgresSearch()
    return SqliteSearch()


async def precise_then_broad(
    run: Callable[[bool], Awaitable[list[SearchHit]]], terms: list[str], limit: int
) -> list[tuple[SearchHit, bool]]:
    """Chunks containing every term first, then (if that leaves room) those containing some.

    The precise query is cheap (the index intersects posting lists) and usually answers; the
    broad one keeps recall for questions phrased unlike the documentation. Each hit comes with
    whether it matched every term.
    """
    precise = await run(True) if len(terms) > 1 else []
    if len(precise) >= limit:
        return [(hit, True) for hit in precise]
    seen = {hit.chunk_id for hit in precise}
    broad = [hit for hit in await run(False) if hit.chunk_id not in seen]
    ranked = [(hit, True) for hit in precise] + [(hit, False) for hit in broad]
    return ranked[:limit]


def normalise(ranked: list[tuple[SearchHit, bool]]) -> list[SearchHit]:
    """Scores relative to the best hit (1.0). When some hits contain every term, those score
    above 0.5 and the others at most 0.5; within each group, by raw score (higher is better)."""
    complete = [hit for hit, every in ranked if every]
    partial = [hit for hit, every in ranked if not every]
    if not complete:
        return _scaled(partial, 0.0, 1.0)
    return _scaled(complete, 0.5, 1.0) + _scaled(partial, 0.0, 0.5)


def _scaled(hits: list[SearchHit], low: float, high: float) -> list[SearchHit]:
    best = max((hit.score for hit in hits), default=0.0)
    return [
        replace(hit, score=round(low + (high - low) * (hit.score / best if best > 0 else 0), 4))
        for hit in hits
    ]
