"""A deterministic OpenAI-compatible ``/v1/embeddings`` peer on 127.0.0.1 for the tests.

Each word counts in one of ``DIMENSIONS`` dimensions: a word of a ``CONCEPTS`` group in that
group's own (so "drop in" and "same-day visit" are near, with no word in common, as a real
model makes them), any other word in one picked by its hash. Scripted replies (``route``)
stand in for a failing endpoint; every request is kept, with the texts it asked for.
"""

from __future__ import annotations

import hashlib
import json
import re

from tests.core.http_peer import LocalPeer, Reply

PATH = "/v1/embeddings"
DIMENSIONS = 64
CONCEPTS = (
    frozenset({"drop", "walk", "same", "day", "visit", "visits", "unannounced"}),
    frozenset({"cost", "costs", "price", "fee", "fees", "dollars", "charge"}),
    frozenset({"car", "park", "parking", "vehicle"}),
)
_WORD = re.compile(r"[a-z]+")


def vector(text: str) -> list[float]:
    counts = [0.0] * DIMENSIONS
    for word in _WORD.findall(text.lower()):
        group = next((i for i, concept in enumerate(CONCEPTS) if word in concept), None)
        if group is None:
            digest = hashlib.sha256(word.encode()).digest()
            group = len(CONCEPTS) + digest[0] % (DIMENSIONS - len(CONCEPTS))
            counts[group] += 0.2  # other words: a little, so the concepts decide
        else:
            counts[group] += 1.0
    return counts


class Embedder(LocalPeer):
    """Answers ``PATH`` with ``vector`` of each input unless a scripted reply is queued."""

    def base_url(self) -> str:
        return self.url("/v1")

    def inputs(self) -> list[list[str]]:
        """The texts of each embeddings request, in order."""
        return [json.loads(seen.body)["input"] for seen in self.requests if seen.target == PATH]

    def _next_reply(self, path: str) -> Reply:
        if path != PATH or self.routes.get(path):
            return super()._next_reply(path)
        texts = json.loads(self.requests[-1].body)["input"]
        data = [{"index": i, "embedding": vector(text)} for i, text in enumerate(texts)]
        body = json.dumps({"object": "list", "data": data, "model": "test"}).encode()
        return Reply(200, {"Content-Type": "application/json"}, body)
