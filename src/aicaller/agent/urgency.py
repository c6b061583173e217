"""Urgent situations: what a caller says that must reach a person at once.

A situation is written as words, each a slot that the caller's words must fill, in any order
and within a few words of each other: "smell gas" is heard in "I can smell gas in the
kitchen" and in "there's a gas smell". A slot may list alternatives with "|"
("burst|broken pipe"), and an alternative of several words must be said as written
("passed out"). Words are compared by their stems, so "flooding" fills "flood".

Every business gets the situations of its trade (``urgent_trades``, ``urgent_services``, with
the building hazards of ``urgent_building``), those any business's caller can describe
(``urgent_general``, ``urgent_said_plainly``) and the phrases its admin adds
(``emergency_phrases``).
They are deliberately specific: "bleeding" alone would send "do you treat bleeding gums?" to a
person, so it needs "a lot", "badly" or "won't stop" beside it. A situation said near a "not
now" phrase in the same sentence (the past, a hypothetical, "do you fix ...") is no emergency
(ADR 0035), nor one asked about beforehand ("will the spray make my cat sick", ADR 0040).
Nothing here needs a model or the network, so the rules hold on the offline agent and are
given, word for word, to the LLM agent as instructions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

from aicaller.agent.urgent_general import GENERAL, GROUPS
from aicaller.agent.urgent_trades import TRADES
from aicaller.businesses.schemas import Trade

WINDOW = 10  # words: every slot of a situation is filled within this distance of the others
_stemmer = snowballstemmer.stemmer("english")
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
NOT_NOW_WINDOW = 6  # words: a "not now" phrase this close to a situation's words cancels it
# Heard near a situation, these make it no emergency now: the past, a hypothetical, someone
# else in general, the caller asking whether the business offers a service for it or what it
# costs, or a "sometimes", "next week" that says it can wait.
NOT_NOW = (
    "last_year|last_month|last_summer|last_winter|last_spring|last_fall|last_autumn|"
    "last_time|last_week|years_ago|months_ago|weeks_ago|year_ago|month_ago|week_ago|"
    "a_while_ago|while_back|used_to|as_a_kid|as_a_child|when_i_was|when_he_was|when_she_was|"
    "growing_up|back_then|years_back",
    "in_case|what_if|what_happens_if|if_ever|ever_happens|hypothetically|prevent|preventing|"
    "even_if|if_someone|if_something|if_anything|if_anyone|if_a|if_an|if_you|if_your|if_the|"
    "if_one|if_my|if_our|in_the_event|if_i'm|if_we're|if_i_get|if_we_get|if_i_ever|"
    "if_we_ever",
    "so_it_doesn't|so_it_won't|so_they_don't|so_they_won't|so_nothing|so_that|make_sure|"
    "so_you_don't|so_i_don't|so_we_don't|so_no_one|so_nobody|to_avoid|to_keep|from_being|"
    "from_getting|protect_against|protection_against|protected_against",
    "people_who|customers_who|families_who|anyone_who|those_who|clients_who|folks_who",
    "do_you_treat|do_you_fix|do_you_repair|do_you_clean|do_you_handle|do_you_install|"
    "do_you_remove|do_you_offer|do_you_sell|do_you_service|do_you_do|do_you_cover|"
    "do_you_help|do_you_deal|do_you_tow|do_you_move|do_you_inspect|do_you_protect|"
    "do_you_replace|do_you_fit|do_you_get_rid|do_you_provide|do_you_work_on|you_guys_do|you_guys_fix|"
    "you_guys_handle|you_guys_treat|you_guys_offer|you_guys_repair|y'all_do",
    "how_much|how_often|how_long_does|how_long_do|how_long_will|the_claim|my_claim|our_claim|"
    "insurance_claim|old_place|old_house|old_apartment|false_alarm|chirping|chirps|gun_safe|"
    "gun_safes|new_battery|needs_a_battery|change_the_battery|replace_the_battery|"
    "last_storm|last_big_storm|previous_storm|this_past|earlier_this_year|last_monday|"
    "last_tuesday|last_wednesday|last_thursday|last_friday|last_saturday|last_sunday|"
    "last_weekend|old_leak|previous_leak|next_monday|next_tuesday|next_wednesday|"
    "next_thursday|next_friday|next_saturday|next_sunday|next_weekend",
    # Over and dealt with: a scare, something since sorted or fixed.
    "a_scare|the_scare|leak_scare|gas_scare|fire_scare|smoke_scare|was_sorted|been_sorted|"
    "all_sorted|was_fixed|been_fixed|was_repaired|been_repaired",
    "sometimes|occasionally|get_a_lot_of|lots_of_power_cuts|now_and_then|once_in_a_while|from_time_to_time|every_so_often|"
    "when_i_brush|when_i_floss|next_week|next_month|no_rush|no_hurry|not_urgent|"
    "isn't_urgent|not_an_emergency|when_you_get_a_chance",
)
# Heard just before a situation (not after), a question whether it would happen: "will the
# spray make my cat sick" asks, "my cat got sick from the spray, will she be okay" tells.
ASKED_BEFORE = (
    "will_the|will_it|will_that|will_this|will_your|would_the|would_it|would_that|would_your|"
    "could_the|could_that|does_the|does_it|does_that|does_your|do_the|do_your|can_the|"
    "can_that|can_your",
)
# Said to the LLM agent after the situations: the same exceptions as NOT_NOW, in words.
NOT_NOW_IN_WORDS = (
    "none of these is urgent when the caller speaks of the past (last year, years ago, as a "
    "kid), of a hypothetical (in case, what if, if someone), of other people in general, asks "
    "whether the business offers a service for it (do you fix, do you treat), what it costs "
    "or how long it takes (how much, how long does), says it happens only sometimes or can "
    "wait (next week, no rush), or asks beforehand whether something would happen (will the "
    "spray make my cat sick)"
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
        parts = [p for part in word.split("|") for p in GROUPS.get(part, part).split("|")]
        alternatives = tuple(
            dict.fromkeys(
                tuple(stems) for part in parts if (stems := _stems(part.replace("_", " ")))
            )
        )
        if alternatives and not all(len(a) == 1 and a[0] in _FILLER for a in alternatives):
            slots.append(alternatives)
    return Situation(phrase, tuple(slots))


def situations(trade: Trade, phrases: Iterable[str] = ()) -> list[Situation]:
    """The trade's situations, the general ones and the business's own phrases."""
    texts = [*GENERAL, *TRADES.get(trade, ()), *phrases]
    return [found for text in dict.fromkeys(texts) if (found := situation(text)).slots]


@dataclass(frozen=True, slots=True)
class _Said:
    """An utterance's stems, where each stem is said, and the sentence of each word. The
    index makes a situation's thousands of alternatives cheap to look up."""

    stems: Sequence[str]
    at: dict[str, list[int]]
    sentence: Sequence[int]


def _positions(said: _Said, alternative: tuple[str, ...]) -> list[tuple[int, int]]:
    """Where the alternative is said: its first and last word."""
    size = len(alternative)
    return [
        (i, i + size - 1)
        for i in said.at.get(alternative[0], ())
        if size == 1 or tuple(said.stems[i : i + size]) == alternative
    ]


def _spans(said: _Said, found: Situation) -> Iterator[tuple[int, int]]:
    """The first and last word of each place where every slot of the situation is heard."""
    places: list[list[tuple[int, int]]] = []
    for slot in found.slots:
        place = sorted(p for alternative in slot for p in _positions(said, alternative))
        if not place:
            return
        places.append(place)
    for anchor in places[0]:
        near = [[p for p in slot if abs(p[0] - anchor[0]) <= WINDOW] for slot in places[1:]]
        if all(near):
            ends = [anchor, *(min(slot, key=lambda p: abs(p[0] - anchor[0])) for slot in near)]
            yield min(p[0] for p in ends), max(p[1] for p in ends)


def _not_now(said: _Said, span: tuple[int, int]) -> bool:
    """A "not now" phrase near the situation, in a sentence it is said in: "Do you do
    emergency calls? My basement is flooding" asks nothing about the flood. A question asked
    beforehand counts only before it: "will the spray make my cat sick" asks, "the spray made
    my cat sick, will she be okay" tells."""
    first, last = span[0] - NOT_NOW_WINDOW, span[1] + NOT_NOW_WINDOW
    said_in = {said.sentence[span[0]], said.sentence[span[1]]}
    return any(
        end >= first
        and start <= (last if anywhere else span[0] - 1)
        and said.sentence[start] in said_in
        for guard, anywhere in _guards()
        for start, end in _spans(said, guard)
    )


@lru_cache(maxsize=1)
def _guards() -> tuple[tuple[Situation, bool], ...]:
    """The "not now" phrases, each with whether it counts after the situation too."""
    return (
        *((situation(text), True) for text in NOT_NOW),
        *((situation(text), False) for text in ASKED_BEFORE),
    )


def _heard(said: _Said, found: Situation) -> bool:
    return any(not _not_now(said, span) for span in _spans(said, found))


def _sentences(utterance: str) -> _Said:
    """The utterance's stems, where each is said, and for each the number of its sentence."""
    stems: list[str] = []
    sentence: list[int] = []
    for number, part in enumerate(_SENTENCE_END.split(utterance)):
        found = _stems(part)
        stems += found
        sentence += [number] * len(found)
    at: dict[str, list[int]] = {}
    for position, stem in enumerate(stems):
        at.setdefault(stem, []).append(position)
    return _Said(stems, at, sentence)


def urgent_situation(utterance: str, trade: Trade, phrases: Iterable[str] = ()) -> str | None:
    """The urgent situation the caller describes (its phrase), or None."""
    said = _sentences(utterance)
    if not said.stems:
        return None
    found = situations(trade, phrases)
    return next((s.phrase for s in found if _heard(said, s)), None)


def _in_words(text: str) -> str:
    return text.replace("|", " or ").replace("_", " ")


# The general layer in brief, for the LLM agent. Its phrases (over 17,000 characters in
# words) are applied word for word to every utterance before the model is asked
# (``LlmAgent.reply``), so the model needs their kinds, not their list: every turn's prompt
# would otherwise carry some 5,000 tokens, paid in cost and in time before the first word.
GENERAL_IN_BRIEF = (
    "anyone hurt, ill or in danger right now (chest pain or tightness, a heart attack's look:"
    " gone grey, sweating, clutching the chest or arm; trouble breathing, unconscious, lying "
    "still and not responding or not waking up, a stroke, a sudden worst-ever headache, no "
    "feeling in the legs after a fall, labour, bleeding that won't stop, a bad fall, a broken"
    " bone or a limb at a wrong angle, a cut to the bone, a seizure or fit, choking, an "
    "allergic reaction, a diabetic's low sugar, a rash that won't fade with a fever, a baby "
    "too sleepy to feed, poisoning, an overdose or more medicine than prescribed, someone "
    "threatening to hurt themselves or others or turning aggressive on people), a child, an "
    "elderly or vulnerable person or a pet trapped, missing or in danger (locked in a car "
    "with the keys, a hot car, shut in a room by a jammed lock, swallowed something: pills, a"
    " magnet, a battery, a coin), power lost to an oxygen machine or other life support, an "
    "ambulance or fire engine that cannot get through, fire, smoke, sparks or a burning smell"
    " (smoke and sparks from any machine), a gas smell, a carbon monoxide alarm or a gas "
    "appliance sooting with headaches, water flooding in or pouring where it must not be "
    "(through a light, a switch or a socket), live or fallen wires and electric shocks, "
    "something collapsing or about to fall on someone (a sign, a gutter, bricks or glass over"
    " a pavement, a ceiling or roof bowing under water), a break-in, intruder or threat in "
    "progress or premises smashed open, someone locked out or locked in where that puts them "
    "at risk or who has locked themselves in and will not answer, a child stuck on a roof or "
    "ledge, a vehicle rolling away with no one in it, a wall or floor cracking as it moves, "
    "no heat in freezing weather or no cooling in dangerous heat for someone vulnerable"
)


def described(trade: Trade, phrases: Iterable[str] = ()) -> list[str]:
    """The situations in words, for the LLM agent's instructions: the general layer in brief
    (``GENERAL_IN_BRIEF``), then what each group's name (in capitals) used by the trade's and
    the business's situations stands for, those situations word for word, and the exceptions."""
    texts = dict.fromkeys([*TRADES.get(trade, ()), *phrases])
    used = [name for name in GROUPS if any(_names(text, name) for text in texts)]
    groups = [f"{name} means {_in_words(GROUPS[name])}" for name in used]
    situations = (_in_words(text) for text in texts)
    return [GENERAL_IN_BRIEF, *groups, *situations, NOT_NOW_IN_WORDS]


def _names(text: str, name: str) -> bool:
    return any(name in word.split("|") for word in text.split())
