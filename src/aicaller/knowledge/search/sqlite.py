"""SQLite FTS5 search (porter + unicode61) over ``chunks_fts``, created by migration 0005.

The best rows are chosen inside the full-text index alone (bm25, then LIMIT); only those few
are joined to their chunks and documents and given a snippet, so the cost of a query no longer
grows with the number of chunks that merely contain a common word.
"""

from __future__ import annotations

import uuid

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from aicaller.knowledge.search import SearchHit, hit_from_row
from aicaller.knowledge.search.plan import BROAD_BUDGET, Query, tiered_search

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


async def chunk_counts(session: AsyncSession, terms: list[str]) -> list[int | None]:
    """How many chunks contain each term, counted up to just past ``BROAD_BUDGET``.

    Counted in the index with a LIMIT, so a common word costs no more than a rare one (the
    fts5vocab table would walk the word's whole posting list). Across all tenants: adding the
    tenant token to each count triples its cost, and the index's posting lists, which are
    what a query walks, are shared by all tenants too.
    """
    counts = ", ".join(
        f"(SELECT count(*) FROM (SELECT 1 FROM chunks_fts WHERE chunks_fts MATCH :t{index}"  # noqa: S608 - numbered placeholders only
        f" LIMIT {BROAD_BUDGET + 1}))"
        for index in range(len(terms))
    )
    row = (
        await session.execute(
            text(f"SELECT {counts}"),
            {f"t{index}": f'"{term}"' for index, term in enumerate(terms)},
        )
    ).one()
    return [int(count) for count in row]


class SqliteSearch:
    async def search(
        self, session: AsyncSession, business_id: uuid.UUID, terms: list[str], limit: int
    ) -> list[SearchHit]:
        async def run(query: Query) -> list[SearchHit]:
            match = match_expression(business_id, query.terms, every=query.every)
            params = {"match": match, "limit": limit}
            return [hit_from_row(row) for row in await session.execute(_QUERY, params)]

        if not terms:
            return []
        counts = await chunk_counts(session, terms)
        return await tiered_search(run, terms, counts, limit)
