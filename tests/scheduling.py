"""How ``make test`` shares the suite between its pytest-xdist workers.

Most tests keep a core busy, but the streamed-voice tests play a simulated caller in real time
(20 ms audio frames paced by the clock): minutes of wall time in all, little CPU. They run as
two xdist groups of about two minutes each (``make test`` passes ``--dist loadgroup``), and
xdist hands out its largest work units first: two workers start with the conversations while
the others work through the CPU-bound tests, and they join them when their block is done.
``-n auto`` starts a worker per core and one per group, since the groups' workers mostly wait.
Spreading the voice modules through every worker's run (ADR 0022's first answer) left them all
waiting on audio at the same moments with the cores idle; one group became the run's critical
path. Every test still runs, and nothing it asserts changes; a plain ``pytest`` run ignores the
groups. ADR 0022 has the choice, docs/benchmarks.md ("Test suite") the measurements."""

from __future__ import annotations

import os

import pytest

# Test modules whose time is mostly a conversation in real time (CPU-light), in two groups of
# about two minutes each (their serial times, docs/benchmarks.md "Test suite"), so that neither
# is the run's tail. A new module under tests/voice/ joins the second group unless listed here.
REAL_TIME = ("tests/voice/",)
FIRST_GROUP_MODULES = (
    "tests/voice/test_barge_in.py",
    "tests/voice/test_smart_turn.py",
    "tests/voice/test_browser_audio.py",
    "tests/voice/test_stream_fallback.py",
    "tests/voice/test_business_lm.py",
    "tests/voice/test_recording.py",
    "tests/voice/test_vad_windows.py",
)
GROUPS = ("real_time_1", "real_time_2")


def is_real_time(nodeid: str) -> bool:
    return nodeid.startswith(REAL_TIME)


def group_of(nodeid: str) -> str:
    """The real-time group a real-time test runs in."""
    return GROUPS[0] if nodeid.startswith(FIRST_GROUP_MODULES) else GROUPS[1]


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # First, before xdist's own hook gives each grouped test its group's work unit. Without
    # xdist (-p no:xdist) there is no group, nor its marker (--strict-markers would refuse it).
    if not config.pluginmanager.hasplugin("xdist"):
        return
    for item in items:
        if is_real_time(item.nodeid):
            item.add_marker(pytest.mark.xdist_group(group_of(item.nodeid)))


@pytest.hookimpl(optionalhook=True)  # a run with -p no:xdist has no such hook
def pytest_xdist_auto_num_workers(config: pytest.Config) -> int | None:
    """``-n auto``: a worker per core and one per real-time group, which mostly waits
    (``make test`` caps them at 4). PYTEST_XDIST_AUTO_NUM_WORKERS still decides when set."""
    if os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS"):
        return None
    return len(os.sched_getaffinity(0)) + len(GROUPS)
