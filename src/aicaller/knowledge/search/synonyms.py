"""Words a caller says for what a business's pages write otherwise, searched beside the
caller's own.

A caller asks "how much is it to ..." where the page that answers is a price list ("fees",
"rates"); "guarantee" where the site says "warranty"; "lawyer" where it says "attorney". Each
group below names words that trigger it (stemmed as the indexes stem them) and the words it
adds to the any-term query; the every-term query keeps the caller's own words only, so an added
word can widen a search but never make one fail. The groups are general English of small
businesses' calls, not any one business's words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from aicaller.knowledge.search.pages import stem


@dataclass(frozen=True, slots=True)
class SynonymGroup:
    adds: tuple[str, ...]
    triggers: frozenset[str]  # stems
    phrase: re.Pattern[str] | None = None  # a phrase that triggers it too ("how much")


def group(adds: str, triggers: str, phrase: str | None = None) -> SynonymGroup:
    return SynonymGroup(
        tuple(adds.split()),
        frozenset(stem(word) for word in (adds + " " + triggers).split()),
        re.compile(phrase) if phrase else None,
    )


DEFAULT_GROUPS = (
    group("price cost fee charge rate", "pricing expensive cheap quote", r"\bhow much\b"),
    group("guarantee warranty", ""),
    group("lawyer attorney", ""),
    group("veterinarian vet", ""),
    group("hours", "open opening close closing"),
    group("appointment book schedule", "booking"),
)


def expansions(
    question: str, terms: list[str], groups: tuple[SynonymGroup, ...] = DEFAULT_GROUPS
) -> list[str]:
    """The words to search beside ``terms`` (none already among them), in group order."""
    stems = {stem(term) for term in terms}
    spoken = question.lower()
    extra: list[str] = []
    for synonyms in groups:
        triggered = stems & synonyms.triggers or (
            synonyms.phrase is not None and synonyms.phrase.search(spoken)
        )
        if triggered:
            extra += [
                word for word in synonyms.adds if stem(word) not in stems and word not in extra
            ]
    return extra
