"""Urgent situations: what a caller says that must reach a person at once.

A situation is written as words, each a slot that the caller's words must fill, in any order
and within a few words of each other: "smell gas" is heard in "I can smell gas in the
kitchen" and in "there's a gas smell". A slot may list alternatives with "|"
("burst|broken pipe"), and an alternative of several words must be said as written
("passed out"). Words are compared by their stems, so "flooding" fills "flood".

Every business gets the situations of its trade (below; the general ones apply to all) and
the phrases its admin adds (``emergency_phrases``). They are deliberately specific: "bleeding"
alone would send "do you treat bleeding gums?" to a person, so it needs "a lot", "badly" or
"won't stop" beside it. Nothing here needs a model or the network, so the rules hold on the
offline agent and are given, word for word, to the LLM agent as instructions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

from aicaller.businesses.schemas import Trade

WINDOW = 10  # words: every slot of a situation is filled within this distance of the others
_stemmer = snowballstemmer.stemmer("english")
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_FILLER = frozenset({"a", "an", "the", "my", "our", "is", "are", "of", "in", "on", "it", "its"})

_GENERAL = (
    "chest pain|pains",
    "heart_attack",
    "a_stroke|having_stroke",
    "can't|cannot|not|trouble|struggling|difficulty breathe|breathing",
    "unconscious|unresponsive|collapsed",
    "passed_out",
    "bleed|bleeding|blood lot|badly|heavily|everywhere|won't",
    "seizure|convulsing|convulsions",
    "overdose|poisoned",
    "on_fire",
    "caught_fire",
    "house|building|kitchen|room fire",
    "kill_myself",
    "suicidal",
    # A caller in danger from someone, whatever the business.
    "kill|hurt|hit|shoved|pushed|punched|beat|beating|attacked|threatened|choked|strangled me",
    "carbon_monoxide",
    "exhaust|fumes dizzy|headache|inside|faint|sleepy",
    "in_danger",
    "this_is_an_emergency|it's_an_emergency|it_is_an_emergency|this_is_urgent|it's_urgent",
)
_GAS = (
    "smell|smells|smelling|odor|odour|leak|leaking|hissing gas|propane",
    "rotten_eggs",
    "carbon_monoxide",
    "co alarm|detector",
    "alarm|detector beeping|going_off carbon|co|gas",
)
_WATER = (
    "flood|flooding|flooded",
    "burst|broken|bursting|spraying|gushing pipe|pipes|main",
    # The same said as callers say it ("a pipe busted", "the water line broke").
    "broke|busted|bust|popped|blew|ruptured pipe|pipes|water_main|water_line|supply_line|hose",
    "water pouring|gushing|everywhere|spraying|coming|shooting|spewing|squirting",
    "sewage|sewer backing|overflowing|coming",
    "water_heater leaking|burst|flooding|pouring",
    "frozen pipe|pipes",
    "ceiling collapsing|leaking|dripping|falling",
)
_ELECTRIC = (
    "sparks|sparking|arcing",
    "burning|smoke smell|smells|coming",
    "electric|electrical shock",
    "electrocuted",
    "power|electric line|lines down",
    "wire|wires live|exposed|hanging",
)
_LOCKED_OUT = ("locked_out", "locked inside|car|house|room", "locked keys")
_TRADE: dict[Trade, tuple[str, ...]] = {
    Trade.GENERAL: (),
    Trade.PLUMBING_HVAC: (
        *_GAS,
        *_WATER,
        "no heat|heating|hot_air",
        "furnace|boiler|heater stopped|died|quit|out|broken|working",
        "furnace|boiler|heater|unit sparks|smoke|burning|flames",
        "no|out ac|air_conditioning|cooling elderly|baby|heat|hundred",
        # What callers of a plumber or a heating company say when it cannot wait (general
        # knowledge of the trade: water that will not stop, no way to shut it off, no heat
        # in a freeze, water near electricity).
        "toilet|tub|sink|drain|washer overflowing|overflow|won't_stop|flooding|spilling",
        "can't|cannot|won't|unable shut_off|turn_off|shutoff|stop water|valve|leak",
        "shutoff|shut_off valve broken|stuck|won't|snapped",
        "froze pipe|pipes|line|lines",
        "no|without water house|whole|anywhere|taps|faucets",
        "sump pump failed|stopped|died|broken|quit|working",
        "leaking|dripping|pouring|spraying electrical|panel|outlet|outlets|breaker|wires",
        "heat|heater|furnace|boiler went|gone|quit out|off|dead",
        "boiler|heater|tank hissing|rumbling|bulging|leaking",
        # Water where it does damage by the minute, sewage in the house, cold that freezes
        # pipes or people: what a plumbing and heating company's emergency line is for.
        "basement|crawlspace|cellar filling|flooding|flooded|inches water",
        "coming_through|pouring_through|dripping_through|leaking_through ceiling|light|fixture",
        "ceiling bulging|sagging|caving|collapsing|soaked",
        "raw_sewage",
        "sewage|sewer|toilet|toilets|drains|shower|tub backed_up|bubbling_up|coming_up",
        "pipe|pipes froze|cracked|split",
        "no_heat|without_heat freezing|baby|elderly|kids|below",
        "scalding|boiling water everywhere|pouring|spraying|leaking",
        # A heating appliance that may be giving off carbon monoxide or burning (general
        # knowledge of the trade: symptoms near a furnace, a burning smell at the vents, a
        # relief valve venting scalding water).
        "furnace|heater|boiler dizzy|headache|headaches|nauseous|nausea",
        "burning|electrical smell|smells|odor vent|vents|register|registers|furnace|unit",
        "relief|pressure valve blowing|spraying|discharging|gushing",
        # No heat said as the appliance not starting, a gas line hit while digging, a
        # heating appliance that bangs or blew (general knowledge of the trade, ADR 0033).
        "furnace|boiler|heater|heat won't|wont|isn't|not|doesn't|stopped turn_on|come_on|"
        "kick_on|start|starting|working|firing",
        "hit|cut|nicked|damaged|struck|broke gas_line|gas_pipe|gas_main|gas_meter",
        "furnace|boiler|heater|water_heater banging|booming|exploded|explosion|boom",
    ),
    Trade.ELECTRICAL: (*_ELECTRIC, *_GAS),
    Trade.PROPERTY: (*_GAS, *_WATER, *_LOCKED_OUT, *_ELECTRIC[:3]),
    Trade.LOCKSMITH: (*_LOCKED_OUT, "break_in|broken_into|burglary|burgled"),
    Trade.AUTO_REPAIR: (
        "accident|crash|crashed|collision just|hurt|injured|bleeding",
        "brake|brakes|pedal failed|gone|failing|floor|nothing",
        "no_brakes|brake_failure",
        "smoke|steam|flames|flame hood|bonnet|engine|car",
        "stranded|stuck|broke|broken|died|stalled highway|motorway|freeway|interstate|shoulder",
        "car_fire",
        "smell|smells|leaking|leak gas|gasoline|fuel|petrol",
        "steering wheel|failed|locked|gone",
        "wheel|tire came_off|fell_off|flew_off",
    ),
    Trade.DENTAL: (
        "swollen|swelling face|jaw|cheek|eye",
        "tooth|teeth knocked",
        "abscess",
        "severe|unbearable|excruciating pain|toothache",
    ),
    Trade.MEDICAL: (
        "allergic_reaction",
        "anaphylaxis|anaphylactic",
        "swollen|swelling throat|tongue|lips",
        "severe|unbearable|excruciating pain",
        "high fever baby|infant|newborn",
    ),
    Trade.VETERINARY: (
        "hit car|truck",
        "sugar_free|sugarless gum|candy|ate|eaten|swallowed",
        "litter|pee|urinate|peeing nothing|straining|blocked|blood",
        "stomach|belly|abdomen puffed|bloated|swollen|hard|distended",
        "trying|tries|keeps throw_up|vomit|retching nothing",
        "dry_heaving|retching",
        "shaking|twitching|trembling|convulsing|seizing floor|won't|minutes|stop",
        "rabbit|bunny|guinea|chinchilla hasn't|not|stopped|won't eating|eaten|eat|poop|poops",
        "ate|eaten|swallowed|chewed|licked chocolate|poison|antifreeze|xylitol|grapes|raisins|"
        "lily|lilies|rat|medication|pills",
        "bloated|bloat|swollen belly|stomach",
        "can't|cannot stand|walk|pee|urinate",
        "straining pee|urinate|urinating",
        "vomiting|throwing blood",
        "giving birth|labor|labour trouble|stuck|hours",
        "heatstroke|heat_stroke",
        "attacked|bitten dog|animal",
        "not moving|responding",
    ),
    Trade.LEGAL: (
        "arrested|detained just|now|tonight|today|been|was",
        "taken|took|pulled|kidnapped|abducted|grabbed|snatched daughter|son|child|kids|baby|"
        "him|her|them state|country|school|class|allowed|order",
        "not_allowed|violating|violated|breaking order|custody",
        "already|just wired payment|money|funds|deposit|down_payment",
        "bank_information|bank_details|wiring_instructions new|changed|email|different",
        "hospice|deathbed|any_day_now|life_support|is_dying",
        "in_jail|police_station",
        "court|hearing today|tomorrow|morning",
        "restraining_order|protective_order",
        "threatening|threatened hurt|kill|harm",
        "domestic_violence",
        "evicted|locked today|tonight|now",
        "deadline today|tomorrow",
    ),
}


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
    texts = [*_GENERAL, *_TRADE.get(trade, ()), *phrases]
    return [found for text in dict.fromkeys(texts) if (found := situation(text)).slots]


def _positions(stems: Sequence[str], alternative: tuple[str, ...]) -> list[int]:
    size = len(alternative)
    return [i for i in range(len(stems) - size + 1) if tuple(stems[i : i + size]) == alternative]


def _heard(stems: Sequence[str], found: Situation) -> bool:
    places = [
        sorted(p for alternative in slot for p in _positions(stems, alternative))
        for slot in found.slots
    ]
    if not all(places):
        return False
    return any(
        all(any(abs(p - anchor) <= WINDOW for p in slot) for slot in places[1:])
        for anchor in places[0]
    )


def urgent_situation(utterance: str, trade: Trade, phrases: Iterable[str] = ()) -> str | None:
    """The urgent situation the caller describes (its phrase), or None."""
    stems = _stems(utterance)
    if not stems:
        return None
    return next((s.phrase for s in situations(trade, phrases) if _heard(stems, s)), None)


def described(trade: Trade, phrases: Iterable[str] = ()) -> list[str]:
    """The situations in words, for the LLM agent's instructions."""
    texts = dict.fromkeys([*_GENERAL, *_TRADE.get(trade, ()), *phrases])
    return [text.replace("|", " or ").replace("_", " ") for text in texts]
