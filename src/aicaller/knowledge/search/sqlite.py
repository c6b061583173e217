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
every-term query goes to ``chunks_fts_lead`` first (``plan.planned_search``): each chunk's title,
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
    Staged,
    TermMemo,
    hit_from_row,
    staged,
)
from aicaller.knowledge.search.plan import BROAD_BUDGET, Query, planned_search

PARTITION_BITS = 40  # migration 0007: business partition p owns rowids [p << 40, (p + 1) << 40)
# The tiers of ``plan.planned_search`` in one statement (``plan.Together``): a query runs only
# when the ones before it found fewer than :limit chunks, as a statement of its own would have
# run. The condition is its LIMIT (0 otherwise), which SQLite checks before opening the index:
# as a WHERE term it would be checked row by row (a subquery is never hoisted out of the loop),
# walking the whole posting list of a common word for nothing. The any-term rows are only those
# the every-term query did not find, as many as it left to find.
_BEST = """
        SELECT rowid AS fts_rowid, -bm25({index}, {weights}) AS score
        FROM {index}
        WHERE {index} MATCH :{match}
          AND rowid BETWEEN (SELECT partition << {bits} FROM chunks_fts_tenants
                             WHERE business_id = :business_id)
                        AND (SELECT ((partition + 1) << {bits}) - 1
                             FROM chunks_fts_tenants WHERE business_id = :business_id){unseen}
        ORDER BY score DESC
        LIMIT {limit}
"""
_JOINED = """
    SELECT c.id, c.document_id, c.title, d.url, d.chunk_count, c.heading_path, c.text,
           '' AS snippet,
           best.score, {tier} AS tier, d.description
    FROM {best} AS best
    CROSS JOIN chunks_fts ON chunks_fts.rowid = best.fts_rowid
    CROSS JOIN chunks AS c ON c.id = substr(chunks_fts.ref, 2, 32)
    CROSS JOIN documents AS d ON d.id = c.document_id
    WHERE c.business_id = :business_id
"""
_FULL, _LEAD = ("chunks_fts", "0.0, 8.0, 4.0, 1.0"), ("chunks_fts_lead", "8.0, 4.0, 1.0")
LEAD_TIER = -1
"""The tier of the lead index's rows."""


def _best(index: tuple[str, str], match: str, limit: str, unseen: str = "") -> str:
    name, weights = index
    return _BEST.format(
        index=name, weights=weights, match=match, bits=PARTITION_BITS, limit=limit, unseen=unseen
    )


def _together(lead: bool) -> TextClause:
    """The every-term (``:match``) and any-term (``:broad``) queries on the full index, after
    the every-term one on the lead index (``:lead``) when ``lead``."""
    few = "(SELECT count(*) FROM lead) < :limit" if lead else "1"
    every_limit = f"CASE WHEN {few} THEN :limit ELSE 0 END"
    left = f"CASE WHEN {few} THEN max(:limit - (SELECT count(*) FROM every), 0) ELSE 0 END"  # noqa: S608 - constants only
    ctes = [
        f"every AS MATERIALIZED ({_best(_FULL, 'match', every_limit)})",
        f"broad AS ({_best(_FULL, 'broad', left, _UNSEEN)})",
    ]
    rows = [_JOINED.format(tier=0, best="every"), _JOINED.format(tier=1, best="broad")]
    if lead:
        ctes.insert(0, f"lead AS MATERIALIZED ({_best(_LEAD, 'lead', ':limit')})")
        # Its rows only when they are the answer (``plan.planned_search``).
        enough = "\n      AND (SELECT count(*) FROM lead) >= :limit"
        rows.insert(0, _JOINED.format(tier=LEAD_TIER, best="lead") + enough)
    union = " UNION ALL ".join(rows)
    return text(f"WITH {', '.join(ctes)} SELECT * FROM ({union}) ORDER BY tier, score DESC")  # noqa: S608 - constants only


_UNSEEN = "\n          AND rowid NOT IN (SELECT fts_rowid FROM every)"
_TWO_TIERS, _THREE_TIERS = _together(lead=False), _together(lead=True)
# The any-term query alone. bm25 column weights: title, headings, body (chunks_fts also has
# ref, the chunk id: none).
_QUERY = text(
    f"WITH best AS ({_best(_FULL, 'match', ':limit')}) {_JOINED.format(tier=0, best='best')}"
    " ORDER BY best.score DESC"
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
        base = {"business_id": business_id.hex, "limit": limit}

        async def one(query: Query) -> list[SearchHit]:
            params = {"match": match_expression(query.terms, every=query.every), **base}
            return [hit_from_row(row) for row in await session.execute(_QUERY, params)]

        async def together(lead: Query | None, every: Query, broad: Query) -> Staged:
            params = {
                "match": match_expression(every.terms, every=True),
                "broad": match_expression(broad.terms),
                **base,
            }
            if lead is not None:
                params["lead"] = match_expression(lead.terms, every=True)
            statement = _TWO_TIERS if lead is None else _THREE_TIERS
            return staged(await session.execute(statement, params))

        return await planned_search(one, together, searched, counts, limit, len(terms))
