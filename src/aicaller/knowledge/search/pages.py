"""Ranking chunks with what is known of their pages: a caller's question is answered by a page,
and the chunk that matches best is not always on the page that answers.

A pool of chunks (several times what was asked for) is ranked by a fusion of evidence, all from
the hits themselves (no further query):

- the chunk's own full-text score (``plan.normalise``: 1.0 for the best);
- its page's strength: the page's matching chunks, each worth less than the one before, so a
  page that treats the subject throughout beats one that mentions it in passing;
- the question's words in the page's title or in its URL path ("threads" in
  ``library/threading.html``), stemmed, as a share of the question's words: documentation names
  its pages after their subjects, and a question names its subject;
- the page's coverage: the share of the question's words its pooled chunks hold between them
  (a page that answers holds most of them; one that shares a common word or two does not);
- the page's length (its chunks, ``SearchHit.chunk_count``), against: a very long page (a user
  manual, a settings reference, release notes) holds a few of any question's words somewhere,
  and its many pooled chunks make it strong for every question (ADR 0038);
- the page's one-line description, a page of a numbered series (release notes) and copies of
  one page at two addresses (``page_signals.py``, ADR 0046).

Pages that only list links to other pages (an index, a table of contents) match many words in
passing and treat none; the page strength and the title evidence are what puts the page that
answers above them.
"""

from __future__ import annotations

import math
import re
import uuid
from collections import defaultdict
from dataclasses import dataclass, replace
from functools import lru_cache
from urllib.parse import urlsplit

import snowballstemmer

from aicaller.knowledge.search.backend import SearchHit
from aicaller.knowledge.search.page_signals import (
    described,
    names_a_version,
    numbered_series,
    without_copies,
)

POOL_FACTOR = 4
MIN_POOL = 24
"""Chunks fetched per search, at least: the pool the page evidence reranks."""
CHUNK_WEIGHT, PAGE_WEIGHT, NAME_WEIGHT = 0.5, 0.5, 0.2
"""Weights in the fused score: the chunk's own match, its page's strength, the page's name."""
COVERAGE_WEIGHT, LENGTH_WEIGHT = 0.3, 0.05
"""Weights of the page's coverage of the question's words and (per natural log of the page's
chunks) of its length, counted against it. Chosen on the development sets of both engines
with each set left out in turn (docs/benchmarks.md, ADR 0038)."""
DESCRIPTION_WEIGHT, SERIES_PENALTY = 0.3, 0.1
"""Weight of the question's words in the page's one-line description (those its name does not
hold), and what a page of a numbered series loses when the question names no version: chosen
on the development sets of both engines (docs/benchmarks.md, ADR 0046)."""
PAGE_DECAY = 0.5
"""Each further matching chunk of a page counts this much of the one before it."""
_PATH_NOISE = frozenset({"html", "htm", "index", "php", "aspx", "www", "http", "https"})
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_FENCE = re.compile(r"```.*?(?:```|\Z)", re.DOTALL)
CODE_SHARE, CODE_PENALTY = 0.6, 0.3
"""A chunk whose text is at least ``CODE_SHARE`` code blocks (a source listing) keeps this
share of its score: a caller's question is answered by prose, not by a program's source."""
_stemmer = snowballstemmer.stemmer("english")


def pool_size(limit: int) -> int:
    return max(limit * POOL_FACTOR, MIN_POOL)


@lru_cache(maxsize=4096)
def stem(word: str) -> str:
    """The Snowball (English) stem of a lowercase word."""
    return str(_stemmer.stemWord(word))


@lru_cache(maxsize=4096)
def name_stems(title: str, url: str | None) -> frozenset[str]:
    """The stemmed words of a page's title and URL path (not its host, not its extension),
    kept per page: the pages of a business come back search after search."""
    words = _WORD.findall(title.lower())
    if url:
        path = urlsplit(url).path.lower()
        words += [word for word in _WORD.findall(path) if word not in _PATH_NOISE]
    return frozenset(stem(word) for word in words)


def name_match(terms: list[str], title: str, url: str | None) -> float:
    """The share of ``terms`` named by the page's title or URL path."""
    if not terms:
        return 0.0
    names = name_stems(title, url)
    return sum(1 for term in terms if stem(term) in names) / len(terms)


def code_share(text: str) -> float:
    """The share of ``text`` inside fenced code blocks."""
    if not text:
        return 0.0
    return sum(len(block) for block in _FENCE.findall(text)) / len(text)


def _own_score(hit: SearchHit) -> float:
    code = code_share(hit.text) >= CODE_SHARE
    return hit.score * (CODE_PENALTY if code else 1.0)


def coverage(hits: list[SearchHit], stems: list[str]) -> dict[uuid.UUID, float]:
    """Per page, the share of ``stems`` found in its hits' titles, heading paths and texts, as
    substrings: "thread" is in "threading" (and, more rarely, a short stem inside an unrelated
    word: a few false matches cost less than stemming every word of the pool)."""
    found: dict[uuid.UUID, set[str]] = defaultdict(set)
    for hit in hits:
        held = found[hit.document_id]
        missing = [word for word in stems if word not in held]
        if missing:
            text = f"{hit.title}\n{hit.heading_path}\n{hit.text}".lower()
            held.update(word for word in missing if word in text)
    return {page: len(held) / len(stems) if stems else 0.0 for page, held in found.items()}


@dataclass(frozen=True, slots=True)
class PageEvidence:
    """What a page adds to the fused score of each of its chunks, each part weighted: kept
    apart so that an evaluation can say why one page ranked above another."""

    strength: float
    name: float
    coverage: float
    length: float
    description: float = 0.0
    series: float = 0.0  # a penalty: 0 or negative

    @property
    def total(self) -> float:
        return (
            self.strength + self.name + self.coverage + self.length + self.description
            + self.series
        )  # fmt: skip


def page_evidence(
    hits: list[SearchHit], terms: list[str], own: list[float] | None = None
) -> dict[uuid.UUID, PageEvidence]:
    """Per page of ``hits``, its weighted strength, name, coverage and length evidence
    (``own``: each hit's own score, when already known)."""
    own = [_own_score(hit) for hit in hits] if own is None else own
    by_page: dict[uuid.UUID, list[float]] = defaultdict(list)
    for hit, score in zip(hits, own, strict=True):
        by_page[hit.document_id].append(score)
    strength = {
        page: sum(score * PAGE_DECAY**rank for rank, score in enumerate(sorted(scores)[::-1]))
        for page, scores in by_page.items()
    }
    strongest = max(strength.values()) or 1.0
    stems = list(dict.fromkeys(stem(term) for term in terms))
    covered = coverage(hits, stems)
    # Against the longest page of the pool, so that every score stays positive.
    longest = math.log(max(1, *(hit.chunk_count for hit in hits)))
    series = set() if names_a_version(terms) else numbered_series(hits)
    evidence: dict[uuid.UUID, PageEvidence] = {}
    for hit in hits:
        page = hit.document_id
        if page not in evidence:
            names = name_stems(hit.title, hit.url)
            evidence[page] = PageEvidence(
                PAGE_WEIGHT * strength[page] / strongest,
                NAME_WEIGHT * name_match(terms, hit.title, hit.url),
                COVERAGE_WEIGHT * covered[page],
                LENGTH_WEIGHT * (longest - math.log(max(hit.chunk_count, 1))),
                DESCRIPTION_WEIGHT * described(stems, hit.description, names, stem),
                -SERIES_PENALTY if page in series else 0.0,
            )
    return evidence


def rank_by_page(hits: list[SearchHit], terms: list[str], limit: int) -> list[SearchHit]:
    """The best ``limit`` of ``hits`` by fused chunk, page and page-name evidence, scores
    relative to the best (1.0); a chunk another page already gave is left out."""
    if not hits:
        return []
    own = [_own_score(hit) for hit in hits]
    pages = {page: evidence.total for page, evidence in page_evidence(hits, terms, own).items()}
    fused = [
        (CHUNK_WEIGHT * own_score + pages[hit.document_id], hit)
        for hit, own_score in zip(hits, own, strict=True)
    ]
    fused.sort(key=lambda pair: pair[0], reverse=True)
    best = fused[0][0] or 1.0
    return [
        replace(hit, score=round(score / best, 4)) for score, hit in without_copies(fused, limit)
    ]
