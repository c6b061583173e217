"""Full-text search over chunks: one protocol, an SQLite FTS5 and a PostgreSQL backend.

Both take a question as a caller would say it, turn it into OR-joined terms (so no input can
raise a query syntax error), filter by tenant inside the full-text query, rank title and
headings above body text, and return hits with a snippet and a score normalised to the best hit
(1.0). ``backend_for(session)`` picks the backend of the session's database.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Protocol

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


def normalise(raw_scores: list[float]) -> list[float]:
    """Scores relative to the best hit (1.0); higher raw scores are better."""
    best = max(raw_scores, default=0.0)
    return [round(score / best, 4) if best > 0 else 0.0 for score in raw_scores]
