"""Held-out caller sentences for the recogniser's word error rate: only reported, never tuned on.

``PLUMBER`` was written on 2026-12-07 at 19:20 UTC, before any change to the recogniser was
tried, for Ridgeline Plumbing, Heating & Air (``benchmarks/answer_data/business``), knowing
only its name and trade, as a caller would. ``LAW_FIRM`` is the first 30 answerable questions
of ``thornton_vale_law/questions.json``, written by another engineer for the answer-quality
evaluation (their fillers and numbers as words kept; punctuation dropped when scored). The
recogniser gets each business's own language model (built from its site), never one built
from these sentences.
"""

from __future__ import annotations

import json
from pathlib import Path

BUSINESSES = Path(__file__).resolve().parent / "answer_data" / "business"

PLUMBER = [
    "my water heater is leaking all over the garage floor",
    "can someone come out today to look at my furnace",
    "the kitchen sink is clogged and it will not drain",
    "how much do you charge for a service call",
    "do you work on weekends",
    "my air conditioner is blowing warm air",
    "there is no hot water in the house",
    "I think I have a gas leak what should I do",
    "can you replace a toilet",
    "do you install tankless water heaters",
    "the pipe under my bathroom sink burst",
    "what areas do you cover",
    "I would like to schedule a tune up for my heater",
    "do you give free estimates",
    "my basement is flooding",
    "how soon can a plumber get here",
    "is there an extra charge for emergency calls",
    "the thermostat is not working",
    "can I talk to a technician",
    "I need a quote for a new air conditioning unit",
    "do you offer a maintenance plan",
    "my shower has very low water pressure",
    "the garbage disposal is jammed",
    "are your plumbers licensed and insured",
    "can you come back tomorrow morning",
    "my carbon monoxide alarm keeps beeping",
    "do you clean drains with a camera",
    "what time do you open on saturday",
    "I want to cancel my appointment for thursday",
    "thanks that is all I needed",
]


def law_firm() -> list[str]:
    """The other writer's questions (see the module's docstring)."""
    path = BUSINESSES / "thornton_vale_law" / "questions.json"
    questions = json.loads(path.read_text())["questions"]
    return [q["question"] for q in questions if q["kind"] == "answerable"][:30]
