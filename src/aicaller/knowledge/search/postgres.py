"""PostgreSQL search: the weighted ``search_vector`` (title A, headings B, body C) with its GIN
index (snippets are made for the returned results only: ``snippets.py``).

``ts_rank`` knows nothing of how rare a word is, so a chunk repeating "file" outranked one
naming the rare word the caller asked about. Each term is ranked on its own, saturated
(normalisation 32: rank / (rank + 1), so no word wins by repetition alone) and weighted by its
BM25 inverse document frequency from the lexeme statistics, which put the right chunks first
far more often on the retrieval benchmark (docs/benchmarks.md, "Retrieval quality").
"""

from __future__ import annotations

import math
import time
import uuid
from dataclasses import dataclass

import snowballstemmer
from sqlalchemy import TextClause, text
from sqlalchemy.ext.asyncio import AsyncSession

from aicaller.knowledge.search.backend import SearchHit, hit_from_row
from aicaller.knowledge.search.plan import Query, Run, lead_first

# Two stages: plain ts_rank (one read of each candidate's vector) picks a pool of 100, and only
# those get the per-term IDF-weighted rank (a read per term), whose cost grows with the number
# of candidates times the number of terms. The pool ranks no worse than ranking every candidate.
RERANK_POOL = 100
_SELECT = """
    WITH q AS (SELECT to_tsquery('english', :tsquery) AS query),
    parts AS MATERIALIZED (  -- parsed once, not once per candidate row
        SELECT to_tsquery('english', x.term) AS part, x.weight
        FROM unnest(CAST(:terms AS text[]), CAST(:weights AS float8[])) AS x(term, weight)
    ),
    pool AS (  -- only what the rerank reads: the sort copies every candidate's row
        SELECT c.id, c.search_vector
        FROM chunks AS c, q
        WHERE c.business_id = :business_id AND c.{vector} @@ q.query
        ORDER BY ts_rank(c.{vector}, q.query, 32) DESC, c.id
        LIMIT {pool}
    ),
    best AS (
        SELECT pool.id,
               (SELECT sum(parts.weight * ts_rank(pool.search_vector, parts.part, 32))
                FROM parts) AS score
        FROM pool
        ORDER BY score DESC, pool.id
        LIMIT :limit
    )
    SELECT c.id, c.document_id, c.title, d.url, c.heading_path, c.text, '' AS snippet,
           best.score
    FROM best JOIN chunks AS c ON c.id = best.id JOIN documents AS d ON d.id = c.document_id
    ORDER BY best.score DESC, best.id
"""
_CONSTANTS = {"pool": RERANK_POOL}
_QUERY = text(_SELECT.format(vector="search_vector", **_CONSTANTS))
# The lead index (migration 0009) picks the candidates; they are reranked on their full text.
_LEAD_QUERY = text(_SELECT.format(vector="lead_vector", **_CONSTANTS))

# ANALYZE keeps the most common lexemes of a tsvector column with the fraction of rows holding
# each (the planner's own selectivity estimate for @@); a lexeme missing from that list is in
# fewer rows than the rarest listed one (the first value after the list). No row before the
# table is first analysed.
_STATISTICS = text(
    """
    SELECT s.most_common_elems::text::text[] AS lexemes, s.most_common_elem_freqs AS freqs,
           greatest(c.reltuples, 0) AS total
    FROM pg_stats AS s
    JOIN pg_namespace AS n ON n.nspname = s.schemaname
    JOIN pg_class AS c ON c.relnamespace = n.oid AND c.relname = s.tablename
    WHERE s.schemaname = current_schema() AND s.tablename = 'chunks'
      AND s.attname = 'search_vector' AND s.most_common_elems IS NOT NULL
    """
)
STATISTICS_TTL_SECONDS = 600.0
_english = snowballstemmer.stemmer("english")  # what the 'english' text search config uses


@dataclass(frozen=True, slots=True)
class LexemeCounts:
    loaded_at: float
    chunks: dict[str, int] | None  # None: never analysed
    rarest: int = 1
    total: int = 0

    def weight(self, estimate: int | None) -> float:
        """BM25's inverse document frequency of a term in ``estimate`` chunks (1 unknown)."""
        if estimate is None or self.total <= 0:
            return 1.0
        return math.log(1 + (self.total - estimate + 0.5) / (estimate + 0.5))

    def estimate(self, term: str) -> int | None:
        """About how many chunks hold ``term``; an estimate, so never 0 ("in no chunk")."""
        if self.chunks is None:
            return None
        return max(1, self.chunks.get(_english.stemWord(term), self.rarest))


# Reading the statistics is a query of its own, a noticeable part of a search's budget, and they
# change only when ANALYZE runs, so each process keeps them for a few minutes, per database. A
# plain dict: the value is per-process by nature and tiny (about 1,000 lexemes).
_memo: dict[str, LexemeCounts] = {}


def forget_statistics() -> None:
    """Drop this process's copy of the statistics (after an ANALYZE it ran itself)."""
    _memo.clear()


async def lexeme_counts(session: AsyncSession) -> LexemeCounts:
    key = session.get_bind().engine.url.render_as_string(hide_password=True)
    known = _memo.get(key)
    if known is not None and time.monotonic() - known.loaded_at < STATISTICS_TTL_SECONDS:
        return known
    row = (await session.execute(_STATISTICS)).one_or_none()
    if row is None:
        counts = LexemeCounts(time.monotonic(), None)
    else:
        listed = len(row.lexemes)
        counts = LexemeCounts(
            time.monotonic(),
            {
                lexeme: round(freq * row.total)
                for lexeme, freq in zip(row.lexemes, row.freqs[:listed], strict=True)
            },
            round(row.freqs[listed] * row.total) if len(row.freqs) > listed else 1,
            round(row.total),
        )
    _memo[key] = counts
    return counts


class PostgresSearch:
    async def search(
        self,
        session: AsyncSession,
        business_id: uuid.UUID,
        terms: list[str],
        limit: int,
        expansions: list[str] | None = None,
    ) -> list[SearchHit]:
        if not terms:
            return []
        statistics = await lexeme_counts(session)
        searched = terms + [word for word in expansions or () if word not in terms]
        counts = [statistics.estimate(term) for term in searched]
        estimates = dict(zip(searched, counts, strict=True))

        def runner(statement: TextClause) -> Run:
            async def run(query: Query) -> list[SearchHit]:
                tsquery = (" & " if query.every else " | ").join(query.terms)
                weights = [statistics.weight(estimates[term]) for term in query.terms]
                params = {
                    "tsquery": tsquery, "terms": query.terms, "weights": weights,
                    "business_id": business_id, "limit": limit,
                }  # fmt: skip
                return [hit_from_row(row) for row in await session.execute(statement, params)]

            return run

        return await lead_first(
            runner(_LEAD_QUERY), runner(_QUERY), searched, counts, limit, required=len(terms)
        )
