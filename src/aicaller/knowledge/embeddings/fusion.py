"""Fusing the lexical ranking with the chunks nearest in meaning, at page level.

Both rankings are turned into page rankings (a page's place is that of its best chunk) and
fused by reciprocal rank fusion (Cormack et al., 2009): a page scores ``1 / (K + rank)`` in
each ranking that holds it. Ranks, not scores, because bm25 and cosine similarity live on
scales that do not compare, and a page both rankings place high is what answers. The chunks
returned are each page's own, best first: a page's first chunk carries the page's fused score,
each further chunk of it a fraction of the one before (as ``search/pages.py`` weighs them), so
the page order is the fused order and a long page does not crowd out the next ones.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import replace

from aicaller.knowledge.search.backend import SearchHit

K = 10
"""Rank offset: small, because the rankings fused are short (tens of pages) and a question's
answer is expected in their first places."""
LEXICAL_WEIGHT, SEMANTIC_WEIGHT = 1.0, 1.0
CHUNK_DECAY = 0.5
"""Each further chunk of a page weighs this much of the one before it."""


def page_ranks(document_ids: list[uuid.UUID]) -> dict[uuid.UUID, int]:
    """Each page's rank (1 for the first) by the place of its first chunk in the list."""
    ranks: dict[uuid.UUID, int] = {}
    for document_id in document_ids:
        ranks.setdefault(document_id, len(ranks) + 1)
    return ranks


def fuse(lexical: list[SearchHit], semantic: list[SearchHit], limit: int) -> list[SearchHit]:
    """The best ``limit`` chunks of both rankings (each best first), pages in fused order,
    scores relative to the best (1.0)."""
    lexical_pages = page_ranks([hit.document_id for hit in lexical])
    semantic_pages = page_ranks([hit.document_id for hit in semantic])
    page_score: dict[uuid.UUID, float] = defaultdict(float)
    for ranks, weight in ((lexical_pages, LEXICAL_WEIGHT), (semantic_pages, SEMANTIC_WEIGHT)):
        for document_id, rank in ranks.items():
            page_score[document_id] += weight / (K + rank)
    # Within a page, chunks in the order of the reciprocal ranks they have themselves.
    chunk_score: dict[uuid.UUID, float] = defaultdict(float)
    hits: dict[uuid.UUID, SearchHit] = {}
    for ranking in (lexical, semantic):
        for rank, hit in enumerate(ranking, start=1):
            chunk_score[hit.chunk_id] += 1 / (K + rank)
            hits.setdefault(hit.chunk_id, hit)
    by_page: dict[uuid.UUID, list[SearchHit]] = defaultdict(list)
    for chunk_id in sorted(hits, key=lambda chunk: chunk_score[chunk], reverse=True):
        by_page[hits[chunk_id].document_id].append(hits[chunk_id])
    fused = [
        (page_score[document_id] * CHUNK_DECAY**place, hit)
        for document_id, chunks in by_page.items()
        for place, hit in enumerate(chunks)
    ]
    fused.sort(key=lambda pair: pair[0], reverse=True)
    if not fused:
        return []
    best = fused[0][0] or 1.0
    return [replace(hit, score=round(score / best, 4)) for score, hit in fused[:limit]]
