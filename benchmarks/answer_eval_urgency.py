"""Urgent situations by the rules alone, on the evaluation's businesses: how many urgent
questions the rules recognise, and how many ordinary ones (answerable or unanswerable) they
would send to a person as emergencies: beside main's rules measured in the same run.

The trade is the one ``answer_eval_business.trade_of`` picks. Nothing is synced and no agent
runs: this counts what ``aicaller.agent.urgency.urgent_situation`` says of each question, so it
takes a second. Held-out businesses print totals only; ``--show`` lists the questions the rules
get wrong, for development businesses only.

    .venv/bin/python benchmarks/answer_eval_urgency.py [--business SLUG ...] [--show]
        [--against main]
"""

from __future__ import annotations

import argparse
import importlib.util
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from answer_eval_business import load_business, trade_of

from aicaller.agent.urgency import urgent_situation
from aicaller.businesses.schemas import Trade

Rules = Callable[[str, Trade, Iterable[str]], str | None]
ROOT = Path(__file__).resolve().parents[1]


def rules_at(revision: str) -> Rules:
    """``urgent_situation`` as it is at a git revision, with the data modules it has there."""
    with tempfile.TemporaryDirectory(prefix="urgency-") as name:
        folder = Path(name)
        listed = subprocess.run(  # noqa: S603 - git on our own repository
            ["git", "ls-tree", "--name-only", revision, "src/aicaller/agent/"],  # noqa: S607
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        names = [Path(p).stem for p in listed if Path(p).name.startswith(("urgency", "urgent_"))]
        for module_name in names:
            command = ["git", "show", f"{revision}:src/aicaller/agent/{module_name}.py"]
            shown = subprocess.run(  # noqa: S603 - git on our own repository
                command, cwd=ROOT, capture_output=True, text=True, check=False
            )
            if shown.returncode == 0:
                text = shown.stdout.replace("from aicaller.agent.urgent_", "from urgent_")
                (folder / f"{module_name}.py").write_text(text)
        sys.path.insert(0, str(folder))
        spec = importlib.util.spec_from_file_location(f"urgency_{revision}", folder / "urgency.py")
        assert spec is not None
        assert spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module  # dataclasses look their module up there
        spec.loader.exec_module(module)  # imports its data modules now, while they exist
        sys.path.remove(str(folder))
    found: Rules = module.urgent_situation
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=ROOT / "benchmarks" / "answer_data")
    parser.add_argument("--business", nargs="*", default=None)
    parser.add_argument("--show", action="store_true")
    parser.add_argument("--against", default="main")
    args = parser.parse_args()
    answerers: dict[str, Rules] = {
        "this branch": urgent_situation,
        f"{args.against} rules": rules_at(args.against),
    }
    print("| business | trade | rules | urgent recognised | ordinary sent as urgent |")
    print("|---|---|---|---|---|")
    totals: dict[str, list[int]] = {name: [0, 0, 0, 0] for name in answerers}
    for folder in sorted((args.data / "business").iterdir()):
        if args.business and folder.name not in args.business:
            continue
        business = load_business(folder)
        trade = trade_of(str(business.info.get("trade") or ""))
        phrases: list[str] = []  # as the dialogues set it up: the trade alone
        for name, rules in answerers.items():
            urgent = [q for q in business.questions if q["kind"] == "urgent"]
            ordinary = [q for q in business.questions if q["kind"] != "urgent"]
            missed = [q for q in urgent if rules(q["question"], trade, phrases) is None]
            alarms = [q for q in ordinary if rules(q["question"], trade, phrases) is not None]
            counts = [len(urgent) - len(missed), len(urgent), len(alarms), len(ordinary)]
            totals[name] = [a + b for a, b in zip(totals[name], counts, strict=True)]
            label = f"{business.slug} (held out)" if business.held_out else business.slug
            shown = "(held out)" if business.held_out else trade.value
            print(
                f"| {label} | {shown} | {name} | {counts[0]}/{counts[1]} | "
                f"{counts[2]}/{counts[3]} |"
            )
            if args.show and not business.held_out and name == "this branch":
                for q in missed:
                    print(f"    missed: {q['question']}")
                for q in alarms:
                    print(f"    alarm ({rules(q['question'], trade, phrases)}): {q['question']}")
    for name, (found, urgent, alarms, ordinary) in totals.items():
        print(f"| all | | {name} | {found}/{urgent} | {alarms}/{ordinary} |")


if __name__ == "__main__":
    main()
