"""The test suite's wall time and its slowest tests, to keep it inside its budget.

Runs pytest once in a subprocess (as ``make test`` does: worker processes, one per core, at most
4, unless ``--serial``; coverage unless ``--no-cov``; PostgreSQL and Redis too when
``AICALLER_TEST_DATABASE_URL`` / ``AICALLER_TEST_REDIS_URL`` are set), then prints the wall
time, the outcome counts, the time per engine, and the ``--top`` slowest tests with setup, call
and teardown added up. Extra arguments go to pytest.

    .venv/bin/python benchmarks/test_suite.py [--no-cov] [--serial] [--cold] [--top 20] \
        [-- pytest args]

The budget (CONTRIBUTING.md): ``make test`` <= 5 minutes, ``.ci/run`` <= 20 minutes on the
2-core development machine. Results go in docs/benchmarks.md ("Test suite").
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from collections.abc import Mapping
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def _run(
    pytest_args: list[str], coverage: bool, serial: bool, folder: Path
) -> tuple[float, float, int]:
    """Wall time, CPU time of pytest and everything it started, and pytest's exit code."""
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "suite_timing"]
    if not serial:
        command += ["-n", "auto", "--maxprocesses", "4", "--dist", "loadgroup"]
    command += ["--junitxml", str(folder / "junit.xml"), "-o", "junit_duration_report=total"]
    env = dict(os.environ, AICALLER_SUITE_TIMING_DIR=str(folder))
    if coverage:
        command += ["--cov=aicaller", "--cov-report="]
        # The coverage core and settings make test uses on this interpreter.
        words = subprocess.run(  # noqa: S603
            [sys.executable, str(ROOT / "tools" / "coverage_env.py")],
            capture_output=True, text=True, check=True,
        ).stdout.split()  # fmt: skip
        env.update(word.split("=", 1) for word in words)
    env["PYTHONDONTWRITEBYTECODE"] = ""  # as make test: compiled and rewritten modules cached
    env["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(ROOT / "benchmarks"), env.get("PYTHONPATH")])
    )
    if not serial:
        env["AICALLER_SUITE_TIMING_XDIST"] = "1"
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    finished = subprocess.run([*command, *pytest_args], cwd=ROOT, env=env, check=False)  # noqa: S603
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return wall, cpu, finished.returncode


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


def _workers(folder: Path) -> list[dict[str, Any]]:
    """What benchmarks/suite_timing.py wrote, one record per process."""
    return [json.loads(path.read_text()) for path in sorted(folder.glob("*.json"))]


def _total(times: Mapping[str, float]) -> float:
    return sum(times.get(phase, 0.0) for phase in ("setup", "call", "teardown"))


def _area(test_id: str) -> str:
    parts = test_id.split("::", maxsplit=1)[0].split("/")
    return "/".join(parts[:2]) if len(parts) > 2 else parts[0]


def _print_workers(workers: list[dict[str, Any]]) -> None:
    if not workers:
        return
    origin = min(w["started"] for w in workers)
    print("\nper process: start-up (imports, collection) / busy in tests / ends at / CPU")
    for w in workers:
        busy = sum(_total(t) for t in w["tests"].values())
        print(
            f"  {w['worker']:>5}: {w['collected'] - w['started']:6.1f} s / {busy:6.1f} s / "
            f"{w['finished'] - origin:6.1f} s / {w['cpu']:6.1f} s ({len(w['tests'])} tests)"
        )
    phases: defaultdict[str, float] = defaultdict(float)
    areas: defaultdict[str, defaultdict[str, float]] = defaultdict(lambda: defaultdict(float))
    for w in workers:
        for test_id, t in w["tests"].items():
            for phase in ("setup", "call", "teardown", "cpu"):
                phases[phase] += t.get(phase, 0.0)
                areas[_area(test_id)][phase] += t.get(phase, 0.0)
            areas[_area(test_id)]["tests"] += 1
    print("in tests:", ", ".join(f"{k} {v:.1f} s" for k, v in phases.items()))
    waiting = phases["setup"] + phases["call"] + phases["teardown"] - phases["cpu"]
    print(
        f"waiting in tests: {waiting:.1f} s (wall - CPU of the worker: time more workers can fill)"
    )
    print("\nby folder (tests, setup / call / teardown, s; CPU of the worker in them, s):")
    for area, c in sorted(areas.items(), key=lambda a: -_total(a[1])):
        print(
            f"  {area:40} {c['tests']:5.0f}  "
            f"{c['setup']:6.1f} / {c['call']:6.1f} / {c['teardown']:6.1f}; {c['cpu']:6.1f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-cov", action="store_true", help="without coverage")
    parser.add_argument("--serial", action="store_true", help="one process, no xdist workers")
    parser.add_argument("--top", type=int, default=20, help="how many slow tests to list")
    parser.add_argument(
        "--by",
        choices=("time", "cpu"),
        default="time",
        help="list the slowest tests by their time (default) or by their worker's CPU",
    )
    parser.add_argument(
        "--cold", action="store_true",
        help="first delete the bytecode of src/ and tests/, as on a fresh clone",
    )  # fmt: skip
    parser.add_argument("pytest_args", nargs="*", help="passed on to pytest (after --)")
    args = parser.parse_args()
    if args.cold:
        for pycache in [
            *ROOT.joinpath("src").rglob("__pycache__"),
            *ROOT.joinpath("tests").rglob("__pycache__"),
        ]:
            shutil.rmtree(pycache)
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        wall, cpu, code = _run(args.pytest_args, not args.no_cov, args.serial, folder)
        cases = _cases(folder / "junit.xml")
        workers = _workers(folder)
    outcomes = Counter(outcome for _, _, outcome in cases)
    per_engine: defaultdict[str, float] = defaultdict(float)
    for name, seconds, _ in cases:
        per_engine[_engine(name)] += seconds
    both = os.environ.get("AICALLER_TEST_DATABASE_URL")
    engines = "SQLite, PostgreSQL + Redis" if both else "SQLite"
    mode = "serial" if args.serial else "xdist workers"
    coverage = "off" if args.no_cov else "on"
    cache = "cold bytecode" if args.cold else "bytecode as found"
    print(f"\nwall time: {wall:.1f} s ({engines}, {mode}, coverage {coverage}, {cache})")
    print(f"CPU time of pytest and its processes: {cpu:.1f} s; load: {os.getloadavg()}")
    if not args.no_cov:
        # make test's floor applies to this figure (pyproject.toml, fail_under).
        total = subprocess.run(
            [sys.executable, "-m", "coverage", "report", "--format=total"],
            cwd=ROOT, capture_output=True, text=True, check=False,
        ).stdout.strip()  # fmt: skip
        print(f"coverage: {total or '?'}% of lines")
    print("tests:", ", ".join(f"{count} {outcome}" for outcome, count in sorted(outcomes.items())))
    print("time in tests by engine:", ", ".join(f"{k} {v:.1f} s" for k, v in per_engine.items()))
    _print_workers(workers)
    print(f"\n{args.top} costliest by {args.by} (setup + call + teardown = total; worker CPU):")
    tests = [(tid, t) for w in workers for tid, t in w["tests"].items()]

    def cost(t: Mapping[str, float]) -> float:
        return t.get("cpu", 0.0) if args.by == "cpu" else _total(t)

    for tid, t in sorted(tests, key=lambda x: -cost(x[1]))[: args.top]:
        split = " + ".join(f"{t.get(p, 0.0):.1f}" for p in ("setup", "call", "teardown"))
        print(f"  {_total(t):7.2f} s  [{split}; {t.get('cpu', 0.0):.1f}]  {tid}")
    sys.exit(code)


if __name__ == "__main__":
    main()
