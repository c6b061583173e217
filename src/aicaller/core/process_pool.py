"""Worker processes for CPU-bound work, started on first use and kept for the process's life.

Starting worker processes is a fixed cost: each one runs multiprocessing's ``prepare()``, which
re-imports the parent's main module (the ``aicaller`` console script: the whole application).
A pool made for each job paid it on every job, more than a small documentation site's whole
extraction. One pool per process, owned by the lifespan (or the worker command) and shared by
every job, pays it once; a process that never needs the pool never starts it.

A worker that dies (killed, out of memory, a crash in a C extension) breaks a
``ProcessPoolExecutor`` for good: every later submit raises ``BrokenProcessPool``. The work in
flight fails with that error (a sync's job is retried), and the next submit starts a new pool,
so one crash does not disable the feature for the rest of the process's life.
"""

from __future__ import annotations

import functools
import multiprocessing
import threading
from collections.abc import Callable
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from concurrent.futures import wait as wait_for
from concurrent.futures.process import BrokenProcessPool
from typing import ParamSpec, TypeVar

from aicaller.core.logging import get_logger

logger = get_logger("aicaller.core.process_pool")

P = ParamSpec("P")
T = TypeVar("T")


class ProcessPool(Executor):
    """An executor of ``processes`` worker processes, started at the first ``submit``.

    Workers fork from a forkserver (forking the main process, which runs an event loop and
    database threads, is unsafe), or are spawned where there is no forkserver. Nothing is
    preloaded in the server: each worker imports what its work needs once in its life."""

    def __init__(self, processes: int) -> None:
        if processes < 1:
            raise ValueError("a process pool needs at least one process")
        self.processes = processes
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()
        self._closed = False
        self.started = 0  # pools started so far (a replaced broken pool counts again)

    def submit(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> Future[T]:
        with self._lock:
            if self._closed:
                raise RuntimeError("the process pool is shut down")
            pool = self._pool or self._start()
            try:
                return pool.submit(fn, *args, **kwargs)
            except BrokenProcessPool:
                logger.warning("process_pool_replaced", processes=self.processes)
                pool.shutdown(wait=False, cancel_futures=True)
                return self._start().submit(fn, *args, **kwargs)

    def preload(self, *warm_ups: Callable[[], object]) -> Future[None]:
        """Start the workers now rather than at the first submit, each running ``warm_ups``
        (module-level functions: their modules are imported on the way), so the first job does
        not pay their start. Processes start in a thread of their own: starting one blocks.
        The future completes when every worker has warmed up (or with the error that stopped
        it: a shutdown during the start, a worker that died)."""
        ready: Future[None] = Future()
        task = functools.partial(_run_each, warm_ups)

        def start() -> None:
            try:
                # Submitted together: the executor starts a worker for each (none is idle yet).
                started = [self.submit(task) for _ in range(self.processes)]
                wait_for(started)
                for future in started:
                    future.result()
            except Exception as exc:
                logger.warning("process_pool_preload_failed", error=repr(exc))
                ready.set_exception(exc)
                return
            ready.set_result(None)

        threading.Thread(target=start, name="process-pool-preload", daemon=True).start()
        return ready

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        with self._lock:
            pool, self._pool, self._closed = self._pool, None, True
        if pool is not None:
            pool.shutdown(wait=wait, cancel_futures=cancel_futures)

    def _start(self) -> ProcessPoolExecutor:
        self._pool = ProcessPoolExecutor(self.processes, mp_context=self._context())
        self.started += 1
        return self._pool

    def _context(self) -> multiprocessing.context.BaseContext:
        methods = multiprocessing.get_all_start_methods()
        return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


def _run_each(functions: tuple[Callable[[], object], ...]) -> None:
    for function in functions:
        function()


def process_pool(processes: int) -> ProcessPool | None:
    """A pool of ``processes`` workers, or None for none (the work runs in threads)."""
    return ProcessPool(processes) if processes > 0 else None
