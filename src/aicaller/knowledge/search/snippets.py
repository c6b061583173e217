"""The passage of a result that shows why it matched, its matching words in **bold**.

Made here for the few results returned rather than by the database for every chunk of the pool
the ranking reads (``pages.py``): PostgreSQL's ``ts_headline`` parses all the text it is given,
and SQLite's ``snippet()`` reads each row's index entries, so snippets for a pool of two dozen
chunks cost more than the search itself. Words match by their Snowball stem, as the indexes
match them.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from aicaller.knowledge.search.pages import stem

SNIPPET_WORDS = 24
_TOKEN = re.compile(r"\S+")
_CORE = re.compile(r"[^\W_]+", re.UNICODE)


def snippet(text: str, terms: list[str], words: int = SNIPPET_WORDS) -> str:
    """The ``words``-word window of ``text`` holding the most distinct ``terms`` (the first
    such), matches in bold, an ellipsis where the text was cut."""
    tokens = _TOKEN.findall(text)
    if not tokens:
        return ""
    wanted = {stem(term) for term in terms}
    matched = [_matches(token, wanted) for token in tokens]
    start = _best_window(matched, words)
    # Start a little before the window's first match, so the reader sees what leads to it
    # (moving right keeps every match of the window: they all lie after its first).
    first = next((i for i in range(start, len(tokens)) if matched[i]), start)
    start = max(start, first - words // 4)
    shown = [
        f"**{token}**" if matched[index] else token
        for index, token in enumerate(tokens[start : start + words], start)
    ]
    lead = "…" if start > 0 else ""
    tail = "…" if start + words < len(tokens) else ""
    return f"{lead}{' '.join(shown)}{tail}"


def _matches(token: str, wanted: set[str]) -> str | None:
    """The stem of ``token`` that is wanted, if any."""
    for stemmed in _stems(token):
        if stemmed in wanted:
            return stemmed
    return None


@lru_cache(maxsize=65536)
def _stems(token: str) -> tuple[str, ...]:
    """The stems of a token's words: every search makes snippets from a few chunks of
    hundreds of tokens, most of them words the documentation repeats."""
    return tuple(stem(word) for word in _CORE.findall(token.lower()))


def _best_window(matched: list[str | None], words: int) -> int:
    """The start of the first ``words``-long window with the most distinct matches (one pass:
    a chunk with a long code block can be thousands of words)."""
    inside: Counter[str] = Counter()
    best_start = best_count = 0
    for end, stemmed in enumerate(matched):
        if stemmed:
            inside[stemmed] += 1
        start = end - words + 1
        if start > 0 and (leaving := matched[start - 1]):
            inside[leaving] -= 1
            if not inside[leaving]:
                del inside[leaving]
        if len(inside) > best_count:
            best_start, best_count = max(start, 0), len(inside)
    return best_start
