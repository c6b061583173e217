"""The sentences the offline agent may say for a question, each weighed (``grounded.py``).

Every sentence of the best passages is a candidate, weighed by the share of the question's
words it and its headings have (``first_pass``), and the best again on what would actually be
said of it (``spoken``). Then the candidates that cannot be the answer are left out
(``answering``): a sentence without the kind of fact asked for (``facts.py``), an amount or
a count of something other than what was named, or a list item of another topic for a
yes/no question.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from aicaller.agent.asked import counted
from aicaller.agent.facts import Fact
from aicaller.agent.names import CallersNames
from aicaller.agent.passage import is_fragment, negative, section_headings
from aicaller.agent.protocol import Meaning
from aicaller.agent.speech import raw_sentences, speakable
from aicaller.agent.terms import Terms, share
from aicaller.knowledge.search.backend import SearchHit

RANK_PENALTY = 0.2  # support a sentence of a passage other than the first must add
# With an embeddings endpoint: the weighted share of the question's words a sentence has and
# its similarity in meaning to the question, mixed. Calibrated like ``decision.MIN_SUPPORT``;
# adding the two instead (meaning alone may then answer) was tried and lost.
MEANING_WEIGHT = 0.5


@dataclass(frozen=True, slots=True)
class Asked:
    """What the question asks, as the candidates are weighed against it."""

    question: str
    kind: str  # grounded.question_kind
    wanted: Terms
    weights: dict[str, float]
    fact: Fact | None  # what a sentence must hold, when the question asks for an amount
    names: CallersNames
    keys: set[str]  # the rarest asked terms some passage names
    found: set[str]  # the asked terms some passage names
    applies: bool = False  # asks whether a charge applies ("do I still pay the fee on top?")

    def names_said(self) -> set[str]:
        """The asked terms the caller said as proper names that some passage names."""
        return self.wanted.present(" ".join(self.names.capitalised)) & self.found

    def named(self, text: str) -> set[str]:
        """The asked terms ``text`` names, apart from inside names the caller did not say."""
        return self.wanted.present(self.names.common(text))


@dataclass(frozen=True, slots=True)
class Candidate:
    support: float
    has_fact: bool  # the kind of fact the question asks for: an amount, a quantity
    negative: bool
    rank: int
    index: int
    said: list[str]  # the passage's sentences, raw
    hit: SearchHit
    context: frozenset[str]  # the question's stems in the passage's title and headings
    spoken: str = ""  # what would be said of the sentence itself


def first_pass(hits: list[SearchHit], asked: Asked) -> list[Candidate]:
    """Every raw sentence of the best passages, with the weighted share of the question's
    terms found in it and the headings it sits under (what the caller would hear it as about):
    a cheap first pass, before the best are made speakable and weighed again (``spoken``)."""
    found = []
    for rank, hit in enumerate(hits):
        said = raw_sentences(hit.text)
        context = frozenset(asked.wanted.present(f"{hit.title} {hit.heading_path}"))
        for index, sentence in enumerate(said):
            part = share(asked.named(sentence) | context, asked.weights)
            found.append(Candidate(part, False, False, rank, index, said, hit, context))
    return found


def spoken(candidate: Candidate, asked: Asked) -> Candidate | None:
    """The candidate weighed again on what would be said of it (links, URLs and the end of
    a long sentence are not said), or None when it cannot be said (code, a fragment)."""
    first = speakable(candidate.said[candidate.index])
    if first is None:
        return None
    heading = section_headings(candidate.hit)
    return replace(
        candidate,
        support=share(asked.named(first) | candidate.context, asked.weights),
        has_fact=asked.fact is not None and asked.fact(first),
        negative=asked.kind == "yes_no" and negative(f"{heading} {first}"),
        spoken=first,
    )


async def by_meaning(
    meaning: Meaning, question: str, candidates: list[Candidate]
) -> list[Candidate] | None:
    """The candidates with their support mixed with their similarity in meaning to the
    question, or None when the endpoint cannot tell now. A sentence is compared alone and
    under its section's headings, the closer counting: the heading says what a list is
    about ("Small mammals: Rabbits, ..."), but a heading naming two things ("Spay & neuter")
    blurs which of its rows the question asked for."""
    said = [c.spoken for c in candidates]
    said += [f"{section_headings(c.hit)}: {c.spoken}" for c in candidates]
    similar = await meaning.similarities(question, said)
    if similar is None:
        return None
    count = len(candidates)
    return [
        replace(c, support=(1 - MEANING_WEIGHT) * c.support + MEANING_WEIGHT * value)
        for c, value in zip(candidates, map(max, similar[:count], similar[count:]), strict=True)
    ]


def answering(candidates: list[Candidate], asked: Asked, by_words: bool) -> list[Candidate]:
    """The candidates that may answer, a lower passage's less the rank penalty."""
    if by_words and asked.kind == "yes_no":
        # A list item answers "do you ...?" only about itself or its heading: "Liquid soil
        # treatment around the whole foundation" does not answer "must I sign up for a year?".
        # By meaning, "bunnies" may well be the "rabbits" of a list.
        candidates = [
            c for c in candidates
            if not is_fragment(c.spoken) or asked.keys & (asked.named(c.spoken) | c.context)
        ]  # fmt: skip
    candidates = [
        replace(c, support=c.support - (RANK_PENALTY if c.rank else 0.0)) for c in candidates
    ]
    if asked.fact is not None and (named := asked.names_said()):
        # An amount asked of a thing called by its name ("the warranty on a Generac") is said
        # of that thing, not of whatever else the page counts ("2 years on labor").
        candidates = [c for c in candidates if named <= asked.named(c.spoken) | c.context]
    if asked.kind == "price" and asked.applies:
        # "Do I still pay that checking fee on top?" is not answered by the fee's row
        # ("Check engine light diagnosis: $129."): only a statement can say yes or no.
        candidates = [c for c in candidates if not is_fragment(c.spoken)]
    if asked.kind == "price" and any(c.has_fact for c in candidates):
        # A price question is answered by a sentence with a price in it, if one is found.
        return [c for c in candidates if c.has_fact]
    if asked.fact is not None:
        # How long, what time: a quantity; "how many vets": a count of vets, said as such.
        thing = asked.wanted.present(counted(asked.question) or "")
        return [c for c in candidates if c.has_fact and thing <= asked.wanted.present(c.spoken)]
    return candidates
