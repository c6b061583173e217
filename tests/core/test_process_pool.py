"""The process-wide pool for CPU-bound work: started on first use, replaced when broken."""

from __future__ import annotations

import os
import sys
from concurrent.futures.process import BrokenProcessPool

import pytest

from aicaller.core.process_pool import ProcessPool, process_pool


def test_no_processes_means_no_pool() -> None:
    assert process_pool(0) is None
    with pytest.raises(ValueError, match="at least one process"):
        ProcessPool(0)


def test_a_pool_starts_on_first_use_and_replaces_itself_once_broken() -> None:
    pool = ProcessPool(1)
    assert pool.started == 0  # nothing runs until work arrives
    try:
        assert pool.submit(pow, 2, 10).result(timeout=60) == 1024
        assert pool.submit(sum, [1, 2]).result(timeout=60) == 3
        assert pool.started == 1
        # A worker that dies breaks the pool: the work in flight fails ...
        with pytest.raises(BrokenProcessPool):
            pool.submit(os._exit, 1).result(timeout=60)
        # ... and the next piece of work gets a new pool instead of the same error forever.
        assert pool.submit(pow, 3, 2).result(timeout=60) == 9
        assert pool.started == 2
    finally:
        pool.shutdown()
    with pytest.raises(RuntimeError, match="shut down"):
        pool.submit(pow, 2, 2)


def _load_colorsys() -> None:
    import colorsys  # noqa: F401, PLC0415 - what a warm-up does: load what the work needs


def _loaded(module: str) -> bool:
    return module in sys.modules


def _fail() -> None:
    raise ValueError("warm-up failed")


def test_preload_starts_the_workers_with_the_warm_ups_before_any_work() -> None:
    pool = ProcessPool(2)
    try:
        pool.preload(_load_colorsys).result(timeout=120)
        assert pool.started == 1
        # Whichever worker takes the work has run the warm-up already.
        loaded = [pool.submit(_loaded, "colorsys") for _ in range(4)]
        assert all(future.result(timeout=60) for future in loaded)
        assert pool.started == 1  # the work found the pool running
    finally:
        pool.shutdown()


def test_a_failing_warm_up_is_reported_and_the_pool_still_works() -> None:
    pool = ProcessPool(1)
    try:
        assert isinstance(pool.preload(_fail).exception(timeout=120), ValueError)
        assert pool.submit(pow, 2, 3).result(timeout=60) == 8
    finally:
        pool.shutdown()
    # Preloading a pool already shut down starts nothing and says why.
    assert isinstance(pool.preload(_fail).exception(timeout=60), RuntimeError)
    assert pool.started == 1
