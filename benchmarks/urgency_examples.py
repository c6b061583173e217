"""Writes the urgency exemplars the product ships (``src/aicaller/agent/urgent_examples.json``,
read by ``aicaller.agent.urgency_likeness``): the callers' sentences of ``urgency_similar``'s
exemplars with the fourth set, urgent or not. Never the fifth set nor a held-out business's
questions, even one a development set says in the same words
(``tests/agent/test_urgency_likeness.py`` checks).

    .venv/bin/python benchmarks/urgency_examples.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from urgency_similar import HELD_OUT, _business, _set, exemplars

TARGET = Path(__file__).resolve().parents[1] / "src" / "aicaller" / "agent" / "urgent_examples.json"


def main() -> None:
    # A held-out sentence said in the same words in a development set (an everyday question
    # two businesses are asked) is left out too: the held-out sets must stay unseen.
    held_out = {text for _, text, _ in _set("fifth")}
    held_out |= {text for slug in HELD_OUT for _, text, _ in _business(slug)}
    rows = [row for row in exemplars(with_fourth=True) if row[1] not in held_out]
    urgent = list(dict.fromkeys(text for _, text, is_urgent in rows if is_urgent))
    other = list(dict.fromkeys(text for _, text, is_urgent in rows if not is_urgent))
    # A sentence labelled both ways (same words, two trades) would pull both sides: left out.
    both = set(urgent) & set(other)
    examples = {
        "urgent": [text for text in urgent if text not in both],
        "other": [text for text in other if text not in both],
    }
    print(f"left out {len(exemplars(with_fourth=True)) - len(rows)} held-out sentences")
    TARGET.write_text(json.dumps(examples, indent=1, ensure_ascii=False) + "\n")
    print(f"{len(examples['urgent'])} urgent, {len(examples['other'])} other -> {TARGET}")


if __name__ == "__main__":
    main()
