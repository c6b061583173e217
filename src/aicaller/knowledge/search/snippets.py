"""The passage of a result that shows why it matched, its matching words in **bold**.

Made here for the few results returned rather than by the database for every chunk of the pool
the ranking reads (``pages.py``): PostgreSQL's ``ts_headline`` parses all the text it is given,
and SQLite's ``snippet()`` reads each row's index entries, so snippets for a pool of two dozen
chunks cost more than the search itself. Words match by their Snowball stem, as the indexes
match them.

A chunk can be thousands of words (a long table or code block) and every search makes five
snippets, so the per-word work is done by C loops (``set``, ``map``, ``compress``): each
distinct token is stemmed once, and the window is chosen among the matches' positions only.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from functools import lru_cache
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
    wanted = {stem(term) for term in terms}
    distinct = set(tokens)
    stems = {
        token: next(stemmed for stemmed in found if stemmed in wanted)
        for token, found in zip(distinct, map(_stems, distinct), strict=True)
        if not wanted.isdisjoint(found)
    }
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


@lru_cache(maxsize=65536)
def _stems(token: str) -> tuple[str, ...]:
    """The stems of a token's words: every search makes snippets from a few chunks of
    hundreds of tokens, most of them words the documentation repeats."""
    return tuple(stem(word) for word in _CORE.findall(token.lower()))


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
