"""Fusing the lexical ranking with the chunks nearest in meaning, at page level.

Each ranking gives every page it holds a score on its own scale, relative to its best page:

- lexical: the score of the page's best chunk in the page-evidence ranking
  (``search/pages.py``, 1.0 for the best);
- semantic: the mean similarity of the page's chunks among the nearest, each further chunk
  weighing ``PAGE_DECAY`` of the one before, divided by the best page's.

A page's fused score is ``LEXICAL_SHARE`` of the one plus the rest of the other. Scores rather
than ranks (reciprocal rank fusion, the first version): a ranking's margin is evidence, and
ranks throw it away. When the model puts one page clearly first and the lexical ranking has it
in fifteenth place (the caller's words are not the page's: "grab one commit from another
branch" for ``git-cherry-pick``), reciprocal ranks left it second or third; a normalised
similarity keeps it first. The semantic side weighs more because its scores spread less: the
first few pages' similarities differ by hundredths, the lexical scores by tenths. The weighted
mean (rather than the best chunk alone) lets a page whose several chunks are near the question
beat one with a single lucky chunk, without favouring long pages as a sum would. The shares were
chosen on the development sets of the answer evaluation (docs/benchmarks.md, "Hybrid
retrieval").

The chunks returned are each page's own, best first: a page's first chunk carries the page's
fused score, each further chunk of it a fraction of the one before (as ``search/pages.py``
weighs them), so the page order is the fused order and a long page does not crowd out the next
ones.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

LEXICAL_SHARE = 0.25
"""The lexical ranking's share of a page's fused score; the semantic one has the rest."""
PAGE_DECAY = 0.5
"""In a page's semantic score, each further near chunk weighs this much of the one before."""
SEMANTIC_CHUNKS = 200
"""The nearest chunks a search reads from the matrix: enough for a page's several chunks to
count (``semantic_pages``), few enough to read only ids and similarities."""
CHUNK_DECAY = 0.5
"""Each further chunk of a page returned weighs this much of the one before it."""


class Scored(Protocol):
    @property
    def chunk_id(self) -> uuid.UUID: ...
    @property
    def document_id(self) -> uuid.UUID: ...
    @property
    def score(self) -> float: ...


@dataclass(frozen=True, slots=True)
class Fused:
    chunk_id: uuid.UUID
    document_id: uuid.UUID
    score: float


def lexical_pages(ranking: Sequence[Scored]) -> dict[uuid.UUID, float]:
    """Each page's score: its best chunk's, relative to the best page's (1.0)."""
    pages: dict[uuid.UUID, float] = {}
    for hit in ranking:
        pages[hit.document_id] = max(pages.get(hit.document_id, 0.0), hit.score)
    return _relative(pages)


def semantic_pages(near: Sequence[Scored]) -> dict[uuid.UUID, float]:
    """Each page's score: the decayed mean similarity of its near chunks (best first),
    relative to the best page's (1.0); a page at or below zero similarity scores 0."""
    by_page: dict[uuid.UUID, list[float]] = defaultdict(list)
    for hit in near:
        by_page[hit.document_id].append(hit.score)
    pages = {}
    for page, scores in by_page.items():
        weights = [PAGE_DECAY**place for place in range(len(scores))]
        ordered = sorted(scores, reverse=True)
        pages[page] = sum(w * s for w, s in zip(weights, ordered, strict=True)) / sum(weights)
    return _relative(pages)


def _relative(pages: dict[uuid.UUID, float]) -> dict[uuid.UUID, float]:
    best = max(pages.values(), default=0.0)
    if best <= 0:
        return dict.fromkeys(pages, 0.0)
    return {page: max(score, 0.0) / best for page, score in pages.items()}


def near_pages(near: Sequence[Scored], min_similarity: float) -> list[Scored]:
    """The chunks of ``near`` whose page's nearest chunk is at least ``min_similarity``: the
    threshold decides which pages the model speaks for, not which of their chunks count (a
    page's weaker chunks are part of its mean)."""
    best: dict[uuid.UUID, float] = {}
    for hit in near:
        best[hit.document_id] = max(best.get(hit.document_id, hit.score), hit.score)
    return [hit for hit in near if best[hit.document_id] >= min_similarity]


def fuse(
    lexical: Sequence[Scored], near: Sequence[Scored], limit: int, min_similarity: float = -1.0
) -> list[Fused]:
    """The best ``limit`` chunks of both rankings (each best first; ``near`` scored by
    similarity, its pages under ``min_similarity`` left out), pages in fused order, scores
    relative to the best (1.0)."""
    semantic = near_pages(near, min_similarity)
    lexical_page, semantic_page = lexical_pages(lexical), semantic_pages(semantic)
    lexical_chunk = {hit.chunk_id: hit.score for hit in lexical}
    best_lexical = max(lexical_chunk.values(), default=0.0) or 1.0
    semantic_chunk = {hit.chunk_id: hit.score for hit in semantic}
    best_semantic = max(semantic_chunk.values(), default=0.0) or 1.0
    pages: dict[uuid.UUID, uuid.UUID] = {}
    for hit in [*lexical, *semantic]:
        pages.setdefault(hit.chunk_id, hit.document_id)

    def share(lexical_score: float, semantic_score: float) -> float:
        return LEXICAL_SHARE * lexical_score + (1 - LEXICAL_SHARE) * max(semantic_score, 0.0)

    # Within a page, chunks by the same shares of their own scores.
    chunk_score = {
        chunk: share(
            lexical_chunk.get(chunk, 0.0) / best_lexical,
            semantic_chunk.get(chunk, 0.0) / best_semantic,
        )
        for chunk in pages
    }
    by_page: dict[uuid.UUID, list[uuid.UUID]] = defaultdict(list)
    for chunk in sorted(pages, key=lambda chunk: chunk_score[chunk], reverse=True):
        by_page[pages[chunk]].append(chunk)
    fused = [
        Fused(
            chunk,
            page,
            share(lexical_page.get(page, 0.0), semantic_page.get(page, 0.0)) * CHUNK_DECAY**place,
        )
        for page, chunks in by_page.items()
        for place, chunk in enumerate(chunks)
    ]
    fused.sort(key=lambda found: found.score, reverse=True)
    if not fused:
        return []
    best = fused[0].score or 1.0
    return [
        Fused(found.chunk_id, found.document_id, round(found.score / best, 4))
        for found in fused[:limit]
    ]
