"""What is said of a passage once its best sentence is chosen: the sentence in its context.

A knowledge chunk is one heading's section of a page, and a sentence often means little
alone: "She speaks Spanish." needs the sentence or the heading before it to say who, and a
list item ("Diesel engines.") under "What we don't work on" needs that heading to be the
answer "no". So the chosen sentence is said with:

- the sentence before it, when it carries on from that one ("It takes an hour.");
- the sentence after it, when that one carries on or stays on the question (``speech``);
- the headings of its section below the page's title, when what is said begins with a
  pronoun (who "she" is), or when the sentence is a bare list item or row (no subject of its
  own) under a heading that says no.

The window stays short enough for a phone (``MAX_SAID_WORDS``).
"""

from __future__ import annotations

import re

from aicaller.agent.speech import continues, speakable, text_stems
from aicaller.knowledge.search.backend import SearchHit

MAX_SAID_WORDS = 48  # a phone answer longer than this loses the caller
# Words that make a sentence a statement about someone rather than a bare list or row.
_SUBJECTS = frozenset(
    {"we", "we're", "we'll", "we've", "our", "you", "your", "you're", "i", "it", "it's", "its"}
    | {"they", "their", "he", "she", "his", "her", "this", "that", "there", "these", "those"}
    | {"is", "are", "was", "were", "has", "have", "will", "can", "do", "does", "must", "may"}
)
_WORD = re.compile(r"[a-z']+")
# First words of a sentence that needs the one before it (or its heading) to say what it is about.
_PRONOUNS = frozenset(
    {"it", "its", "it's", "this", "that", "these", "those", "they", "their", "them", "he", "she"}
    | {"his", "her"}
)
_BACK_REFERENCES = _PRONOUNS | {"also", "then", "however", "but"}


def _first_word(sentence: str) -> str:
    words = sentence.split(maxsplit=1)
    return words[0].lower().strip(",").replace("\u2019", "'") if words else ""


def starts_carrying_on(sentence: str) -> bool:
    """The sentence begins with a word that refers back ("She speaks Spanish.")."""
    return _first_word(sentence) in _BACK_REFERENCES


def is_fragment(sentence: str) -> bool:
    """A list item or a table row rather than a statement: none of its words names who does
    what ("Rabbits, guinea pigs and ferrets.", "Cat neuter: $245.")."""
    return not _SUBJECTS.intersection(_WORD.findall(sentence.lower().replace("\u2019", "'")))


_NEGATIVE = re.compile(r"\b(?:not|no|never|don't|doesn't|can't|cannot|won't|isn't|aren't)\b")


def negative(text: str) -> bool:
    """The text says no ("What we don't work on", "We do not repair electric bikes")."""
    return bool(_NEGATIVE.search(text.lower().replace("\u2019", "'")))


def section_headings(hit: SearchHit) -> str:
    """The headings of the passage's section below the page's title ("Who we see, Small
    mammals"), or the title alone when the section is the page's first."""
    levels = [level.strip() for level in hit.heading_path.split(">") if level.strip()]
    return ", ".join(levels[1:] or levels[:1])


def _nearest(raws: list[str], indexes: range) -> str | None:
    return next((text for i in indexes if (text := speakable(raws[i])) is not None), None)


def _words(parts: list[str]) -> int:
    return sum(len(part.split()) for part in parts)


def window(hit: SearchHit, raws: list[str], index: int, wanted: set[str]) -> str:
    """Sentence ``index`` of the passage (its raw sentences ``raws``) said with its context."""
    chosen = speakable(raws[index]) or ""
    parts = [chosen]
    before = _nearest(raws, range(index - 1, -1, -1))
    after = _nearest(raws, range(index + 1, len(raws)))
    # The sentence it carries on from, and the one that carries it on (or stays on the question).
    if (
        before is not None
        and starts_carrying_on(chosen)
        and _words([before, chosen]) <= MAX_SAID_WORDS
    ):
        parts.insert(0, before)
    if (
        after is not None
        and continues(after, wanted, parts[-1])
        and _words([*parts, after]) <= MAX_SAID_WORDS
    ):
        parts.append(after)
    heading = section_headings(hit)
    # Who "she" is, or the "no" of a list under "What we don't work on".
    needs_heading = _first_word(parts[0]) in _PRONOUNS or (
        is_fragment(chosen) and negative(heading)
    )
    if heading and needs_heading and not text_stems(heading) <= text_stems(" ".join(parts)):
        joiner = ". " if ":" in parts[0] else ": "
        return heading + joiner + " ".join(parts)
    return " ".join(parts)
