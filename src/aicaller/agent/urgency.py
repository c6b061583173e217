"""Urgent situations: what a caller says that must reach a person at once.

A situation is written as words, each a slot that the caller's words must fill, in any order
and within a few words of each other: "smell gas" is heard in "I can smell gas in the
kitchen" and in "there's a gas smell". A slot may list alternatives with "|"
("burst|broken pipe"), and an alternative of several words must be said as written
("passed out"). Words are compared by their stems, so "flooding" fills "flood".

Every business gets the situations of its trade (``urgent_trades``), those any business's
caller can describe (``urgent_general``) and the phrases its admin adds (``emergency_phrases``).
They are deliberately specific: "bleeding" alone would send "do you treat bleeding gums?" to a
person, so it needs "a lot", "badly" or "won't stop" beside it. A situation said near a "not
now" phrase in the same sentence (the past, a hypothetical, "do you fix ...") is no emergency
(ADR 0035). Nothing here needs a model or the network, so the rules hold on the offline agent
and are given, word for word, to the LLM agent as instructions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

from aicaller.agent.urgent_general import GENERAL, NOT_NOW
from aicaller.agent.urgent_trades import TRADES
from aicaller.businesses.schemas import Trade

WINDOW = 10  # words: every slot of a situation is filled within this distance of the others
_stemmer = snowballstemmer.stemmer("english")
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
NOT_NOW_WINDOW = 6  # words: a "not now" phrase this close to a situation's words cancels it
# Said to the LLM agent after the situations: the same exceptions as NOT_NOW, in words.
NOT_NOW_IN_WORDS = (
    "none of these is urgent when the caller speaks of the past (last year, years ago), of "
    "a hypothetical (in case, what if, if someone), of other people in general, or asks "
    "whether the business offers a service for it (do you fix, do you treat)"
)
_SENTENCE_END = re.compile(r"[.?!;]+(?=\s|$)")
_FILLER = frozenset({"a", "an", "the", "my", "our", "is", "are", "of", "in", "on", "it", "its"})


@dataclass(frozen=True, slots=True)
class Situation:
    """One urgent situation: the phrase as configured and its slots of stemmed alternatives
    (each alternative a tuple of stems said in that order)."""

    phrase: str
    slots: tuple[tuple[tuple[str, ...], ...], ...]


def _stems(text: str) -> list[str]:
    words = _WORD.findall(text.lower().replace("\u2019", "'").replace("-", " "))
    return [_stemmer.stemWord(word.removesuffix("'s")) for word in words]


@lru_cache(maxsize=512)
def situation(phrase: str) -> Situation:
    """A phrase as a situation: its words are slots, "|" separates a slot's alternatives and
    "_" joins words said together ("passed_out"); filler words ("my", "the") are no slots."""
    slots: list[tuple[tuple[str, ...], ...]] = []
    for word in phrase.split():
        alternatives = tuple(
            tuple(stems) for part in word.split("|") if (stems := _stems(part.replace("_", " ")))
        )
        if alternatives and not all(len(a) == 1 and a[0] in _FILLER for a in alternatives):
            slots.append(alternatives)
    return Situation(phrase, tuple(slots))


def situations(trade: Trade, phrases: Iterable[str] = ()) -> list[Situation]:
    """The trade's situations, the general ones and the business's own phrases."""
    texts = [*GENERAL, *TRADES.get(trade, ()), *phrases]
    return [found for text in dict.fromkeys(texts) if (found := situation(text)).slots]


def _positions(stems: Sequence[str], alternative: tuple[str, ...]) -> list[int]:
    size = len(alternative)
    return [i for i in range(len(stems) - size + 1) if tuple(stems[i : i + size]) == alternative]


def _spans(stems: Sequence[str], found: Situation) -> Iterator[tuple[int, int]]:
    """The first and last word of each place where every slot of the situation is heard."""
    places = [
        sorted(p for alternative in slot for p in _positions(stems, alternative))
        for slot in found.slots
    ]
    if not all(places):
        return
    for anchor in places[0]:
        near = [[p for p in slot if abs(p - anchor) <= WINDOW] for slot in places[1:]]
        if all(near):
            ends = [anchor, *(min(slot, key=lambda p: abs(p - anchor)) for slot in near)]
            yield min(ends), max(ends)


def _not_now(stems: Sequence[str], sentence: Sequence[int], span: tuple[int, int]) -> bool:
    """A "not now" phrase near the situation, in a sentence it is said in: "Do you do
    emergency calls? My basement is flooding" asks nothing about the flood."""
    first, last = span[0] - NOT_NOW_WINDOW, span[1] + NOT_NOW_WINDOW
    said_in = {sentence[span[0]], sentence[span[1]]}
    return any(
        end >= first and start <= last and sentence[start] in said_in
        for guard in _guards()
        for start, end in _spans(stems, guard)
    )


@lru_cache(maxsize=1)
def _guards() -> tuple[Situation, ...]:
    return tuple(situation(text) for text in NOT_NOW)


def _heard(stems: Sequence[str], sentence: Sequence[int], found: Situation) -> bool:
    return any(not _not_now(stems, sentence, span) for span in _spans(stems, found))


def _sentences(utterance: str) -> tuple[list[str], list[int]]:
    """The utterance's stems and, for each, the number of its sentence."""
    stems: list[str] = []
    sentence: list[int] = []
    for number, part in enumerate(_SENTENCE_END.split(utterance)):
        found = _stems(part)
        stems += found
        sentence += [number] * len(found)
    return stems, sentence


def urgent_situation(utterance: str, trade: Trade, phrases: Iterable[str] = ()) -> str | None:
    """The urgent situation the caller describes (its phrase), or None."""
    stems, sentence = _sentences(utterance)
    if not stems:
        return None
    found = situations(trade, phrases)
    return next((s.phrase for s in found if _heard(stems, sentence, s)), None)


def described(trade: Trade, phrases: Iterable[str] = ()) -> list[str]:
    """The situations in words, for the LLM agent's instructions."""
    texts = dict.fromkeys([*GENERAL, *TRADES.get(trade, ()), *phrases])
    return [*(text.replace("|", " or ").replace("_", " ") for text in texts), NOT_NOW_IN_WORDS]
