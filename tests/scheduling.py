"""How ``make test`` spreads the suite over its pytest-xdist workers.

Most tests keep a core busy, but the streamed-voice tests play a simulated caller in real time
(20 ms audio frames paced by the clock): they take minutes of wall time in all and little CPU.
In pytest's order they come last, so the run ended with a worker (or all of them) waiting on
audio while the cores idled. Each worker therefore collects the real-time modules spread evenly
through the run, so the waiting overlaps other workers' CPU-bound tests. Every test still runs
and nothing it asserts changes: whole modules move (so module fixtures are set up once, as
before), never single tests, and only under xdist (a plain ``pytest`` run, ``--failed-first``
included, keeps pytest's order). ADR 0022 has the choice (and why not two workers per core);
docs/benchmarks.md ("Test suite") the measurements.
"""

from __future__ import annotations

import os
from itertools import groupby
from typing import Protocol, TypeVar

import pytest

# Test modules whose time is mostly a conversation in real time (CPU-light).
REAL_TIME = ("tests/voice/",)


class _Test(Protocol):
    @property
    def nodeid(self) -> str: ...


T = TypeVar("T", bound=_Test)


def _module(item: _Test) -> str:
    return item.nodeid.split("::", 1)[0]


def spread_real_time(items: list[T]) -> list[T]:
    """``items`` with the real-time modules placed evenly between the other modules (each
    module's tests stay together and in order)."""
    modules = [list(tests) for _, tests in groupby(items, key=_module)]
    real_time = [m for m in modules if _module(m[0]).startswith(REAL_TIME)]
    others = [m for m in modules if not _module(m[0]).startswith(REAL_TIME)]
    if not real_time or not others:
        return items
    total = sum(len(m) for m in others)
    # Real-time module j goes after the first other module ending past (j + 1/2) / n of them.
    marks = [(j + 0.5) / len(real_time) * total for j in range(len(real_time))]
    ordered: list[T] = []
    seen = 0
    pending = list(real_time)
    for module in others:
        ordered.extend(module)
        seen += len(module)
        while pending and marks[len(real_time) - len(pending)] <= seen:
            ordered.extend(pending.pop(0))
    for module in pending:
        ordered.extend(module)
    return ordered


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # Only in xdist workers; every worker computes the same order, as xdist requires.
    if os.environ.get("PYTEST_XDIST_WORKER"):
        items[:] = spread_real_time(items)
