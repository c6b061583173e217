"""How many of a business's chunks hold each word of a question, on PostgreSQL, and the weight
that gives the word: BM25's inverse document frequency.

``ts_rank`` knows nothing of how rare a word is, so a chunk repeating "commit" outranked one
naming the rare word the caller asked about. The counts come from ``search_lexemes`` (migration
0022), which triggers on ``chunks`` keep exact and per business: the planner's statistics
(``pg_stats``) that were used before are shared by every business, refreshed only by ANALYZE
and list only the thousand most common lexemes, so every rarer word looked equally rare.
"""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from aicaller.knowledge.search.backend import COUNTS_TTL, MEMO_SIZE, TermMemo

# Each term as the 'english' configuration stems it (a term it drops as a stopword has no
# lexeme: no chunk holds it); the row whose lexeme is '' counts the business's chunks, ' ' sums
# their lengths (in distinct lexemes).
_COUNTS = text(
    """
    SELECT coalesce(s.chunks, 0) AS chunks, coalesce(s.lexeme, '') AS lexeme,
           (SELECT t.chunks FROM search_lexemes AS t
            WHERE t.business_id = :business_id AND t.lexeme = '') AS total,
           (SELECT t.chunks FROM search_lexemes AS t
            WHERE t.business_id = :business_id AND t.lexeme = ' ') AS lengths
    FROM unnest(CAST(:terms AS text[])) WITH ORDINALITY AS q(term, position)
    LEFT JOIN search_lexemes AS s
      ON s.business_id = :business_id
     AND s.lexeme = (tsvector_to_array(to_tsvector('english', q.term)))[1]
    ORDER BY q.position
    """
)


@dataclass(frozen=True, slots=True)
class LexemeCounts:
    total: int
    """The business's chunks."""
    chunks: list[int]
    """How many of them hold each term, in the order asked."""
    lexemes: list[str]
    """Each term as the index holds it ('' when no chunk does)."""
    average_length: float
    """Distinct lexemes in a chunk of the business, on average (BM25's length norm)."""

    def weight(self, count: int) -> float:
        """BM25's inverse document frequency of a term held by ``count`` chunks."""
        return math.log(1 + (self.total - count + 0.5) / (count + 0.5))


COUNTS = TermMemo[tuple[int, str]](COUNTS_TTL, MEMO_SIZE)
"""Per term, the chunks holding it and its lexeme; under '' the business's chunks and under ' '
their summed lengths, as ``search_lexemes`` keeps them (terms are never blank)."""
_TOTALS = ("", " ")


async def lexeme_counts(
    session: AsyncSession,
    business_id: uuid.UUID,
    terms: list[str],
    version: int | None = None,
) -> LexemeCounts:
    """The counts of ``terms``, remembered under the business's knowledge ``version`` (exact:
    the table changes only with the chunks, and a change of the chunks bumps the version)."""
    if version is not None:
        known = [COUNTS.get(business_id, version, key) for key in (*_TOTALS, *terms)]
        if all(entry is not None for entry in known):
            return _counts([entry for entry in known if entry is not None])
    rows = (await session.execute(_COUNTS, {"terms": terms, "business_id": business_id})).all()
    total = int(rows[0].total or 0) if rows else 0
    lengths = int(rows[0].lengths or 0) if rows else 0
    entries = [(total, ""), (lengths, " "), *((int(row.chunks), row.lexeme) for row in rows)]
    if version is not None and rows:
        for key, entry in zip((*_TOTALS, *terms), entries, strict=True):
            COUNTS.put(business_id, version, key, entry)
    return _counts(entries)


def _counts(entries: list[tuple[int, str]]) -> LexemeCounts:
    """The counts from the totals' entries and the terms' ones after them."""
    (total, _), (lengths, _), *terms = entries
    return LexemeCounts(
        total,
        [chunks for chunks, _ in terms],
        [lexeme for _, lexeme in terms],
        lengths / total if total else 1.0,
    )
