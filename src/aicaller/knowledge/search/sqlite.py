"""SQLite FTS5 search (porter + unicode61) over ``chunks_fts``, created by migration 0005."""

from __future__ import annotations

import uuid

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from aicaller.knowledge.search import SearchHit, normalise

# bm25 column weights: tenant, ref (filters, no weight), title, headings, body.
_QUERY = text(
    """
    SELECT c.id, c.document_id, c.title, d.url, c.heading_path, c.text,
           snippet(chunks_fts, 4, '**', '**', '…', 24) AS snippet,
           -bm25(chunks_fts, 0.0, 0.0, 8.0, 4.0, 1.0) AS score
    FROM chunks_fts
    JOIN chunks AS c ON c.id = substr(chunks_fts.ref, 2, 32)
    JOIN documents AS d ON d.id = c.document_id
    WHERE chunks_fts MATCH :match
    ORDER BY score DESC
    LIMIT :limit
    """
)


def match_expression(business_id: uuid.UUID, terms: list[str]) -> str:
    """``tenant:"t<hex>0" AND ("a" OR "b")``; terms are letters and digits only."""
    alternatives = " OR ".join(f'"{term}"' for term in terms)
    return f'tenant:"t{business_id.hex}0" AND ({alternatives})'


class SqliteSearch:
    async def search(
        self, session: AsyncSession, business_id: uuid.UUID, terms: list[str], limit: int
    ) -> list[SearchHit]:
        if not terms:
            return []
        params = {"match": match_expression(business_id, terms), "limit": limit}
        rows = (await session.execute(_QUERY, params)).all()
        scores = normalise([float(row.score) for row in rows])
        return [
            SearchHit(
                chunk_id=uuid.UUID(row.id),
                document_id=uuid.UUID(row.document_id),
                title=row.title,
                url=row.url,
                heading_path=row.heading_path,
                text=row.text,
                snippet=row.snippet,
                score=score,
            )
            for row, score in zip(rows, scores, strict=True)
        ]
