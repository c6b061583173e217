"""Answering from the knowledge only when what would be said supports the question.

The offline agent says one sentence of a passage in its context (``passage.window``: the
sentence it carries on from, the one that carries it on, its section's heading when it needs
one). Each sentence of the best passages the search found is weighed by the share of the
question's words it contains, itself or in the headings it sits under, each word weighted by
how rare it is among the passages found (``_weights``: "dog" in a vet's every page says
little; "MRI" in none is exactly what the knowledge lacks). A word is also found as the
synonyms the search added for it ("warranty" for "guarantee"). Spoken filler ("um", "you
guys", "like") is no evidence either way. A sentence of a passage other than the search's
first needs ``candidates.RANK_PENALTY`` more support: on the evaluation's businesses,
sentences chosen from lower passages were almost never right (3 of 46 with no threshold)
against 32 of 73 from the first. The best sentence is said only when its share reaches the
threshold of the kind of question (``question_kind``, ``decision.py``); otherwise the agent
declines (``handover.decline``). A yes/no question naming (in the sentence that asks, ``asked.py``)
what no passage names is declined.

Whether the best sentence is said is ``decision.accept``'s call: a threshold per kind of
question (``decision.MIN_SUPPORT``), calibrated on the dialogue evaluation's development
businesses.

Words can match while the fact does not. The sentence must hold the kind of fact asked for
(``facts.py``: a percentage for a rate, a price and not a limit, a duration and not an
interval); a common word the caller said counts for nothing inside a proper name of the page
(``names.py``: "union" in "North Star Credit Union"); and a bare list item answers a yes/no
question only about its own item or heading (``candidates.answering``).

A negative statement is an answer: "We do not repair electric bikes" answers "do you fix
electric bikes?", and a yes/no question prefers the sentence that says no (itself or its
heading) when it supports the question as well as another.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from aicaller.agent import candidates as choice
from aicaller.agent.asked import asked_sentence, on_the_days, yes_no_lead
from aicaller.agent.candidates import Asked, Candidate
from aicaller.agent.decision import Evidence, accept
from aicaller.agent.facts import fact_asked
from aicaller.agent.language import QUESTION_WORDS, SPOKEN_FILLER, asks_price, normalise
from aicaller.agent.names import CallersNames
from aicaller.agent.passage import section_headings, window
from aicaller.agent.protocol import AgentReply, Intent, KnowledgeLookup
from aicaller.agent.terms import Terms, found_in, key_terms, names_what_is_not_there, weights_of

POOL = 12  # passages searched for: the best few are candidates, all of them weigh the terms
CONSIDERED, RESCORED = 6, 12  # passages whose sentences are candidates; sentences said again
PRICE_WORDS = frozenset(
    {"cost", "costs", "price", "prices", "pricing", "fee", "fees", "charge", "charges", "rate"}
    | {"rates", "expensive", "cheap", "pay", "much", "run", "runs"}
)
# With an embeddings endpoint, the threshold on support mixed with meaning
# (``candidates.MEANING_WEIGHT``), calibrated in the same way.
MIN_SUPPORT_WITH_MEANING = {
    "price": 0.55,
    "yes_no": 0.6,
    "when": 0.4,
    "where": 0.6,
    "how": 0.8,
    "what": 0.6,
    "other": 0.5,
}
_YES_NO = re.compile(r"^(?:do|does|can|could|are|is|will|would|should|have|has|did)\b")
_KINDS = (
    ("price", None),
    ("yes_no", _YES_NO),
    ("when", re.compile(r"\b(?:when|what time|how long|how soon|what day)\b")),
    ("where", re.compile(r"\bwhere\b")),
    ("how", re.compile(r"\bhow\b")),
    ("what", re.compile(r"\b(?:what|which|who)\b")),
)
_AMOUNT_ASKED = re.compile(r"\b(?:how much|how many|what|which)\b")
# Words asking whether a charge applies in a case, which a price list's row cannot say.
_APPLIES = re.compile(
    r"\b(?:still|on top|extra|additional|included|include|come off|comes off|toward|towards|"
    r"waive|waived|credited|refund|refundable)\b"
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


def _asked_clauses(question: str) -> list[str]:
    # The sentence that asks, not the story around it; a yes/no question may follow a clause
    # ("My Harley's ticking, do y'all work on bikes?").
    return [_LEAD_IN.sub("", normalise(clause)) for clause in asked_sentence(question).split(",")]


def _asks_yes_no(clauses: list[str]) -> bool:
    return any(_YES_NO.search(clause) for clause in clauses)


def asks_whether_it_applies(question: str) -> bool:
    """The question asks yes or no whether a charge applies ("do I still pay that fee on
    top?", "does that come off the treatment?"), not what it is."""
    said = normalise(question)
    if _APPLIES.search(said) is None or _AMOUNT_ASKED.search(said) is not None:
        return False
    return _asks_yes_no(_asked_clauses(question))


def question_kind(question: str) -> str:
    """price, yes_no, when, where, how, what or other: the calibration's unit."""
    if asks_price(question):
        return "price"
    clauses = _asked_clauses(question)
    if _asks_yes_no(clauses):
        return "yes_no"
    text = " ".join(clauses)
    return next((kind for kind, rule in _KINDS[2:] if rule and rule.search(text)), "other")


def _evidence(best: Candidate, asked: Asked) -> Evidence:
    """What speaks for saying ``best``."""
    named = asked.named(best.spoken)
    return Evidence(
        kind=asked.kind,
        support=best.support,
        key_in_sentence=bool(asked.keys) and asked.keys <= named,
        names_asked=bool(named),
        has_fact=best.has_fact,
    )


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
    wanted = Terms(terms, found.equivalents)
    passages = found_in(wanted, found.hits)
    weights = weights_of(wanted, passages)
    keys = key_terms(wanted, passages, weights, question)
    fact = fact_asked(question, kind)
    names = CallersNames(question)
    found_terms: set[str] = set().union(*passages)
    applies = kind == "price" and asks_whether_it_applies(question)  # only a price's row
    asked = Asked(question, kind, wanted, weights, fact, names, keys, found_terms, applies)
    first_pass = sorted(
        choice.first_pass(found.hits[:CONSIDERED], asked),
        # A price question looks at the sentences with an amount first.
        key=lambda c: (kind != "price" or fact is None or not fact(c.said[c.index]), -c.support),
    )
    # By meaning, every sentence is a candidate: its words may be none of the question's.
    pool = first_pass if found.meaning is not None else first_pass[:RESCORED]
    spoken = (choice.spoken(candidate, asked) for candidate in pool)
    candidates = [candidate for candidate in spoken if candidate is not None]
    mixed = None
    if found.meaning is not None and candidates:
        mixed = await choice.by_meaning(found.meaning, question, candidates)
    if mixed is not None:
        candidates = mixed
    elif kind == "yes_no" and names_what_is_not_there(wanted, passages, question):
        # By words alone, a yes/no question naming what no passage names is a guess; by
        # meaning, "bunnies" may well be the "rabbits" of a list.
        return Lookup(None, True)
    candidates = choice.answering(candidates, asked, by_words=mixed is None)
    if not candidates:
        return Lookup(None, True)
    best = max(candidates, key=lambda c: (round(c.support, 6), c.negative, -c.rank, -c.index))
    if mixed is not None:
        if best.support < MIN_SUPPORT_WITH_MEANING[kind]:
            return Lookup(None, True)
    elif not accept(_evidence(best, asked)):
        return Lookup(None, True)
    text = window(best.hit, best.said, best.index, wanted.searched)
    if kind == "yes_no":
        said_key = bool(keys) and keys <= wanted.present(text)
        lead = on_the_days(question, best.spoken)
        text = (lead or yes_no_lead(section_headings(best.hit), best.spoken, said_key)) + text
    reply = AgentReply(
        text,
        Intent.ANSWER,
        confidence=best.support,
        sources=(best.hit.url or f"document:{best.hit.document_id}",),
        notes=(f"passage {best.rank + 1}, sentence {best.index + 1}",),
    )
    return Lookup(reply, True)
