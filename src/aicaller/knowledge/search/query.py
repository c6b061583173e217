"""A caller's question turned into search terms.

Only letters and digits survive, so the terms are safe inside an FTS5 MATCH string and a
PostgreSQL tsquery alike; common English words are dropped (both engines would match them
everywhere); the backends search for all of the rest, then for any of them.

Questions arrive spoken (a speech recogniser's text): filler ("um", "I was wondering", "kind
of"), the pieces of contractions ("don't" is "don" and "t") and numbers said as words. The first
two would make the every-term query find nothing, so they are dropped, and so are the vague
nouns of a spoken question ("is there a way to", "that kind of thing"), which no page is
about; a number of ten or more said in words ("twenty four", "fifteen") becomes its digits, as
documentation writes such numbers (below ten, prose writes words: "two years" stays as said).
A number said with a point ("three point two", "two dot five") is a version or a decimal,
and a "dot" said inside a name ("manage dot py") is a typed "."; both become the terms the
typed form gives (ADR 0038).
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
    hi hello hey thanks thank tell know want need like get got let im id ive
    um uh uhm umm er erm hmm ah oh okay ok yeah yes well basically actually really maybe
    wondering wonder wanted trying possible possibly guys somebody someone anyone
    gonna wanna gotta s t d ll re ve m don doesn didn isn aren wasn weren won wouldn shouldn
    couldn haven hasn hadn cant dont doesnt didnt isnt arent wont
    way thing things something anything stuff y em ya yall kinda sorta""".split()  # noqa: SIM905 - a word list reads better as prose
)
_UNITS = {
    word: value
    for value, word in enumerate(
        """zero one two three four five six seven eight nine ten eleven twelve thirteen
        fourteen fifteen sixteen seventeen eighteen nineteen""".split()  # noqa: SIM905
    )
}
_TENS = {
    word: 10 * value
    for value, word in enumerate(
        "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()  # noqa: SIM905
    )
    if word != "_"
}
_TEN = 10
SPOKEN_DIGITS_FROM = 10
"""Numbers said in words from this value on become digits."""


def _numbers_as_digits(words: list[str]) -> list[str]:
    """Runs of number words ("twenty four", "two hundred") as digits when the number is at
    least ``SPOKEN_DIGITS_FROM``, and both sides of a number said with a point ("three point
    two", "two dot five") whatever their size; other words unchanged."""
    out: list[str] = []
    index = 0
    while index < len(words):
        value, end = _spoken_number(words, index)
        decimal = _decimal_part(words, index, end)
        if decimal is not None:
            after, end = decimal
            out += [str(value), str(after)]
            index = end
        elif end > index and value >= SPOKEN_DIGITS_FROM:
            out.append(str(value))
            index = end
        else:
            out.append(words[index])
            index += 1
    return out


def _decimal_part(words: list[str], start: int, end: int) -> tuple[int, int] | None:
    """After a number said from ``start`` to ``end``, "point" (or "dot") and a number: its
    value and the index after it. Documentation writes "3.2", which both full-text indexes
    split at the point, so "three point two" must search for "3" and "2" as typed "3.2"
    does (a version, a decimal)."""
    if end == start or words[end : end + 1] not in (["point"], ["dot"]):
        return None
    after, stop = _spoken_number(words, end + 1)
    return (after, stop) if stop > end + 1 else None


def _spoken_number(words: list[str], start: int) -> tuple[int, int]:
    """The number said by the words from ``start`` (tens, units, "hundred", "thousand") and
    the index after them; ``(0, start)`` when none."""
    total = current = 0
    index = start
    while index < len(words):
        word = words[index]
        if word in _TENS and current % 100 == 0:
            current += _TENS[word]
        elif word in _UNITS and current % 10 == 0 and (current % 100 == 0 or _UNITS[word] < _TEN):
            current += _UNITS[word]
        elif word == "hundred" and index > start and current % 100:
            current *= 100
        elif word == "thousand" and index > start and (current or total):
            total, current = (total + current) * 1000, 0
        else:
            break
        index += 1
    return total + current, index


HEDGES = frozenset({"kind", "sort"})
"""Filler before "of" ("it's kind of slow"), and words otherwise ("sort a list")."""


def _spoken_dot(words: list[str], index: int) -> bool:
    """ "dot" said between two words of a name ("manage dot py", "example dot com"): typed,
    it would be a "." that both full-text indexes split at, so it is not searched for."""
    return (
        words[index] == "dot"
        and 0 < index < len(words) - 1
        and words[index - 1] not in STOPWORDS
        and words[index + 1] not in STOPWORDS
    )


def search_terms(question: str) -> list[str]:
    """Distinct lowercase terms in order of appearance, stopwords dropped, at most 16."""
    terms: list[str] = []
    words = _numbers_as_digits(_WORD.findall(question.lower()))
    for index, word in enumerate(words):
        hedge = word in HEDGES and words[index + 1 : index + 2] == ["of"]
        if (
            not hedge
            and not _spoken_dot(words, index)
            and word not in STOPWORDS
            and word not in terms
        ):
            terms.append(word)
        if len(terms) == MAX_TERMS:
            break
    return terms
