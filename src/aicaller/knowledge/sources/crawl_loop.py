"""The crawl loop of a sync: pages keep being fetched and extracted while checkpoints write.

Fetching in lock-step batches left the network idle while a batch was extracted and written,
and the CPU idle while it was fetched. Here pages are started as soon as there is room: at most
``slots`` at once (the ``RateGate`` still allows only the source's concurrency on the wire; the
other slots hold pages waiting for extraction), finished pages accumulate, and one checkpoint at a
time writes up to ``batch`` of them while the next pages are fetched.

The frontier stays in the database: a page is taken from the sync's queued rows and stays
queued there until the checkpoint that writes its result, so a crash loses nothing (the rows in
flight are fetched again on resume) and never writes a page twice. Each checkpoint returns the
queued rows in frontier order; the ones already in flight or waiting to be written are skipped.

A checkpoint is never cancelled, not even when a page raises or the crawl itself is cancelled:
the crawl waits for it to commit or fail. Cancelled in the middle of a statement, SQLAlchemy
closes the SQLite connection while the statement is still alive (referenced from the
exception's traceback), and SQLite keeps such a connection, and its write lock, until the
statement is garbage collected, so the resumed sync's first write found the database locked.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from aicaller.core.logging import get_logger
from aicaller.knowledge.sources.crawl import PageResult, PageSnapshot

logger = get_logger("aicaller.knowledge.sources.crawl_loop")

Finished = tuple[PageSnapshot, PageResult]


@dataclass(frozen=True, slots=True)
class Written:
    """A checkpoint's answer: whether the sync was cancelled, and the queued rows it read."""

    cancelled: bool
    queued: list[PageSnapshot]


# checkpoint(finished pages to write, how many queued rows to read) -> Written
Checkpoint = Callable[[list[Finished], int], Awaitable[Written]]


class CrawlLoop:
    def __init__(
        self,
        process: Callable[[PageSnapshot], Coroutine[Any, Any, PageResult]],
        checkpoint: Checkpoint,
        *,
        slots: int,
        batch: int,
        room: int,
    ) -> None:
        self._process, self._checkpoint = process, checkpoint
        self._slots, self._batch = max(1, slots), max(1, batch)
        self._room = room  # pages this run may still start (max_pages counts them from start)
        self._running: dict[asyncio.Task[PageResult], PageSnapshot] = {}
        self._finished: list[Finished] = []
        self._ready: deque[PageSnapshot] = deque()
        self._writing: asyncio.Task[Written] | None = None

    async def run(self) -> bool:
        """Crawl until the frontier is empty or the page cap is reached (True), or until a
        checkpoint finds the sync cancelled (False). A page that raises stops the crawl: its
        exception propagates and the pages not yet written stay queued."""
        try:
            first = await self._first()
            if first.cancelled:
                return False
            self._ready = deque(first.queued)
            while True:
                self._start_pages()
                if self._writing is None and self._should_write():
                    self._writing = asyncio.create_task(self._write())
                if self._writing is None and not self._running:
                    return True
                if not await self._wait():
                    return False
        finally:
            await self._stop()

    async def _first(self) -> Written:
        """The first checkpoint (it reads the first rows), in a task like every other."""
        self._writing = asyncio.create_task(self._read_first())
        return await self._written(self._writing)

    async def _read_first(self) -> Written:
        return await self._checkpoint([], self._want())

    def _want(self) -> int:
        """How many queued rows a checkpoint reads: enough to fill the slots until the next."""
        return max(0, min(self._room, self._slots + self._batch))

    def _start_pages(self) -> None:
        while self._ready and self._room > 0 and len(self._running) < self._slots:
            page = self._ready.popleft()
            self._running[asyncio.create_task(self._process(page))] = page
            self._room -= 1

    def _should_write(self) -> bool:
        """Write a full batch, or whatever is finished when the ready rows ran out (its links
        are the next frontier) or nothing is left running."""
        if not self._finished:
            return False
        return len(self._finished) >= self._batch or not self._ready or not self._running

    async def _write(self) -> Written:
        batch, self._finished = self._finished[: self._batch], self._finished[self._batch :]
        want = self._want()
        # Rows in flight or waiting are still queued in the database: read past them.
        busy = len(self._running) + len(self._finished) + self._slots
        return await self._checkpoint(batch, want + busy if want else 0)

    async def _wait(self) -> bool:
        waiting: set[asyncio.Future[Any]] = set(self._running)
        if self._writing is not None:
            waiting.add(self._writing)
        done, _ = await asyncio.wait(waiting, return_when=asyncio.FIRST_COMPLETED)
        for task in [task for task in self._running if task in done]:
            self._finished.append((self._running.pop(task), task.result()))
        if self._writing is not None and self._writing in done:
            written = await self._written(self._writing)
            if written.cancelled:
                return False
            busy = {page.url for page in self._running.values()}
            busy.update(page.url for page, _ in self._finished)
            self._ready = deque(page for page in written.queued if page.url not in busy)
        return True

    async def _written(self, writing: asyncio.Task[Written]) -> Written:
        """The checkpoint's answer, through a shield: a cancel of the crawl leaves the
        checkpoint running (see the module docstring), and ``_stop`` waits for it."""
        try:
            return await asyncio.shield(writing)
        finally:
            if writing.done():
                self._writing = None

    async def _stop(self) -> None:
        """After a cancel or an error: cancel the pages still running (they stay queued) and
        let a checkpoint in flight finish (its pages were finished; it commits them)."""
        pages: list[asyncio.Future[Any]] = list(self._running)
        for task in pages:
            task.cancel()
        await asyncio.gather(*pages, return_exceptions=True)
        writing, self._writing = self._writing, None
        if writing is None:
            return
        await asyncio.wait({writing})
        error = None if writing.cancelled() else writing.exception()
        if error is not None:  # the crawl is already stopping with its own error
            logger.warning("checkpoint_failed_while_stopping", error=repr(error))
