"""Answering from the knowledge only when a passage supports the question.

The offline agent says at most two sentences of one passage. It says them only when the
passage (its title, headings and text) contains enough of what the question is about, and the
sentences chosen contain some of it too; otherwise it declines (``handover.decline``). How
much is enough depends on the kind of question (``question_kind``): the thresholds of
``MIN_SUPPORT`` were calibrated on the answer evaluation (``benchmarks/answer_eval.py``), on
its non-held-out businesses, to answer as many answerable questions as possible while
declining the unanswerable ones.

A negative statement is an answer: "We do not repair electric bikes" answers "do you fix
electric bikes?", and a yes/no question prefers the sentence that says no when it covers the
question as well as another.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from aicaller.agent.language import MONEY, QUESTION_WORDS, asks_price, normalise
from aicaller.agent.protocol import AgentReply, Intent, KnowledgeLookup
from aicaller.agent.speech import coverage, spoken_answer

SEARCH_LIMIT = 3
# The share of the question's words (stemmed) a passage must contain, per kind of question.
MIN_SUPPORT = {
    "price": 0.5,
    "yes_no": 0.5,
    "when": 0.5,
    "where": 0.5,
    "how": 0.5,
    "what": 0.5,
    "other": 0.5,
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


async def grounded_answer(knowledge: KnowledgeLookup, question: str) -> Lookup:
    """Two sentences of the best passage that supports ``question``, if one does."""
    found = await knowledge.search(question, SEARCH_LIMIT)
    terms = [term for term in found.terms if term not in QUESTION_WORDS]
    if not terms:
        return Lookup(None, bool(found.terms))
    kind = question_kind(question)
    prefer = MONEY if kind == "price" else None
    candidates = []
    for rank, hit in enumerate(found.hits):
        share = coverage(terms, hit.title, hit.heading_path, hit.text)
        if share >= MIN_SUPPORT[kind]:
            # A price question is answered by a passage with a price in it, if one is found.
            priced = prefer is not None and bool(prefer.search(hit.text))
            candidates.append((not priced, rank, share, hit))
    for _, _, share, hit in sorted(candidates, key=lambda item: item[:2]):
        text, covered = spoken_answer(hit.text, terms, prefer)
        if text and covered:
            source = hit.url or f"document:{hit.document_id}"
            reply = AgentReply(text, Intent.ANSWER, confidence=share, sources=(source,))
            return Lookup(reply, True)
    return Lookup(None, True)
