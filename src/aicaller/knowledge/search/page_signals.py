"""What a page's kind says about it, beside its words (``pages.py``, ADR 0046).

- **Its one-line description** (``documents.description``): a man page's NAME line says what
  the command does ("Apply the changes introduced by some existing commits") where its title
  says only its name ("git-cherry-pick(1) Manual Page"), so the description's words count as
  the page's name does, for the words its title and path do not already name.
- **A page of a numbered series**: release notes, changelogs ("Django 1.2.5 release notes",
  "Django 1.3 release notes"...) each mention, in passing, most subjects of the documentation,
  and a question about a subject is answered by the page that treats it, not by the version
  that changed it. Recognised by its structure (three or more pages of the pool whose titles
  differ only in their numbers), not by its words, and not held against it when the question
  names a version or a release.
- **A copy**: a site serving one page at two addresses (``index.html`` and ``git.html``) would
  give the same answer two of the first three places; the later copy of a chunk is dropped.
"""

from __future__ import annotations

import re
import uuid
from collections import Counter
from collections.abc import Callable, Iterable
from functools import lru_cache

from aicaller.knowledge.search.backend import SearchHit

SERIES_PAGES = 3
"""Pages of the pool sharing a title but for its numbers that make a numbered series."""
_NUMBER = re.compile(r"\d+(?:[.\-_]\d+)*")
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_VERSION_WORDS = frozenset(
    {"release", "released", "releases", "version", "versions", "changelog", "upgrade",
     "upgraded", "upgrading"}
)  # fmt: skip


@lru_cache(maxsize=4096)
def description_stems(description: str, stem: Callable[[str], str]) -> frozenset[str]:
    """The stemmed words of a page's description, kept per page as its name's are."""
    return frozenset(stem(word) for word in _WORD.findall(description.lower()))


def described(stems: list[str], description: str, names: frozenset[str],
              stem: Callable[[str], str]) -> float:  # fmt: skip
    """The share of the question's distinct ``stems`` that the page's description holds and
    its name (``names``: title and path) does not."""
    if not stems or not description:
        return 0.0
    words = description_stems(description, stem)
    return sum(1 for word in stems if word in words and word not in names) / len(stems)


def names_a_version(terms: Iterable[str]) -> bool:
    """Whether the question asks about a version or release ("what changed in 4.2")."""
    return any(term in _VERSION_WORDS or any(c.isdigit() for c in term) for term in terms)


@lru_cache(maxsize=4096)
def _template(title: str) -> str:
    """``title`` with its numbers masked, kept per page as its name's stems are."""
    return _NUMBER.sub("#", title)


def numbered_series(hits: list[SearchHit]) -> set[uuid.UUID]:
    """The pages of ``hits`` whose titles, numbers aside, at least ``SERIES_PAGES`` pages
    share."""
    templates: dict[uuid.UUID, str] = {}
    for hit in hits:
        if hit.document_id not in templates:
            templates[hit.document_id] = _template(hit.title)
    counts = Counter(t for t in templates.values() if "#" in t)
    return {page for page, t in templates.items() if "#" in t and counts[t] >= SERIES_PAGES}


def without_copies(
    ranked: Iterable[tuple[float, SearchHit]], limit: int
) -> list[tuple[float, SearchHit]]:
    """The first ``limit`` of ``ranked`` (score, hit), a chunk that another page already gave
    (the same title, headings and text) left out."""
    seen: dict[tuple[str, str, str], uuid.UUID] = {}
    kept: list[tuple[float, SearchHit]] = []
    for score, hit in ranked:
        first = seen.setdefault((hit.title, hit.heading_path, hit.text), hit.document_id)
        if first != hit.document_id:
            continue
        kept.append((score, hit))
        if len(kept) == limit:
            break
    return kept
