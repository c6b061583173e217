"""CPU time of a benchmark's child processes, which the other load on a shared machine
inflates far less than wall time."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_TICKS = os.sysconf("SC_CLK_TCK")


def _children(pid: int) -> list[int]:
    """Children of every thread of ``pid`` (a pool may be started from any of them)."""
    found: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:  # the process ended
        return found
    for task in tasks:
        try:
            found += [int(c) for c in Path(f"/proc/{pid}/task/{task}/children").read_text().split()]
        except OSError:  # the thread ended
            continue
    return found


def tree_cpu(root: int) -> dict[int, float]:
    """User + system CPU seconds so far of every descendant of ``root``, from /proc."""
    found: dict[int, float] = {}
    pending = _children(root)
    while pending:
        pid = pending.pop()
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
        except OSError:
            continue
        found[pid] = (int(fields[11]) + int(fields[12])) / _TICKS  # utime, stime
        pending += _children(pid)
    return found


@contextmanager
def descendants_cpu(exclude: set[int]) -> Iterator[dict[str, float]]:
    """CPU seconds this process's descendants (but ``exclude``) use while the block runs, in
    ``result["children"]``, and the sampling thread's own, in ``result["sampler"]`` (to take
    off the parent's). Sampled every 0.1 s, so a child that ends loses at most that much."""
    result = {"children": 0.0, "sampler": 0.0}
    start = {pid: t for pid, t in tree_cpu(os.getpid()).items() if pid not in exclude}
    latest: dict[int, float] = {}
    stop = threading.Event()

    def sample() -> None:
        while True:
            latest.update(
                (pid, seconds)
                for pid, seconds in tree_cpu(os.getpid()).items()
                if pid not in exclude
            )
            if stop.wait(0.1):
                result["sampler"] = time.thread_time()
                return

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    try:
        yield result
    finally:
        stop.set()
        thread.join()
        result["children"] = sum(t - start.get(pid, 0.0) for pid, t in latest.items())
