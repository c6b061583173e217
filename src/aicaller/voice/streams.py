"""The process's live media streams, so a shutdown ends each with a clear end reason."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

SHUTDOWN_REASON = "server_shutdown"
SHUTDOWN_GRACE_SECONDS = 5.0

Stop = Callable[[str], Awaitable[None]]


class VoiceStreams:
    def __init__(self) -> None:
        self._stops: dict[int, Stop] = {}
        self._idle = asyncio.Event()
        self._idle.set()

    def __len__(self) -> int:
        return len(self._stops)

    def add(self, key: int, stop: Stop) -> None:
        self._stops[key] = stop
        self._idle.clear()

    def discard(self, key: int) -> None:
        self._stops.pop(key, None)
        if not self._stops:
            self._idle.set()

    async def end_all(self, reason: str = SHUTDOWN_REASON) -> None:
        """Ask every stream to end with ``reason``, then wait (bounded) until they have."""
        await asyncio.gather(*(stop(reason) for stop in list(self._stops.values())))
        try:
            await asyncio.wait_for(self._idle.wait(), SHUTDOWN_GRACE_SECONDS)
        except TimeoutError:
            return  # the lifespan goes on; a stream still closing is cut with the process
