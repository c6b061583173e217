"""The crawl loop of a sync: pages keep being fetched and extracted while checkpoints write.

Fetching in lock-step batches left the network idle while a batch was extracted and written,
and the CPU idle while it was fetched. Here pages are started as soon as there is room: at most
``slots`` at once (the ``RateGate`` still allows only the source's concurrency on the wire; the
other slots hold pages waiting for extraction), finished pages accumulate, and one checkpoint at a
time writes up to ``batch`` of them while the next pages are fetched.

The frontier stays in the database: a page is taken from the sync's queued rows and stays
queued there until the checkpoint that writes its result, so a crash loses nothing (the rows in
flight are fetched again on resume) and never writes a page twice. Each checkpoint returns the
queued rows in frontier order; the ones this run has already taken are skipped.

A finished page's links are started at once (``discover``), not after its checkpoint: waiting
for the database kept the wire idle for most of a crawl whose pages are found link by link. The
database still learns of every link from the checkpoint that writes the page that found it, and
a page found that way is written only by a later checkpoint, once its row exists: a crash
before then loses it with its parent, which is still queued and is fetched again on resume.

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
# discover(a finished page, its result) -> the pages its links lead to (not yet filtered by
# what this run has already taken)
Discover = Callable[[PageSnapshot, PageResult], list[PageSnapshot]]


class CrawlLoop:
    def __init__(
        self,
        process: Callable[[PageSnapshot], Coroutine[Any, Any, PageResult]],
        checkpoint: Checkpoint,
        discover: Discover,
        *,
        slots: int,
        batch: int,
        room: int,
    ) -> None:
        self._process, self._checkpoint, self._discover = process, checkpoint, discover
        self._slots, self._batch = max(1, slots), max(1, batch)
        self._room = room  # pages this run may still start (max_pages counts them from start)
        self._running: dict[asyncio.Task[PageResult], PageSnapshot] = {}
        self._finished: list[Finished] = []
        self._ready: deque[PageSnapshot] = deque()
        self._taken: set[str] = set()  # URLs this run has put in ``_ready`` (or started)
        self._found_by: dict[str, str] = {}  # a discovered page's URL -> the page that found it
        self._unwritten: set[str] = set()  # finished pages not yet committed by a checkpoint
        self._writing: asyncio.Task[Written] | None = None

    async def run(self) -> bool:
        """Crawl until the frontier is empty or the page cap is reached (True), or until a
        checkpoint finds the sync cancelled (False). A page that raises stops the crawl: its
        exception propagates and the pages not yet written stay queued."""
        try:
            first = await self._first()
            if first.cancelled:
                return False
            self._take(first.queued)
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

    def _take(self, pages: list[PageSnapshot], found_by: str | None = None) -> None:
        for page in pages:
            if page.url not in self._taken:
                self._taken.add(page.url)
                self._ready.append(page)
                if found_by is not None:
                    self._found_by[page.url] = found_by

    def _start_pages(self) -> None:
        """Start ready pages while there is a slot, unless the pages waiting for a checkpoint
        are two batches already: the crawl never runs far ahead of the database (a cancel is
        seen at the next checkpoint, and waiting pages hold their text in memory)."""
        while (
            self._ready
            and self._room > 0
            and len(self._running) < self._slots
            and len(self._finished) < 2 * self._batch
        ):
            page = self._ready.popleft()
            self._running[asyncio.create_task(self._process(page))] = page
            self._room -= 1

    def _writable(self) -> list[Finished]:
        """Finished pages in order, up to a batch, whose rows exist: read from the database, or
        found by a page an earlier checkpoint committed (its links' rows with it)."""
        ready: list[Finished] = []
        for page, result in self._finished:
            if self._found_by.get(page.url) not in self._unwritten:
                ready.append((page, result))
                if len(ready) == self._batch:
                    break
        return ready

    def _should_write(self) -> bool:
        """Write a full batch, or whatever can be written when other finished pages wait for
        it (their rows come with it), the ready rows ran out (the database may hold links only
        it knows) or nothing is left running."""
        writable = len(self._writable())
        if not writable:
            return False
        waiting = len(self._finished) > writable
        return writable >= self._batch or waiting or not self._ready or not self._running

    async def _write(self) -> Written:
        batch = self._writable()
        chosen = {page.url for page, _ in batch}
        self._finished = [item for item in self._finished if item[0].url not in chosen]
        try:
            want = self._want() if len(self._ready) < self._want() else 0
            # Rows taken but not yet written are still queued in the database: read past them.
            busy = len(self._running) + len(self._finished) + len(self._ready) + self._slots
            return await self._checkpoint(batch, want + busy if want else 0)
        finally:
            self._unwritten.difference_update(chosen)  # committed, or never will be
            for url in chosen:
                self._found_by.pop(url, None)

    async def _wait(self) -> bool:
        waiting: set[asyncio.Future[Any]] = set(self._running)
        if self._writing is not None:
            waiting.add(self._writing)
        done, _ = await asyncio.wait(waiting, return_when=asyncio.FIRST_COMPLETED)
        for task in [task for task in self._running if task in done]:
            page, result = self._running.pop(task), task.result()
            self._finished.append((page, result))
            self._unwritten.add(page.url)
            self._take(self._discover(page, result), found_by=page.url)
        if self._writing is not None and self._writing in done:
            written = await self._written(self._writing)
            if written.cancelled:
                return False
            self._take(written.queued)
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
