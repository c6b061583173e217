"""Answering from the knowledge only when what would be said supports the question.

The offline agent says one sentence of a passage (and the next when it carries on). Each
sentence of the best passages the search found is weighed by the share of the question's
words it contains, itself or in the headings it sits under, each word weighted by how rare it
is among the passages found (``_weights``: "dog" in a vet's every page says little; "MRI" in
none is exactly what the knowledge lacks). Spoken filler ("um", "you guys", "like") is no
evidence either way. The best sentence is said only when its share reaches the threshold of
the kind of question (``question_kind``); otherwise the agent declines (``handover.decline``).

``MIN_SUPPORT`` was calibrated per kind of question with ``benchmarks/answer_eval_calibrate.py``
on the dialogue evaluation's businesses that are not held out, with the search of issue 20
(page fusion, spoken-word expansions): per kind, the lowest threshold with the best
``correct - 2 * (wrong + unanswerable answered)``, since a wrong answer costs more than a
declined one, which still gets a callback (docs/benchmarks.md, "Answer evaluation").

A negative statement is an answer: "We do not repair electric bikes" answers "do you fix
electric bikes?", and a yes/no question prefers the sentence that says no when it supports the
question as well as another.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from aicaller.agent.language import MONEY, QUESTION_WORDS, SPOKEN_FILLER, asks_price, normalise
from aicaller.agent.protocol import AgentReply, Intent, KnowledgeLookup
from aicaller.agent.speech import said_from, sentences, stems, text_stems
from aicaller.knowledge.search.backend import SearchHit

POOL = 12  # passages searched for: the best few are candidates, all of them weigh the terms
CONSIDERED = 6
PRICE_WORDS = frozenset(
    {"cost", "costs", "price", "prices", "pricing", "fee", "fees", "charge", "charges", "rate"}
    | {"rates", "expensive", "cheap", "pay", "much", "run", "runs"}
)
# The weighted share of the question's words a sentence and its headings must contain.
MIN_SUPPORT = {
    "price": 0.45,
    "yes_no": 0.6,
    "when": 0.4,
    "where": 0.65,
    "how": 0.3,
    "what": 0.7,
    "other": 0.4,
}
_KINDS = (
    ("price", None),
    ("yes_no", re.compile(r"^(?:do|does|can|could|are|is|will|would|should|have|has|did)\b")),
    ("when", re.compile(r"\b(?:when|what time|how long|how soon|what day)\b")),
    ("where", re.compile(r"\bwhere\b")),
    ("how", re.compile(r"\bhow\b")),
    ("what", re.compile(r"\b(?:what|which|who)\b")),
)
_LEAD_IN = re.compile(
    r"^(?:(?:hi|hello|hey|um+|uh+|so|well|okay|ok|yes|yeah|and|also|quick question|"
    r"i was wondering|i wanted to ask|can you tell me|could you tell me|i'd like to know|"
    r"i would like to know)\s+)+"
)


@dataclass(frozen=True, slots=True)
class Lookup:
    """What the knowledge gave for a question: an answer it supports, or none; and whether
    the question had any words to search for at all."""

    reply: AgentReply | None
    searchable: bool


def question_kind(question: str) -> str:
    """price, yes_no, when, where, how, what or other: the calibration's unit."""
    if asks_price(question):
        return "price"
    text = _LEAD_IN.sub("", normalise(question))
    return next((kind for kind, rule in _KINDS[1:] if rule and rule.search(text)), "other")


def _weights(terms: list[str], hits: list[SearchHit]) -> dict[str, float]:
    """Each term's weight by stem: how rare it is among the passages the search found (a term
    in every one says little about which answers; one in none is what the knowledge lacks)."""
    found = [text_stems(f"{hit.title} {hit.heading_path} {hit.text}") for hit in hits]
    size = len(found)
    return {
        stem: math.log(1 + (size + 1) / (sum(stem in seen for seen in found) + 0.5))
        for stem in stems(terms)
    }


_NEGATIVE = re.compile(r"\b(?:not|no|never|don't|doesn't|can't|cannot|won't|isn't|aren't)\b")


@dataclass(frozen=True, slots=True)
class _Candidate:
    support: float
    priced: bool
    negative: bool
    rank: int
    index: int
    said: list[str]
    hit: SearchHit


def _candidates(
    hits: list[SearchHit], wanted: set[str], weights: dict[str, float], kind: str
) -> list[_Candidate]:
    """Every sentence of the best passages, with the weighted share of the question's terms
    found in it and the headings it sits under (what the caller would hear it as about)."""
    total = sum(weights.values())
    found = []
    for rank, hit in enumerate(hits):
        said = sentences(hit.text)
        context = text_stems(f"{hit.title} {hit.heading_path}")
        for index, sentence in enumerate(said):
            present = wanted & (text_stems(sentence) | context)
            share = sum(weights[stem] for stem in present) / total if total else 0.0
            priced = kind == "price" and bool(MONEY.search(sentence))
            negative = kind == "yes_no" and bool(_NEGATIVE.search(sentence.lower()))
            found.append(_Candidate(share, priced, negative, rank, index, said, hit))
    return found


async def grounded_answer(knowledge: KnowledgeLookup, question: str) -> Lookup:
    """The sentence (and the one after it when it carries on) of the best passages that best
    supports ``question``, if one supports it enough for its kind of question."""
    found = await knowledge.search(question, POOL)
    terms = [t for t in found.terms if t not in QUESTION_WORDS and t not in SPOKEN_FILLER]
    if not terms:
        return Lookup(None, bool(found.terms))
    kind = question_kind(question)
    if kind == "price":
        # The amount is the evidence: "what do you charge for X" is answered by "X: $350".
        terms = [term for term in terms if term not in PRICE_WORDS] or terms
    weights = _weights(terms, found.hits)
    wanted = set(weights)
    candidates = _candidates(found.hits[:CONSIDERED], wanted, weights, kind)
    if kind == "price" and any(c.priced for c in candidates):
        # A price question is answered by a sentence with a price in it, if one is found.
        candidates = [c for c in candidates if c.priced]
    if not candidates:
        return Lookup(None, True)
    best = max(candidates, key=lambda c: (round(c.support, 6), c.negative, -c.rank, -c.index))
    if best.support < MIN_SUPPORT[kind]:
        return Lookup(None, True)
    text = said_from(best.said, best.index, wanted)
    source = best.hit.url or f"document:{best.hit.document_id}"
    reply = AgentReply(text, Intent.ANSWER, confidence=best.support, sources=(source,))
    return Lookup(reply, True)
