"""SQLite FTS5 search (porter + unicode61) over ``chunks_fts`` (migrations 0005, 0007, 0009).

Each business's chunks sit in their own rowid range of the index (``chunks_fts_tenants``), so
the tenant filter is a rowid range inside the full-text query: FTS5 seeks to it, and bm25 does
not read a tenant token's posting list to weigh it. The best rows are chosen inside the index
alone (bm25, then LIMIT); only those few are joined to their chunks and documents. CROSS JOINs
fix the whole order (the best rows, their index row by rowid, their chunk, its document): left
to itself, SQLite's planner ran the MATCH a second time over every matching row, or walked the
business's chunks first and scanned the index for each (hundreds of times slower). The outer
query has no MATCH: with the order fixed, FTS5 reads each best row by its rowid, where a MATCH
made it seek every term's posting list to that rowid again (a millisecond a tier of 24 rows).
A join added to these statements must be a CROSS JOIN too (ADR 0032).

bm25 walks the whole posting list of each query term for its IDF and scores every match, so a
question of several very common words costs in proportion to how common they are; its
every-term query goes to ``chunks_fts_lead`` first (``plan.lead_first``): each chunk's title,
headings and first 500 characters under the same rowid, whose lists are a fraction as long.
(The measurements behind both choices are in docs/benchmarks.md, "Retrieval quality".)
"""

from __future__ import annotations

import uuid

from sqlalchemy import TextClause, text
from sqlalchemy.ext.asyncio import AsyncSession

from aicaller.knowledge.search.backend import (
    COUNTS_TTL,
    MEMO_SIZE,
    SearchHit,
    TermMemo,
    both_tiers_at_once,
    hit_from_row,
)
from aicaller.knowledge.search.plan import BROAD_BUDGET, Query, Run, lead_first, query_tiers

PARTITION_BITS = 40  # migration 0007: business partition p owns rowids [p << 40, (p + 1) << 40)
# bm25 column weights: title, headings, body (chunks_fts also has ref, the chunk id: none).
_SELECT = """
    WITH best AS (
        SELECT rowid AS fts_rowid, -bm25({index}, {weights}) AS score
        FROM {index}
        WHERE {index} MATCH :match
          AND rowid BETWEEN (SELECT partition << {bits} FROM chunks_fts_tenants
                             WHERE business_id = :business_id)
                        AND (SELECT ((partition + 1) << {bits}) - 1
                             FROM chunks_fts_tenants WHERE business_id = :business_id)
        ORDER BY score DESC
        LIMIT :limit
    )
    SELECT c.id, c.document_id, c.title, d.url, d.chunk_count, c.heading_path, c.text,
           '' AS snippet,
           best.score
    FROM best
    CROSS JOIN chunks_fts ON chunks_fts.rowid = best.fts_rowid
    CROSS JOIN chunks AS c ON c.id = substr(chunks_fts.ref, 2, 32)
    CROSS JOIN documents AS d ON d.id = c.document_id
    WHERE c.business_id = :business_id
    ORDER BY best.score DESC
"""
_QUERY = text(_SELECT.format(index="chunks_fts", weights="0.0, 8.0, 4.0, 1.0", bits=PARTITION_BITS))
_LEAD_QUERY = text(
    _SELECT.format(index="chunks_fts_lead", weights="8.0, 4.0, 1.0", bits=PARTITION_BITS)
)
# Both tiers of ``plan.query_tiers`` in one statement: the any-term query runs only when the
# every-term one found fewer than :limit chunks, as ``plan.tiered_search`` would have run it.
# The condition is its LIMIT (0 otherwise), which SQLite checks before opening the index: as
# a WHERE term it would be checked row by row (a subquery is never hoisted out of the loop),
# walking the whole posting list of a common word for nothing.
_BEST = """
        SELECT rowid AS fts_rowid, -bm25(chunks_fts, 0.0, 8.0, 4.0, 1.0) AS score
        FROM chunks_fts
        WHERE chunks_fts MATCH {match}
          AND rowid BETWEEN (SELECT partition << {bits} FROM chunks_fts_tenants
                             WHERE business_id = :business_id)
                        AND (SELECT ((partition + 1) << {bits}) - 1
                             FROM chunks_fts_tenants WHERE business_id = :business_id){unseen}
        ORDER BY score DESC
        LIMIT {limit}
"""
_BITS = PARTITION_BITS
# The any-term rows are only those the every-term query did not find, as many as it left to
# find: ``plan.tiered_search`` would have dropped the others (fewer rows to join and to read).
_ONLY_IF_FEW = "max(:limit - (SELECT count(*) FROM every), 0)"
_UNSEEN = "\n          AND rowid NOT IN (SELECT fts_rowid FROM every)"
_JOINED = """
    SELECT c.id, c.document_id, c.title, d.url, d.chunk_count, c.heading_path, c.text,
           '' AS snippet,
           best.score, {tier} AS tier
    FROM {best} AS best
    CROSS JOIN chunks_fts ON chunks_fts.rowid = best.fts_rowid
    CROSS JOIN chunks AS c ON c.id = substr(chunks_fts.ref, 2, 32)
    CROSS JOIN documents AS d ON d.id = c.document_id
    WHERE c.business_id = :business_id
"""
_TWO_TIERS = text(
    f"""
    WITH every AS MATERIALIZED ({
        _BEST.format(match=":match", bits=_BITS, limit=":limit", unseen="")
    }),
    broad AS ({_BEST.format(match=":broad", bits=_BITS, limit=_ONLY_IF_FEW, unseen=_UNSEEN)})
    SELECT * FROM ({_JOINED.format(tier=0, best="every")}
                   UNION ALL {_JOINED.format(tier=1, best="broad")})
    ORDER BY tier, score DESC
    """  # noqa: S608 - constants only
)


def match_expression(terms: list[str], *, every: bool = False) -> str:
    """``"a" OR "b"`` (``every``: AND); terms are letters and digits, so always valid."""
    return (" AND " if every else " OR ").join(f'"{term}"' for term in terms)


async def chunk_counts(session: AsyncSession, terms: list[str]) -> list[int | None]:
    """How many chunks contain each term, counted up to just past ``BROAD_BUDGET``.

    Counted in the index with a LIMIT, so a common word costs no more than a rare one (the
    fts5vocab table would walk the word's whole posting list). Across all businesses, as
    bm25 weighs words: the index's posting lists, which are what a query walks, are shared.
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


COUNTS = TermMemo[int](COUNTS_TTL, MEMO_SIZE)
"""The counts of the worker's recent terms (``TermMemo``)."""


async def known_counts(
    session: AsyncSession, terms: list[str], business_id: uuid.UUID, version: int | None
) -> list[int | None]:
    """``chunk_counts``, remembered under the business's knowledge ``version`` (None: the
    caller has none, so all are counted): only the terms not seen lately are counted."""
    if version is None:
        return await chunk_counts(session, terms)
    known: list[int | None] = [COUNTS.get(business_id, version, term) for term in terms]
    missing = [term for term, count in zip(terms, known, strict=True) if count is None]
    if not missing:
        return known
    fresh = dict(zip(missing, await chunk_counts(session, missing), strict=True))
    for term, count in fresh.items():
        if count is not None:
            COUNTS.put(business_id, version, term, count)
    return [
        fresh[term] if count is None else count for term, count in zip(terms, known, strict=True)
    ]


class SqliteSearch:
    async def search(
        self,
        session: AsyncSession,
        business_id: uuid.UUID,
        terms: list[str],
        limit: int,
        expansions: list[str] | None = None,
        version: int | None = None,
    ) -> list[SearchHit]:
        if not terms:
            return []
        searched = terms + [word for word in expansions or () if word not in terms]
        counts = await known_counts(session, searched, business_id, version)
        tiers = query_tiers(searched, counts, len(terms))
        base = {"business_id": business_id.hex, "limit": limit}

        def runner(statement: TextClause) -> Run:
            async def run(query: Query) -> list[SearchHit]:
                match = match_expression(query.terms, every=query.every)
                params = {"match": match, **base}
                return [hit_from_row(row) for row in await session.execute(statement, params)]

            return run

        async def both(every: Query, broad: Query) -> tuple[list[SearchHit], list[SearchHit]]:
            params = {
                "match": match_expression(every.terms, every=True),
                "broad": match_expression(broad.terms),
                **base,
            }
            rows = (await session.execute(_TWO_TIERS, params)).all()
            hits = [(row[9], hit_from_row(row)) for row in rows]  # its tier
            return [hit for tier, hit in hits if not tier], [hit for tier, hit in hits if tier]

        full = both_tiers_at_once(tiers, runner(_QUERY), both)
        return await lead_first(
            runner(_LEAD_QUERY), full, searched, counts, limit, required=len(terms)
        )
