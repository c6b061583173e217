"""Which full-text queries answer a question, in order, and how their scores are normalised.

A question's terms are searched in tiers: chunks holding every term, then, if that leaves
room, chunks holding any of the rarest terms. Only a question of a few terms
(``EVERY_TERM_MAX``) gets the every-term tier: a spoken question of many words ("how do I make
the admin account so I can log into the admin the first time") is rarely matched whole by the
chunk that answers, and the few chunks that happen to hold all its words outranked it (on the
issue 20 evaluation, docs/benchmarks.md, "Answer evaluation"); bm25 over any of the terms
already ranks chunks holding more of them higher. (A middle tier of "every term but the most
common" lost a question of the retrieval benchmark and won none.) The cost of a full-text
query grows with the number of chunks it must rank, so each backend first learns about how
many chunks hold each term, and the any-term query keeps only the rarest terms within
``BROAD_BUDGET`` chunks: a word found in a third of the corpus adds little to a ranking and a
lot to its cost.

A question of several such words (``use_lead``) matches thousands of chunks with every term
(3,400 of 107,000 for "define a class with methods"), all of which a backend would rank. Its
every-term query goes first to each backend's lead index (title, headings and the first 500
characters of each chunk, migration 0009), which holds a fraction of those matches; only if
that finds fewer than ``limit`` chunks do the usual tiers run on the full text
(``planned_search``, which runs all of a question's queries in one statement: each runs only
when the ones before it found too few).
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import NamedTuple

from aicaller.knowledge.search.backend import SearchHit, Staged, with_score

BROAD_BUDGET = 5000
"""How many chunks the any-term query may have to rank (the rarest term is always searched)."""
EVERY_TERM_MAX = 4
"""Questions of at most this many terms first look for chunks holding all of them."""
COMMON_TERMS_FOR_LEAD = 3
"""Terms in over ``BROAD_BUDGET`` chunks that send the every-term query to the lead index. Two
cost PostgreSQL a question on the Python docs ("define a class with methods": "class" and
"methods" pass the budget there); the slow questions at 100,000 chunks have three to five."""


class Query(NamedTuple):
    terms: list[str]
    every: bool  # AND (True) or OR (False)


def broad_terms(terms: list[str], counts: list[int | None]) -> list[str]:
    """The terms for the any-term query, rarest first: terms in no chunk are left out, the
    rarest is kept, others join while the chunks they match stay within ``BROAD_BUDGET``.
    An unknown count (``None``: the database has no statistics yet) prunes nothing."""
    known = [count for count in counts if count is not None]
    if len(known) < len(terms):
        return list(terms)
    found = sorted((count, term) for term, count in zip(terms, known, strict=True) if count > 0)
    chosen: list[str] = []
    total = 0
    for count, term in found:
        total += count
        if chosen and total > BROAD_BUDGET:
            break
        chosen.append(term)
    return chosen


def query_tiers(
    terms: list[str], counts: list[int | None], required: int | None = None
) -> list[Query]:
    """The queries for ``terms``, best matches first. A term in no chunk (count 0, a typo or
    a word the documentation never uses) is left out of both. Only the first ``required``
    terms (all by default; the rest are ``synonyms.expansions``) make the every-term query."""
    tiers: list[Query] = []
    own = zip(terms[:required], counts[:required], strict=True)
    found = [term for term, count in own if count != 0]
    if 1 < len(found) <= EVERY_TERM_MAX:
        tiers.append(Query(found, every=True))
    broad = broad_terms(terms, counts)
    if broad:
        tiers.append(Query(broad, every=False))
    return tiers


def use_lead(counts: list[int | None]) -> bool:
    """Several terms each in more chunks than the budget: the full index is too dear."""
    common = sum(1 for count in counts if count is not None and count > BROAD_BUDGET)
    return common >= COMMON_TERMS_FOR_LEAD


Run = Callable[[Query], Awaitable[list[SearchHit]]]
Together = Callable[[Query | None, Query, Query], Awaitable[Staged]]
"""One statement running, in order, the every-term query on the lead index (when given), the
every-term query and the any-term one on the full index, each only when the ones before it
found fewer than ``limit`` chunks; its hits of each, the any-term ones only those the every-term
query did not find, as many as it left to find."""


async def planned_search(
    one: Run,
    together: Together,
    terms: list[str],
    counts: list[int | None],
    limit: int,
    required: int | None = None,
) -> list[SearchHit]:
    """The best ``limit`` hits over the tiers (``query_tiers``), in one statement. When
    ``use_lead``, the every-term query goes to the lead index first, and its hits are the
    answer if they are ``limit`` or more; otherwise (or if it found too few) the tiers on the
    full index are (an any-term query over a word in thousands of leads costs as much as in the
    full index, so the lead index gets only the every-term one)."""
    tiers = query_tiers(terms, counts, required)
    if len(tiers) != 2:  # noqa: PLR2004 - the any-term query alone (or none)
        return await tiered_search(one, tiers, limit)
    lead = tiers[0] if use_lead(counts[:required]) else None
    led, every, broad = await together(lead, tiers[0], tiers[1])
    if lead is not None and len(led) >= limit:
        return normalise([(hit, 0) for hit in led[:limit]])
    seen = {hit.chunk_id for hit in every}
    ranked = [(hit, 0) for hit in every] + [(hit, 1) for hit in broad if hit.chunk_id not in seen]
    return normalise(ranked[:limit])


async def tiered_search(run: Run, tiers: list[Query], limit: int) -> list[SearchHit]:
    """The best ``limit`` hits over the tiers (``query_tiers``), each hit once, scores
    normalised."""
    ranked: list[tuple[SearchHit, int]] = []
    seen: set[uuid.UUID] = set()
    for tier, query in enumerate(tiers):
        for hit in await run(query):
            if hit.chunk_id not in seen:
                seen.add(hit.chunk_id)
                ranked.append((hit, tier))
        if len(ranked) >= limit:
            break
    return normalise(ranked[:limit])


def normalise(ranked: list[tuple[SearchHit, int]]) -> list[SearchHit]:
    """Scores relative to the best hit (1.0). Each tier present gets an equal band of the
    range below the tier before it; within a band, by raw score (higher is better)."""
    tiers = sorted({tier for _, tier in ranked})
    width = 1.0 / len(tiers) if tiers else 1.0
    scored: list[SearchHit] = []
    for position, tier in enumerate(tiers):
        hits = [hit for hit, hit_tier in ranked if hit_tier == tier]
        best = max((hit.score for hit in hits), default=0.0)
        high = 1.0 - position * width
        scored += [
            with_score(hit, round(high - width + width * (hit.score / best if best else 0), 4))
            for hit in hits
        ]
    return scored
