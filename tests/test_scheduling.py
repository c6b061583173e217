"""The order make test's workers run the modules in (tests/scheduling.py)."""

from __future__ import annotations

from dataclasses import dataclass

from tests.scheduling import spread_real_time


@dataclass(frozen=True)
class _Item:
    nodeid: str


def _suite(modules: dict[str, int]) -> list[_Item]:
    return [_Item(f"{module}::test_{n}") for module, count in modules.items() for n in range(count)]


def test_real_time_modules_are_spread_whole_and_nothing_is_lost() -> None:
    others = {f"tests/a/test_{n}.py": 10 for n in range(10)}
    real_time = {"tests/voice/test_x.py": 3, "tests/voice/test_y.py": 2}
    items = _suite({**others, **real_time})  # pytest's order: the voice folder last

    ordered = spread_real_time(items)

    assert sorted(i.nodeid for i in ordered) == sorted(i.nodeid for i in items)
    modules = [i.nodeid.split("::")[0] for i in ordered]
    starts = [n for n, m in enumerate(modules) if n == 0 or modules[n - 1] != m]
    assert len(starts) == len(others) + len(real_time)  # every module still in one piece
    assert [i.nodeid for i in ordered if i.nodeid.startswith("tests/voice/test_x")] == [
        i.nodeid for i in items if i.nodeid.startswith("tests/voice/test_x")
    ]
    # Each real-time module sits among the others, at about a quarter and three quarters.
    assert modules.index("tests/voice/test_x.py") == 30
    assert modules.index("tests/voice/test_y.py") == 83


def test_a_suite_without_real_time_modules_keeps_its_order() -> None:
    items = _suite({"tests/a/test_1.py": 3, "tests/b/test_2.py": 2})
    assert spread_real_time(items) == items
