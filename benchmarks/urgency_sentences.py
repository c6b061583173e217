"""Urgent situations by the rules alone, on a set of callers' sentences: how many urgent
sentences the rules hear and how many everyday ones they would send to a person, per trade,
beside another revision's rules measured in the same run.

A set is a JSON list of ``{"trade", "text", "urgent", "why"}``. ``--show`` lists the sentences
the rules get wrong; it is refused for a held-out set (``--held-out``), whose sentences must
not be read before its one final score. Nothing runs but ``urgent_situation``.

    .venv/bin/python benchmarks/urgency_sentences.py --sentences FILE [--against main]
        [--show | --held-out]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from answer_eval_urgency import Rules, rules_at

from aicaller.agent.urgency import urgent_situation
from aicaller.businesses.schemas import Trade


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sentences", type=Path, required=True)
    parser.add_argument("--against", default="main")
    parser.add_argument("--held-out", action="store_true")
    parser.add_argument("--show", action="store_true")
    args = parser.parse_args()
    if args.show and args.held_out:
        parser.error("--show lists a held-out set's sentences")
    sentences = json.loads(args.sentences.read_text())
    answerers: dict[str, Rules] = {
        "this branch": urgent_situation,
        f"{args.against} rules": rules_at(args.against),
    }
    trades = sorted({s["trade"] for s in sentences})
    print("| trade | rules | urgent heard | everyday sent as urgent |")
    print("|---|---|---|---|")
    totals = {name: [0, 0, 0, 0] for name in answerers}
    for trade_name in trades:
        trade = Trade(trade_name)
        mine = [s for s in sentences if s["trade"] == trade_name]
        for name, rules in answerers.items():
            urgent = [s for s in mine if s["urgent"]]
            everyday = [s for s in mine if not s["urgent"]]
            missed = [s for s in urgent if rules(s["text"], trade, ()) is None]
            alarms = [s for s in everyday if rules(s["text"], trade, ()) is not None]
            counts = [len(urgent) - len(missed), len(urgent), len(alarms), len(everyday)]
            totals[name] = [a + b for a, b in zip(totals[name], counts, strict=True)]
            print(f"| {trade_name} | {name} | {counts[0]}/{counts[1]} | {counts[2]}/{counts[3]} |")
            if args.show and name == "this branch":
                for s in missed:
                    print(f"    missed: {s['text']}  [{s['why']}]")
                for s in alarms:
                    print(f"    alarm ({rules(s['text'], trade, ())}): {s['text']}")
    for name, (heard, of_urgent, sent, of_everyday) in totals.items():
        print(f"| all | {name} | {heard}/{of_urgent} | {sent}/{of_everyday} |")


if __name__ == "__main__":
    main()
