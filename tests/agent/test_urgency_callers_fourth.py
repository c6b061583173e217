"""A fourth set of callers' sentences (``urgency_sets/fourth.json``, 16 trades, 128 urgent and
128 everyday), written by someone who never saw the rules, in British as well as American
words. It was the development set of ADR 0045: the rules were changed against it, with
general situations rather than a phrase per sentence, so what it scores is no estimate of
unseen words (the fifth set, ``test_urgency_callers_fifth.py``, is). A sentence the rules
still get wrong is listed in ``WRONG`` with the reason, and its test expects the wrong answer
(strict xfail), so that a later rule that fixes it says so.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from aicaller.agent.urgency import urgent_situation
from aicaller.businesses.schemas import Trade

SENTENCES = json.loads((Path(__file__).parent / "urgency_sets" / "fourth.json").read_text())

# Wrong on the rules as they are, and why.
WRONG = {
    "yeah there's rats running through the kitchen of my restaurant and we're in the middle "
    "of service": (
        "rats running in a restaurant is heard only beside customers or 'middle of service', "
        "which is too far away here; 'restaurant' alone would send every quote request"
    ),
}


def _cases(urgent: bool) -> list[object]:
    return [
        pytest.param(
            Trade(s["trade"]),
            s["text"],
            marks=pytest.mark.xfail(strict=True, reason=WRONG[s["text"]]),
            id=f"{s['trade']}-{s['text'][:60]}",
        )
        if s["text"] in WRONG
        else pytest.param(Trade(s["trade"]), s["text"], id=f"{s['trade']}-{s['text'][:60]}")
        for s in SENTENCES
        if s["urgent"] is urgent
    ]


def test_the_fourth_set_is_whole_and_its_wrong_sentences_are_in_it() -> None:
    assert [sum(s["urgent"] is u for s in SENTENCES) for u in (True, False)] == [128, 128]
    assert set(WRONG) <= {s["text"] for s in SENTENCES}


@pytest.mark.parametrize(("trade", "sentence"), _cases(urgent=True))
def test_a_fourth_set_of_emergencies_is_heard(trade: Trade, sentence: str) -> None:
    assert urgent_situation(sentence, trade) is not None


@pytest.mark.parametrize(("trade", "sentence"), _cases(urgent=False))
def test_a_fourth_set_of_everyday_questions_is_not_urgent(trade: Trade, sentence: str) -> None:
    assert urgent_situation(sentence, trade) is None
