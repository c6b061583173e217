"""Whether the offline agent says the sentence it chose: a decision from several features.

One threshold on ``support`` (the weighted share of the question's words a sentence has)
could not tell right answers from wrong ones: below the thresholds, both scored in the same
range (ADR 0033). What else a person checks before answering does tell them apart, in part:
does the sentence itself name the question's most telling word, or only its heading? How
rare is the word it lacks? Does it stand out from the next best sentence? ``Evidence``
holds these for the chosen sentence, and ``accept`` weighs them with a logistic regression
whose coefficients are ``COEFFICIENTS``, fitted by ``benchmarks/answer_eval_decision.py``
(which also reports it leave-one-business-out) on the dialogue evaluation's development
businesses, never the held-out ones (ADR 0036).
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Evidence:
    """What speaks for the chosen sentence answering the question."""

    kind: str  # question_kind: price, yes_no, when, where, how, what, other
    support: float  # weighted share of the question's terms, less the lower-passage penalty
    key_in_sentence: bool  # the sentence itself names the rarest asked term found
    has_fact: bool  # an amount or a quantity, when the question asks for one

    def features(self) -> list[float]:
        """The regression's inputs, in ``FEATURES`` order."""
        return [
            self.support,
            float(self.key_in_sentence),
            float(self.has_fact),
            float(self.kind == "yes_no"),
        ]


FEATURES = ("support", "key_in_sentence", "has_fact", "yes_no")
# Fitted by benchmarks/answer_eval_decision.py (L2 5, cost 3) on the four development
# businesses; the intercept last.
COEFFICIENTS = (2.8831, 0.8490, 0.8706, 1.2299, -2.3852)
# The probability of a right answer from which the sentence is said: chosen with the
# coefficients, the lowest with the best correct - 3 x (wrong + unanswerable answered).
CUTOFF = 0.6381


def probability(evidence: Evidence, coefficients: tuple[float, ...] = COEFFICIENTS) -> float:
    """The regression's probability that the sentence answers the question."""
    *weights, intercept = coefficients
    value = intercept + sum(w * x for w, x in zip(weights, evidence.features(), strict=True))
    return 1 / (1 + math.exp(-value))


def accept(evidence: Evidence) -> bool:
    """Say the sentence: the regression finds it likely enough to be right."""
    return probability(evidence) >= CUTOFF
