"""SQLite FTS5 search (porter + unicode61) over ``chunks_fts``, created by migration 0005.

The best rows are chosen inside the full-text index alone (bm25, then LIMIT); only those few
are joined to their chunks and documents and given a snippet, so the cost of a query no longer
grows with the number of chunks that merely contain a common word.
"""

from __future__ import annotations

import uuid

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from aicaller.knowledge.search import (
    SearchHit,
    hit_from_row,
    normalise,
    precise_then_broad,
)

# bm25 column weights: tenant, ref (filters, no weight), title, headings, body.
_QUERY = text(
    """
    WITH best AS (
        SELECT rowid AS fts_rowid, -bm25(chunks_fts, 0.0, 0.0, 8.0, 4.0, 1.0) AS score
        FROM chunks_fts
        WHERE chunks_fts MATCH :match
        ORDER BY score DESC
        LIMIT :limit
    )
    SELECT c.id, c.document_id, c.title, d.url, c.heading_path, c.text,
           snippet(chunks_fts, 4, '**', '**', '…', 24) AS snippet, best.score
    FROM best
    JOIN chunks_fts ON chunks_fts.rowid = best.fts_rowid
    JOIN chunks AS c ON c.id = substr(chunks_fts.ref, 2, 32)
    JOIN documents AS d ON d.id = c.document_id
    WHERE chunks_fts MATCH :match
    ORDER BY best.score DESC
    """
)


def match_expression(business_id: uuid.UUID, terms: list[str], *, every: bool = False) -> str:
    """``tenant:"t<hex>0" AND ("a" OR "b")`` (``every``: AND); terms are letters and digits."""
    joined = (" AND " if every else " OR ").join(f'"{term}"' for term in terms)
    return f'tenant:"t{business_id.hex}0" AND ({joined})'


class SqliteSearch:
    async def search(
        self, session: AsyncSession, business_id: uuid.UUID, terms: list[str], limit: int
    ) -> list[SearchHit]:
        async def run(every: bool) -> list[SearchHit]:
            params = {"match": match_expression(business_id, terms, every=every), "limit": limit}
            return [hit_from_row(row) for row in await session.execute(_QUERY, params)]

        if not terms:
            return []
        return normalise(await precise_then_broad(run, terms, limit))
