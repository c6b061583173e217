"""The question's terms as the offline agent weighs them (``grounded.py``): each by its stem,
found also as the synonyms the search added for it (and, when long, as a longer word it
begins), and weighted by how rare it is among the passages the search found."""

from __future__ import annotations

import math

from aicaller.agent.asked import asked_sentence
from aicaller.agent.speech import stems, stems_begun_in, stems_in
from aicaller.knowledge.search.backend import SearchHit

# A question's stem this long also stands for a longer word it begins: callers shorten
# ("prenup" for "prenuptial", which the stemmer keeps apart); shorter stems begin too many
# unrelated words ("car" in "card"). ADR 0039.
PREFIX_STEM = 5


class Terms:
    """The question's terms by stem, each also found as one of its equivalents (the synonyms
    the search added for it: "warranty" stands for "guarantee")."""

    def __init__(self, terms: list[str], equivalents: dict[str, tuple[str, ...]]) -> None:
        self.alias: dict[str, str] = {}
        for term in terms:
            (own,) = stems([term])
            self.alias[own] = own
        for term in terms:
            (own,) = stems([term])
            for stem in stems(equivalents.get(term, ())):
                self.alias.setdefault(stem, own)
        self.stems = set(self.alias.values())
        self.searched = set(self.alias)

    def present(self, text: str) -> set[str]:
        """The stems of the terms ``text`` has, itself, by an equivalent, or begun by a long
        enough stem (``PREFIX_STEM``)."""
        found = stems_in(text, self.searched)
        if longer := {s for s in self.searched - found if len(s) >= PREFIX_STEM}:
            found |= stems_begun_in(text, longer)
        return {self.alias[stem] for stem in found}


def found_in(terms: Terms, hits: list[SearchHit]) -> list[set[str]]:
    """The stems of the terms each passage has (itself, its title or headings)."""
    return [terms.present(f"{hit.title} {hit.heading_path} {hit.text}") for hit in hits]


def names_what_is_not_there(terms: Terms, found: list[set[str]], question: str) -> bool:
    """A yes/no question about something none of the passages found names at all ("can I
    rent a tandem bike?" where "tandem" is nowhere): whatever is said would be a guess. Only
    the words of the sentence that asks count, not the caller's story around it."""
    return bool(terms.present(asked_sentence(question)) - set().union(*found))


def key_terms(
    terms: Terms, found: list[set[str]], weights: dict[str, float], question: str
) -> set[str]:
    """The rarest asked words some passage names (all on a tie): what a "yes" is about."""
    named = (terms.present(asked_sentence(question)) or terms.stems) & set().union(*found)
    return {stem for stem in named if weights[stem] == max(weights[n] for n in named)}


def weights_of(terms: Terms, found: list[set[str]]) -> dict[str, float]:
    """Each term's weight by stem: how rare it is among the passages the search found (a term
    in every one says little about which answers; one in none is what the knowledge lacks)."""
    size = len(found)
    return {
        stem: math.log(1 + (size + 1) / (sum(stem in seen for seen in found) + 0.5))
        for stem in terms.stems
    }


def share(present: set[str], weights: dict[str, float]) -> float:
    """The weight of the terms ``present`` over that of all the question's terms."""
    total = sum(weights.values())
    return sum(weights[stem] for stem in present) / total if total else 0.0
