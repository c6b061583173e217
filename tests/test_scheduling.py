"""The real-time tests form one xdist group, which xdist hands out first (tests/scheduling.py)."""

from __future__ import annotations

import os
from typing import Any, cast

import pytest

from tests.scheduling import GROUP, pytest_collection_modifyitems, pytest_xdist_auto_num_workers

# What these tests check exists only with pytest-xdist, which a run with -p no:xdist leaves out.
needs_xdist = pytest.mark.skipif(
    "not config.pluginmanager.hasplugin('xdist')", reason="pytest-xdist is not loaded"
)


class _Item:
    def __init__(self, nodeid: str) -> None:
        self.nodeid = nodeid
        self.marks: list[Any] = []

    def add_marker(self, mark: Any) -> None:
        self.marks.append(mark)


@needs_xdist
def test_the_voice_tests_and_only_they_join_the_real_time_group(
    pytestconfig: pytest.Config,
) -> None:
    voice = _Item("tests/voice/test_barge_in.py::test_noise[hiss-sqlite]")
    others = [_Item("tests/calls/test_crud.py::test_create[sqlite]"),
              _Item("tests/console/test_voice_socket.py::test_socket")]  # fmt: skip
    pytest_collection_modifyitems(pytestconfig, cast(list[pytest.Item], [voice, *others]))
    assert [(mark.name, mark.args) for mark in voice.marks] == [("xdist_group", (GROUP,))]
    assert all(not item.marks for item in others)


@needs_xdist
def test_xdist_hands_out_its_largest_work_unit_first(pytestconfig: pytest.Config) -> None:
    # --loadscope-reorder, xdist's default, which puts the group before every single test.
    assert pytestconfig.option.loadscopereorder


def test_auto_starts_a_worker_more_than_the_cores(
    pytestconfig: pytest.Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PYTEST_XDIST_AUTO_NUM_WORKERS", raising=False)
    cores = len(os.sched_getaffinity(0))
    assert pytest_xdist_auto_num_workers(pytestconfig) == cores + 1
    monkeypatch.setenv("PYTEST_XDIST_AUTO_NUM_WORKERS", "2")
    assert pytest_xdist_auto_num_workers(pytestconfig) is None  # xdist reads it itself
