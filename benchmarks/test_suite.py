"""The test suite's wall time and its slowest tests, to keep it inside its budget.

Runs pytest once in a subprocess (as ``make test`` does: worker processes, one per core, at most
4, unless ``--serial``; coverage unless ``--no-cov``; PostgreSQL and Redis too when
``AICALLER_TEST_DATABASE_URL`` / ``AICALLER_TEST_REDIS_URL`` are set), then prints the wall
time, the outcome counts, the time per engine, and the ``--top`` slowest tests with setup, call
and teardown added up. Extra arguments go to pytest.

    .venv/bin/python benchmarks/test_suite.py [--no-cov] [--serial] [--top 20] [-- pytest args]

The budget (CONTRIBUTING.md): ``make test`` <= 5 minutes, ``.ci/run`` <= 20 minutes on the
2-core development machine. Results go in docs/benchmarks.md ("Test suite").
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _run(pytest_args: list[str], coverage: bool, serial: bool, report: Path) -> tuple[float, int]:
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
    if not serial:
        command += ["-n", "auto", "--maxprocesses", "4"]
    command += ["--junitxml", str(report), "-o", "junit_duration_report=total"]
    if coverage:
        command += ["--cov=aicaller", "--cov-report="]
    started = time.perf_counter()
    finished = subprocess.run([*command, *pytest_args], cwd=ROOT, check=False)  # noqa: S603
    return time.perf_counter() - started, finished.returncode


def _cases(report: Path) -> list[tuple[str, float, str]]:
    """(test id, seconds with setup and teardown, outcome) per test."""
    tree = ET.parse(report)  # noqa: S314 - written by our own pytest a moment ago
    cases = []
    for case in tree.iter("testcase"):
        outcome = "passed"
        for child in case:
            if child.tag in {"failure", "error", "skipped"}:
                outcome = child.tag
        name = f"{case.get('classname', '')}::{case.get('name', '')}"
        cases.append((name, float(case.get("time", "0")), outcome))
    return cases


def _engine(test_id: str) -> str:
    for engine in ("postgresql", "sqlite"):
        if f"[{engine}" in test_id or f"-{engine}" in test_id:
            return engine
    return "either"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-cov", action="store_true", help="without coverage")
    parser.add_argument("--serial", action="store_true", help="one process, no xdist workers")
    parser.add_argument("--top", type=int, default=20, help="how many slow tests to list")
    parser.add_argument("pytest_args", nargs="*", help="passed on to pytest (after --)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "junit.xml"
        wall, code = _run(args.pytest_args, not args.no_cov, args.serial, report)
        cases = _cases(report)
    outcomes = Counter(outcome for _, _, outcome in cases)
    per_engine: Counter[str] = Counter()
    for name, seconds, _ in cases:
        per_engine[_engine(name)] += seconds
    both = os.environ.get("AICALLER_TEST_DATABASE_URL")
    engines = "SQLite, PostgreSQL + Redis" if both else "SQLite"
    mode = "serial" if args.serial else "xdist workers"
    coverage = "off" if args.no_cov else "on"
    print(f"\nwall time: {wall:.1f} s ({engines}, {mode}, coverage {coverage})")
    print("tests:", ", ".join(f"{count} {outcome}" for outcome, count in sorted(outcomes.items())))
    print("time in tests by engine:", ", ".join(f"{k} {v:.1f} s" for k, v in per_engine.items()))
    print(f"\n{args.top} slowest (setup + call + teardown):")
    for name, seconds, outcome in sorted(cases, key=lambda c: -c[1])[: args.top]:
        print(f"  {seconds:7.2f} s  {name}{'' if outcome == 'passed' else f'  ({outcome})'}")
    sys.exit(code)


if __name__ == "__main__":
    main()
