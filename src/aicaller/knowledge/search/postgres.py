"""PostgreSQL search: the weighted ``search_vector`` (title A, headings B, body C) with its GIN
index (snippets are made for the returned results only: ``snippets.py``), ranked by BM25 as
SQLite's FTS5 ranks (``sqlite.py``: the same k1, b and column weights).

``ts_rank`` knows nothing of how rare a word is and nothing of a chunk's length, so a chunk
dense in the question's common words ("commit", "branch") outranked the one naming the rare
word the caller asked about. Two stages:

- the candidates (chunks of the business matching the tier's query) are ranked by each term's
  saturated ``ts_rank`` (normalisation 32: rank / (rank + 1)) weighted by the term's inverse
  document frequency among the business's chunks (``postgres_stats.py``), and the best
  ``POOL`` kept: one read of each candidate's vector per term, no more. A chunk holding none
  of the terms in its title or headings ranks below ``UNNAMED_RANK`` times the sum of the
  weights, so the candidates naming a term there (``name_vector``, migration 0027: a few
  hundred where thousands match) are ranked first, and when ``POOL`` of them rank above that
  bound they are the pool, the very one all candidates give; only otherwise are all the
  candidates read (ADR 0047: at 100,000 chunks, reading each one's row was most of a search);
- those get BM25 proper: each term's occurrences by field (``unnest`` of the vector: its
  positions and their weights), saturated by k1 and normalised by the chunk's length (its
  distinct lexemes, against the business's average), which reads each vector whole, so only
  the pool's. The vector is first cut down to the question's lexemes (``ts_delete`` of all
  the others): ``unnest`` builds a row with two arrays for every lexeme it is given, and a
  chunk holds dozens for the two or three the question names.

Before, the first stage was plain ``ts_rank`` of the whole query (no IDF), and the pool of a
long any-term question filled with chunks dense in common words (docs/benchmarks.md,
"Retrieval quality", and ADR 0013).
"""

from __future__ import annotations

import uuid
from functools import lru_cache

from sqlalchemy import TextClause, text
from sqlalchemy.ext.asyncio import AsyncSession

from aicaller.knowledge.search.backend import SearchHit, Staged, hit_from_row, staged
from aicaller.knowledge.search.plan import Query, planned_search
from aicaller.knowledge.search.postgres_stats import LexemeCounts, lexeme_counts

POOL = 100
"""Candidates the first stage keeps for BM25."""
K1, B = 1.2, 0.75
TITLE, HEADINGS, BODY = 8, 4, 1
"""BM25's term-frequency weight of an occurrence in each field (labels A, B and C)."""
BY_NAME_FROM, BY_NAME_TERMS = 1000, 2
"""Candidates (the terms' summed chunk counts) from which, and terms up to which, an any-term
query seeks its pool among the chunks naming a term first (``by_name``); below that many
candidates, reading them all costs little."""
UNNAMED_RANK = 1 / 6
"""Above what ``ts_rank(vector, term, 32)`` can be for a term held only in body text (label C,
weight 0.2): with its occurrences j = 1.. weighing 0.2 / j**2 each, at most 0.2 * pi**2 / 6
before the division by pi**2 / 6, so a rank r below 0.2 and r / (r + 1) below 1/6 (0.1664 at
the 256 positions a tsvector keeps). A title (A, 1.0) or heading (B, 0.4) occurrence alone
gives at least 0.608 or 0.243, 0.378 or 0.196 after normalisation."""
_TIER = """
    q{p} AS MATERIALIZED (  -- parsed once, not once per candidate row
        SELECT to_tsquery('english', :{p}tsquery) AS query,
               to_tsquery('english', :{p}named) AS named, {parts}
    ),
    named{p} AS MATERIALIZED (  -- only for an any-term query, which each of these matches
        SELECT c.id, c.search_vector, {first} AS rank
        FROM chunks AS c, q{p} AS q
        WHERE :{p}by_name AND c.business_id = :business_id AND c.name_vector @@ q.named
        ORDER BY rank DESC, c.id
        LIMIT :pool
    ),
    decided{p} AS MATERIALIZED (
        SELECT count(*) = :pool AND min(rank) > :{p}unnamed AS decided FROM named{p}
    ),
    pool{p} AS (
        SELECT id, search_vector FROM named{p} WHERE (SELECT decided FROM decided{p})
        UNION ALL
        (SELECT c.id, c.search_vector
         FROM chunks AS c, q{p} AS q
         WHERE NOT (SELECT decided FROM decided{p})
           AND c.business_id = :business_id AND c.{vector} @@ q.query
         ORDER BY {first} DESC, c.id
         LIMIT :pool)
    ),
    best{p} AS (
        SELECT pool.id, (
            SELECT coalesce(sum(t.idf * t.tf * {k1_plus_1} / (t.tf + {k1} * (
                       {one_minus_b} + {b} * length(pool.search_vector) / :average_length))), 0)
            FROM (SELECT x.idf,
                         {title} * cardinality(array_positions(u.weights, 'A'))
                         + {headings} * cardinality(array_positions(u.weights, 'B'))
                         + {body} * cardinality(array_positions(u.weights, 'C')) AS tf
                  FROM unnest(ts_delete(pool.search_vector, tsvector_to_array(
                      ts_delete(pool.search_vector, CAST(:{p}lexemes AS text[]))))) AS u
                  JOIN unnest(CAST(:{p}lexemes AS text[]), CAST(:{p}idfs AS float8[]))
                    AS x(lexeme, idf) ON x.lexeme = u.lexeme) AS t
        ) AS score
        FROM pool{p} AS pool{unseen}
        ORDER BY score DESC, pool.id
        LIMIT {limit}
    )"""
_ROWS = """
    SELECT c.id, c.document_id, c.title, d.url, d.chunk_count, c.heading_path, c.text,
           '' AS snippet,
           best.score, {tier} AS tier, d.description
    FROM best{p} AS best
    JOIN chunks AS c ON c.id = best.id JOIN documents AS d ON d.id = c.document_id"""
# The tiers of ``plan.planned_search`` in one statement (``plan.Together``): a query runs only
# when the ones before it found fewer than :limit chunks (its LIMIT is 0 otherwise, and a Limit
# node of 0 never reads what is under it). The any-term rows are only those the every-term
# query did not find, as many as it left to find.
_UNSEEN = " WHERE pool.id NOT IN (SELECT id FROM beste)"


def _tier(prefix: str, terms: int, vector: str, limit: str, unseen: str = "") -> str:
    """The CTEs ranking one tier's candidates from ``vector``'s index (``search_vector``, or
    ``lead_vector``: ``plan.planned_search``) on the full text, parameters named
    ``prefix``..."""
    parts = ", ".join(f"to_tsquery('english', :{prefix}t{i}) AS q{i}" for i in range(terms))
    first = " + ".join(
        f":{prefix}w{i} * ts_rank(c.search_vector, q.q{i}, 32)" for i in range(terms)
    )
    constants = {
        "k1": K1, "k1_plus_1": K1 + 1, "b": B, "one_minus_b": 1 - B,
        "title": TITLE, "headings": HEADINGS, "body": BODY,
    }  # fmt: skip
    return _TIER.format(
        p=prefix, parts=parts, first=first, vector=vector, limit=limit, unseen=unseen, **constants
    )


@lru_cache(maxsize=64)
def statement(terms: int) -> TextClause:
    """The any-term query alone, of ``terms`` terms (``:t0``, ``:w0``...)."""
    return text(
        f"WITH {_tier('', terms, 'search_vector', ':limit')} {_ROWS.format(p='', tier=0)}"
        " ORDER BY best.score DESC, best.id"
    )


@lru_cache(maxsize=64)
def together(lead: int, every: int, broad: int) -> TextClause:
    """The every-term query on the lead index (parameters ``:l...``, none when ``lead`` is 0),
    then the every-term (``:e...``) and the any-term (``:a...``) ones on the full index, rows
    tagged with their tier (``backend.staged``)."""
    few = "(SELECT count(*) FROM bestl) < :limit" if lead else "TRUE"
    left = f"CASE WHEN {few} THEN greatest(:limit - (SELECT count(*) FROM beste), 0) ELSE 0 END"  # noqa: S608 - constants only
    tiers = [
        _tier("e", every, "search_vector", f"CASE WHEN {few} THEN :limit ELSE 0 END"),
        _tier("a", broad, "search_vector", left, _UNSEEN),
    ]
    rows = [_ROWS.format(p="e", tier=0), _ROWS.format(p="a", tier=1)]
    if lead:
        tiers.insert(0, _tier("l", lead, "lead_vector", ":limit"))
        # Its rows only when they are the answer (``plan.planned_search``).
        enough = " WHERE (SELECT count(*) FROM bestl) >= :limit"
        rows.insert(0, _ROWS.format(p="l", tier=-1) + enough)
    return text(f"WITH {', '.join(tiers)} {' UNION ALL '.join(rows)} ORDER BY tier, score DESC, id")


def by_name(query: Query, chunks: list[int]) -> bool:
    """Whether the pool is first sought among the chunks naming a term in their title or
    headings: for an any-term query of at most ``BY_NAME_TERMS`` terms that may match
    ``BY_NAME_FROM`` chunks or more. Of more terms, the bound (a sixth of all their weights) is
    seldom beaten by chunks naming one or two of them, and reading those chunks for nothing cost
    about what the few decided saved; an every-term query rarely has ``POOL`` such chunks among
    its matches, and its index lookup of common words in titles costs more than it saves. Each
    term must be one lexeme (``UNNAMED_RANK`` holds for a lone lexeme's rank): ASCII letters and
    digits, or letters, are one token to PostgreSQL's parser, while a term such as "ab½cd" is
    the phrase 'ab' <-> 'cd', ranked otherwise."""
    return (
        not query.every
        and len(query.terms) <= BY_NAME_TERMS
        and sum(chunks) >= BY_NAME_FROM
        and all(term.isascii() or term.isalpha() for term in query.terms)
    )


def _parameters(
    query: Query, counts: LexemeCounts, terms: list[str], prefix: str = ""
) -> dict[str, object]:
    """The statement's parameters for ``query``, each term weighed by its rarity."""
    known = {term: index for index, term in enumerate(terms)}
    idfs = [counts.weight(counts.chunks[known[term]]) for term in query.terms]
    params: dict[str, object] = {
        f"{prefix}tsquery": (" & " if query.every else " | ").join(query.terms),
        f"{prefix}named": " | ".join(query.terms),
        f"{prefix}unnamed": UNNAMED_RANK * sum(max(idf, 0.0) for idf in idfs),
        f"{prefix}by_name": by_name(query, [counts.chunks[known[term]] for term in query.terms]),
        f"{prefix}lexemes": [counts.lexemes[known[term]] for term in query.terms],
        f"{prefix}idfs": idfs,
        "average_length": counts.average_length,
        "pool": POOL,
    }
    for index, (term, idf) in enumerate(zip(query.terms, idfs, strict=True)):
        params[f"{prefix}t{index}"], params[f"{prefix}w{index}"] = term, idf
    return params


class PostgresSearch:
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
        counts = await lexeme_counts(session, business_id, searched, version)

        base = {"business_id": business_id, "limit": limit}

        async def one(query: Query) -> list[SearchHit]:
            params = {**_parameters(query, counts, searched), **base}
            rows = await session.execute(statement(len(query.terms)), params)
            return [hit_from_row(row) for row in rows]

        async def tiers(lead: Query | None, every: Query, broad: Query) -> Staged:
            params = _parameters(every, counts, searched, "e")
            params.update(_parameters(broad, counts, searched, "a"))
            if lead is not None:
                params.update(_parameters(lead, counts, searched, "l"))
            params.update(base)
            lead_terms = 0 if lead is None else len(lead.terms)
            query = together(lead_terms, len(every.terms), len(broad.terms))
            return staged(await session.execute(query, params))

        found: list[int | None] = list(counts.chunks)
        return await planned_search(one, tiers, searched, found, limit, len(terms))
