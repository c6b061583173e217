"""Full-text search over chunks: one protocol, an SQLite FTS5 and a PostgreSQL backend.

Both take a question as a caller would say it, turn it into safe terms (so no input can raise a
query syntax error), look for chunks with every term and then for chunks with some, filter by
tenant inside the full-text query, rank title and headings above body text, and return hits
with a snippet and a score normalised to the best hit (1.0). ``backend_for(session)`` picks
the backend of the session's database.

Which queries run, in which order, and how their scores are normalised is decided in
``plan.py``, the same for both backends.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
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
