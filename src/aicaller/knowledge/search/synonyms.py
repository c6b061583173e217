"""Words a caller says for what a business's pages write otherwise, searched beside the
caller's own.

A caller asks "how much is it to ..." where the page that answers is a price list ("fees",
"rates"); "guarantee" where the site says "warranty"; "lawyer" where it says "attorney". Each
group below names words that trigger it (stemmed as the indexes stem them) and the words it
adds to the any-term query; the every-term query keeps the caller's own words only, so an added
word can widen a search but never make one fail. The groups are general English of small
businesses' calls, not any one business's words: what a job "runs" a caller is its price, a
card named ("Amex") asks about payment, money "up front" is a deposit, "who runs it" or "your
guy for generators" asks for the team. Others are the language of documentation: what a user makes
"of their own" (a command, a template filter, a lookup) is what documentation calls "custom",
an "old database" is a "legacy" one, "quick" or "slow" is about "performance", and what
software "remembers" it stores, caches or records (ADR 0043).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from aicaller.knowledge.search.pages import stem
from aicaller.knowledge.search.query import search_terms


@dataclass(frozen=True, slots=True)
class SynonymGroup:
    adds: tuple[str, ...]
    triggers: tuple[frozenset[str], ...]  # each the stems of a word or phrase
    phrase: re.Pattern[str] | None = None  # a phrase that triggers it too ("how much")

    def triggered(self, stems: set[str], spoken: str) -> bool:
        """The question (its stems, its lowercase text) names one of the group's words."""
        if any(trigger <= stems for trigger in self.triggers):
            return True
        return self.phrase is not None and self.phrase.search(spoken) is not None


def group(
    adds: str, triggers: str = "", phrase: str | None = None, *, adds_trigger: bool = True
) -> SynonymGroup:
    """A group adding the words ``adds`` when a question names one of ``triggers`` (or of
    ``adds``, unless not ``adds_trigger``: "save" is no reason to search for "remember") or
    says ``phrase``, a regular expression."""
    words = (adds + " " + triggers if adds_trigger else triggers).split()
    return SynonymGroup(
        tuple(adds.split()),
        tuple(frozenset({stem(word)}) for word in words),
        re.compile(phrase) if phrase else None,
    )


def phrase_group(phrases: list[str]) -> SynonymGroup:
    """A business's own group: each entry a word or a phrase ("walk in"), which triggers it
    when the question holds all its search terms (common words are none); the entries' terms
    are what it adds."""
    entries = [search_terms(entry) for entry in phrases]
    return SynonymGroup(
        tuple(dict.fromkeys(word for entry in entries for word in entry)),
        tuple(frozenset(stem(word) for word in entry) for entry in entries if entry),
    )


_WHAT_IT_RUNS = r"\bwhat(?:['\u2019]s| is) (?:that|it|this) (?:gonna |going to )?run\b"
_WHO_RUNS = r"\bwho(?:['\u2019]s| is)? (?:runs?|running|owns?|in charge)\b"
_WHO_IS_THE = r"\byour (?:guy|person|people) for\b|\bwho(?:['\u2019]s| is) the (?:guy|person|one)\b"

DEFAULT_GROUPS = (
    group(
        "price cost fee charge rate",
        "pricing expensive cheap quote",
        rf"\bhow much\b|\brun (?:me|us|you)\b|{_WHAT_IT_RUNS}",
    ),
    group("payment pay", "amex visa mastercard credit debit card"),
    group("deposit", "upfront", r"\bup front\b|\bdown payment\b"),
    group("guarantee warranty", ""),
    group("lawyer attorney", ""),
    group("veterinarian vet", ""),
    group("hours", "open opening close closing"),
    group("appointment book schedule", "booking"),
    group("team owner", "staff", f"{_WHO_RUNS}|{_WHO_IS_THE}"),
    group("custom", "", r"\b(?:my|our|your|their) own\b"),
    group("legacy", "", r"\b(?:old|existing) (?:database|system|code|project|app)"),
    group("performance optimization", "quick quickly faster slow", r"\bspeed up\b"),
    group("store cache record", "remember", adds_trigger=False),
)


def expansions(
    question: str, terms: list[str], groups: tuple[SynonymGroup, ...] = DEFAULT_GROUPS
) -> list[str]:
    """The words to search beside ``terms`` (none already among them), in group order."""
    stems = {stem(term) for term in terms}
    spoken = question.lower()
    extra: list[str] = []
    for synonyms in groups:
        if synonyms.triggered(stems, spoken):
            extra += [
                word for word in synonyms.adds if stem(word) not in stems and word not in extra
            ]
    return extra
