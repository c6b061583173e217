"""A caller's question turned into search terms.

Only letters and digits survive, so the terms are safe inside an FTS5 MATCH string and a
PostgreSQL tsquery alike; common English words are dropped (both engines would match them
everywhere); the backends search for all of the rest, then for any of them.
"""

from __future__ import annotations

import re

MAX_TERMS = 16
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
STOPWORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it
    its itself just me more most my myself no nor not now of off on once only or other our ours
    ourselves out over own please same she should so some such than that the their theirs them
    themselves then there these they this those through to too under until up very was we were
    what when where which while who whom why will with would you your yours yourself yourselves
    hi hello hey thanks thank tell know want need like get got let im id ive""".split()  # noqa: SIM905 - a word list reads better as prose
)


def search_terms(question: str) -> list[str]:
    """Distinct lowercase terms in order of appearance, stopwords dropped, at most 16."""
    terms: list[str] = []
    for word in _WORD.findall(question.lower()):
        if word not in STOPWORDS and word not in terms:
            terms.append(word)
        if len(terms) == MAX_TERMS:
            break
    return terms
