"""A pytest plugin for benchmarks/test_suite.py: where each worker spends the run.

Loaded with ``-p suite_timing`` (``benchmarks/`` on ``PYTHONPATH``) when
``AICALLER_SUITE_TIMING_DIR`` names a folder. Every process (each xdist worker, or the single
process) writes one JSON file there: when it started, when collection ended, its CPU time, and
each test's setup, call and teardown durations, its CPU time in this process, and the wall
clock at which it ended.
The script reads them to split the run into import/collection, setup, body and teardown, per
folder and per worker, and to show how unevenly the workers finish.
"""

from __future__ import annotations

import json
import os
import resource
import time
from pathlib import Path
from typing import Any

import pytest

_STARTED = time.time()
_tests: dict[str, dict[str, float]] = {}
_collected_at: list[float] = []


def _folder() -> Path | None:
    value = os.environ.get("AICALLER_SUITE_TIMING_DIR")
    return Path(value) if value else None


def pytest_collection_finish(session: pytest.Session) -> None:
    _collected_at.append(time.time())


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item) -> object:
    # CPU of this process (all its threads) during the test, setup and teardown included: the
    # rest of the test's wall time it spent waiting (real-time audio, sleeps, other processes).
    started = time.process_time()
    try:
        return (yield)
    finally:
        entry = _tests.setdefault(item.nodeid, {})
        entry["cpu"] = time.process_time() - started


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if os.environ.get("PYTEST_XDIST_WORKER") is None and _is_controller():
        return
    entry = _tests.setdefault(report.nodeid, {})
    entry[report.when] = entry.get(report.when, 0.0) + report.duration
    entry["end"] = time.time()


def _is_controller() -> bool:
    # Under xdist the controller also receives every report; only workers (or a run without
    # xdist) record, so nothing is counted twice.
    return bool(os.environ.get("AICALLER_SUITE_TIMING_XDIST"))


def pytest_sessionfinish(session: pytest.Session) -> None:
    folder = _folder()
    if folder is None or (os.environ.get("PYTEST_XDIST_WORKER") is None and _is_controller()):
        return
    usage = resource.getrusage(resource.RUSAGE_SELF)
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    record: dict[str, Any] = {
        "worker": worker,
        "started": _STARTED,
        "collected": _collected_at[0] if _collected_at else _STARTED,
        "finished": time.time(),
        "cpu": usage.ru_utime + usage.ru_stime,
        "tests": _tests,
    }
    (folder / f"{worker}.json").write_text(json.dumps(record))
