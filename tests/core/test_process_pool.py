"""The process-wide pool for CPU-bound work: started on first use, replaced when broken."""

from __future__ import annotations

import os
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
