"""Urgency by likeness: a caller's question that sounds like the urgent callers' sentences the
product ships (``urgent_examples.json``) more than like the everyday ones is urgent, though no
rule (``aicaller.agent.urgency``) names it. An addition to the rules, only for a business with
an embeddings endpoint (ADR 0048).

A sentence's score is the mean cosine of its ``NEAREST`` nearest urgent examples minus that of
its ``NEAREST`` nearest others; above ``MARGIN`` it is urgent (``benchmarks/urgency_similar.py``
chose both). The examples' vectors are kept once per process and endpoint, fetched in the
background the first time a business's caller needs them: a turn embeds the caller's words
alone, and until the examples are kept, or whenever the endpoint cannot answer, the rules
alone decide.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import numpy as np

from aicaller.agent.knowledge import BusinessKnowledge
from aicaller.agent.protocol import KnowledgeLookup

EXAMPLES = Path(__file__).with_name("urgent_examples.json")
SET_NAME = "urgent_examples"
NEAREST = 3
MARGIN = 0.06


@cache
def examples() -> tuple[tuple[str, ...], int]:
    """The examples, urgent first, and how many are urgent."""
    loaded = json.loads(EXAMPLES.read_text(encoding="utf-8"))
    urgent, other = loaded["urgent"], loaded["other"]
    return (*urgent, *other), len(urgent)


async def sounds_urgent(knowledge: KnowledgeLookup, utterance: str) -> bool:
    """Whether ``utterance`` sounds like the urgent examples; False whenever it cannot be told
    now (no endpoint, the examples not kept yet, the endpoint down)."""
    if not isinstance(knowledge, BusinessKnowledge):
        return False  # a test's or a script's knowledge: no endpoint
    sentences, urgent = examples()
    similar = await knowledge.meaning.similarities_to_set(utterance, SET_NAME, sentences)
    if similar is None:
        return False
    near_urgent = np.sort(similar[:urgent])[-NEAREST:].mean()
    near_other = np.sort(similar[urgent:])[-NEAREST:].mean()
    return bool(near_urgent - near_other > MARGIN)


async def warm_up(knowledge: BusinessKnowledge) -> None:
    """Keep the examples now and wait for them (benchmarks: their first question is then
    judged as later ones; a call never waits)."""
    task = await knowledge.meaning.keep_set(SET_NAME, examples()[0])
    if task is not None:
        await task
