"""What a search backend returns and the protocol both backends (``sqlite.py``,
``postgres.py``) implement."""

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
