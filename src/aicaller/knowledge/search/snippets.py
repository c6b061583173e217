"""The passage of a result that shows why it matched, its matching words in **bold**.

Made here for the few results returned rather than by the database for every chunk of the pool
the ranking reads (``pages.py``): PostgreSQL's ``ts_headline`` parses all the text it is given,
and SQLite's ``snippet()`` reads each row's index entries, so snippets for a pool of two dozen
chunks cost more than the search itself. Words match by their Snowball stem, as the indexes
match them.

A chunk can be thousands of words (a long table or code block) and every search makes five
snippets, so the per-word work is done by C loops (``set``, ``compress``): each distinct token
is stemmed once per worker and filed under its stems (``_Vocabulary``), so the tokens of a text
that match are found by set intersections rather than by a look at each of its tokens, and the
window is chosen among the matches' positions only.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from itertools import compress

from aicaller.knowledge.search.pages import stem

SNIPPET_WORDS = 24
_CORE = re.compile(r"[^\W_]+", re.UNICODE)


def snippet(text: str, terms: list[str], words: int = SNIPPET_WORDS) -> str:
    """The ``words``-word window of ``text`` holding the most distinct ``terms`` (the first
    such), matches in bold, an ellipsis where the text was cut."""
    tokens = text.split()  # as ``\S+`` splits (the same whitespace), several times faster
    if not tokens:
        return ""
    wanted = list(dict.fromkeys(stem(term) for term in terms))
    stems = _VOCABULARY.matches(set(tokens), wanted)
    positions = list(compress(range(len(tokens)), map(stems.__contains__, tokens)))
    start = _best_window([stems[tokens[i]] for i in positions], positions, words)
    # Start a little before the window's first match, so the reader sees what leads to it
    # (moving right keeps every match of the window: they all lie after its first).
    after = bisect_left(positions, start)
    first = positions[after] if after < len(positions) else start
    start = max(start, first - words // 4)
    shown = [f"**{token}**" if token in stems else token for token in tokens[start : start + words]]
    lead = "…" if start > 0 else ""
    tail = "…" if start + words < len(tokens) else ""
    return f"{lead}{' '.join(shown)}{tail}"


def _stems(token: str) -> tuple[str, ...]:
    """The stems of a token's words, in order."""
    return tuple(stem(word) for word in _CORE.findall(token.lower()))


class _Vocabulary:
    """The tokens a worker has stemmed, filed under each of their stems: documentation repeats
    its words, so after the first searches nearly every token of a result is known, and the
    ones matching a question are the intersection of its tokens with its stems' files."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.known: dict[str, tuple[str, ...]] = {}  # each token's stems, in order
        self.by_stem: dict[str, set[str]] = {}

    def matches(self, tokens: set[str], wanted: list[str]) -> dict[str, str]:
        """Each of ``tokens`` holding a word whose stem is ``wanted``, with the first such
        stem among its words."""
        self._learn(tokens)
        found: set[str] = set()
        for stemmed in wanted:
            filed = self.by_stem.get(stemmed)
            if filed:
                found |= tokens.intersection(filed)
        chosen = set(wanted)
        return {token: next(s for s in self.known[token] if s in chosen) for token in found}

    def _learn(self, tokens: set[str]) -> None:
        new = tokens.difference(self.known)
        if not new:
            return
        if len(self.known) + len(new) > self.size:  # bounded: start again from these
            self.known.clear()
            self.by_stem.clear()
            new = tokens
        for token in new:
            stems = self.known[token] = _stems(token)
            for stemmed in set(stems):
                self.by_stem.setdefault(stemmed, set()).add(token)


VOCABULARY_SIZE = 50_000
"""Distinct tokens a worker keeps filed by their stems: about 17 MB, about what the per-token
cache of stems it replaced held at its 65,536 entries."""
_VOCABULARY = _Vocabulary(VOCABULARY_SIZE)


def _best_window(matched: list[str], positions: list[int], words: int) -> int:
    """The start of the first ``words``-long window (of the whole text) with the most distinct
    matches, given the matches' stems and their positions in order.

    A window ending on a token that is not a match holds no more distinct matches than the
    one ending just before it, so only windows ending on a match can be the first best ones.
    """
    inside: Counter[str] = Counter()
    best_start = best_count = 0
    leaving = 0
    for stemmed, end in zip(matched, positions, strict=True):
        inside[stemmed] += 1
        start = end - words + 1
        while positions[leaving] < start:
            gone = matched[leaving]
            inside[gone] -= 1
            if not inside[gone]:
                del inside[gone]
            leaving += 1
        if len(inside) > best_count:
            best_start, best_count = max(start, 0), len(inside)
    return best_start
