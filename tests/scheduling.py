"""How ``make test`` shares the suite between its pytest-xdist workers.

Most tests keep a core busy, but the streamed-voice tests play a simulated caller in real time
(20 ms audio frames paced by the clock): minutes of wall time in all, little CPU. They run as
one xdist group (``make test`` passes ``--dist loadgroup``), and xdist hands out its largest
work unit first: one worker starts with the whole block of conversations while the others work
through the CPU-bound tests, and it joins them when the block is done. ``-n auto`` starts one
worker more than there are cores, since the group's worker mostly waits. Spreading the voice
modules through every worker's run (ADR 0022's first answer) left them all waiting on audio at
the same moments with the cores idle. Every test still runs, and nothing it asserts changes; a
plain ``pytest`` run ignores the group. ADR 0022 has the choice, docs/benchmarks.md ("Test
suite") the measurements.
"""

from __future__ import annotations

import os

import pytest

# Test modules whose time is mostly a conversation in real time (CPU-light).
REAL_TIME = ("tests/voice/",)
GROUP = "real_time"


def is_real_time(nodeid: str) -> bool:
    return nodeid.startswith(REAL_TIME)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # First, before xdist's own hook gives each grouped test its group's work unit. Without
    # xdist (-p no:xdist) there is no group, nor its marker (--strict-markers would refuse it).
    if not config.pluginmanager.hasplugin("xdist"):
        return
    for item in items:
        if is_real_time(item.nodeid):
            item.add_marker(pytest.mark.xdist_group(GROUP))


@pytest.hookimpl(optionalhook=True)  # a run with -p no:xdist has no such hook
def pytest_xdist_auto_num_workers(config: pytest.Config) -> int | None:
    """``-n auto``: a worker per core and one for the real-time group, which mostly waits
    (``make test`` caps them at 4). PYTEST_XDIST_AUTO_NUM_WORKERS still decides when set."""
    if os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS"):
        return None
    return len(os.sched_getaffinity(0)) + 1
