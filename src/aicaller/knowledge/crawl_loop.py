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
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from aicaller.knowledge.crawl import PageResult, PageSnapshot

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
            first = await self._checkpoint([], self._want())
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
            written, self._writing = self._writing.result(), None
            if written.cancelled:
                return False
            busy = {page.url for page in self._running.values()}
            busy.update(page.url for page, _ in self._finished)
            self._ready = deque(page for page in written.queued if page.url not in busy)
        return True

    async def _stop(self) -> None:
        """Cancel what is still running (after a cancel or an error); rows stay queued."""
        pending: list[asyncio.Future[Any]] = list(self._running)
        if self._writing is not None:
            pending.append(self._writing)
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
