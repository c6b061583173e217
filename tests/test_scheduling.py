"""The real-time tests form two xdist groups, which xdist hands out first (tests/scheduling.py)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, cast

import pytest

from tests.scheduling import (
    FIRST_GROUP_MODULES,
    GROUPS,
    pytest_collection_modifyitems,
    pytest_xdist_auto_num_workers,
)

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
def test_the_voice_tests_and_only_they_join_a_real_time_group(
    pytestconfig: pytest.Config,
) -> None:
    first = _Item("tests/voice/test_barge_in.py::test_noise[hiss-sqlite]")
    second = _Item("tests/voice/test_call_control.py::test_the_keypad_asks_for_a_person[sqlite]")
    new_module = _Item("tests/voice/test_not_written_yet.py::test_it")
    others = [_Item("tests/calls/test_crud.py::test_create[sqlite]"),
              _Item("tests/console/test_voice_socket.py::test_socket")]  # fmt: skip
    items = [first, second, new_module, *others]
    pytest_collection_modifyitems(pytestconfig, cast(list[pytest.Item], items))
    assert [(mark.name, mark.args) for mark in first.marks] == [("xdist_group", (GROUPS[0],))]
    assert [(mark.name, mark.args) for mark in second.marks] == [("xdist_group", (GROUPS[1],))]
    assert [(mark.name, mark.args) for mark in new_module.marks] == [("xdist_group", (GROUPS[1],))]
    assert all(not item.marks for item in others)


def test_every_real_time_module_named_for_the_first_group_exists() -> None:
    # A renamed module would silently move to the second group and unbalance the two.
    root = Path(__file__).resolve().parents[1]
    assert [name for name in FIRST_GROUP_MODULES if not (root / name).is_file()] == []


@needs_xdist
def test_xdist_hands_out_its_largest_work_unit_first(pytestconfig: pytest.Config) -> None:
    # --loadscope-reorder, xdist's default, which puts the group before every single test.
    assert pytestconfig.option.loadscopereorder


def test_auto_starts_a_worker_per_core_and_per_real_time_group(
    pytestconfig: pytest.Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PYTEST_XDIST_AUTO_NUM_WORKERS", raising=False)
    cores = len(os.sched_getaffinity(0))
    assert pytest_xdist_auto_num_workers(pytestconfig) == cores + len(GROUPS) == cores + 2
    monkeypatch.setenv("PYTEST_XDIST_AUTO_NUM_WORKERS", "2")
    assert pytest_xdist_auto_num_workers(pytestconfig) is None  # xdist reads it itself
