"""Publish/subscribe for live progress (documentation syncs): in process, or over Redis.

Embedded mode runs jobs in the API process, so an in-process bus reaches every subscriber. With
Redis, jobs run in ``aicaller worker`` processes and subscribers sit in API workers, so messages
go through Redis pub/sub. Delivery is best effort either way: subscribers also re-read the
state they follow from the database, and a lost message only delays an update.
"""

from __future__ import annotations

import asyncio
import json
from collections import defaultdict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, Protocol

from redis.asyncio import Redis
from redis.exceptions import RedisError

from aicaller.core.logging import get_logger

logger = get_logger("aicaller.events")
QUEUE_SIZE = 100


class Subscription(Protocol):
    async def get(self, wait_seconds: float) -> dict[str, Any] | None:
        """The next message, or None when none arrived within ``wait_seconds``."""
        ...


class EventBus(Protocol):
    async def publish(self, channel: str, message: dict[str, Any]) -> None: ...

    def subscribe(self, channel: str) -> Any:
        """``async with bus.subscribe(channel) as subscription: ...``"""
        ...

    async def close(self) -> None: ...


class _QueueSubscription:
    def __init__(self, queue: asyncio.Queue[dict[str, Any]]) -> None:
        self.queue = queue

    async def get(self, wait_seconds: float) -> dict[str, Any] | None:
        try:
            return await asyncio.wait_for(self.queue.get(), wait_seconds)
        except TimeoutError:
            return None


class LocalEventBus:
    """Subscribers of this process only; a slow subscriber drops its oldest messages."""

    def __init__(self) -> None:
        self._queues: dict[str, set[asyncio.Queue[dict[str, Any]]]] = defaultdict(set)

    async def publish(self, channel: str, message: dict[str, Any]) -> None:
        for queue in list(self._queues.get(channel, ())):
            if queue.full():
                queue.get_nowait()
            queue.put_nowait(message)

    @asynccontextmanager
    async def subscribe(self, channel: str) -> AsyncIterator[Subscription]:
        queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue(QUEUE_SIZE)
        self._queues[channel].add(queue)
        try:
            yield _QueueSubscription(queue)
        finally:
            self._queues[channel].discard(queue)
            if not self._queues[channel]:
                del self._queues[channel]

    async def close(self) -> None:
        self._queues.clear()


class _RedisSubscription:
    def __init__(self, pubsub: Any) -> None:
        self.pubsub = pubsub

    async def get(self, wait_seconds: float) -> dict[str, Any] | None:
        try:
            raw = await self.pubsub.get_message(
                ignore_subscribe_messages=True, timeout=wait_seconds
            )
        except RedisError as exc:
            logger.warning("event_receive_failed", error=str(exc))
            await asyncio.sleep(wait_seconds)
            return None
        if raw is None:
            return None
        message: dict[str, Any] = json.loads(raw["data"])
        return message


class RedisEventBus:
    """Redis pub/sub; a publish that fails is logged and dropped (progress is best effort)."""

    def __init__(self, url: str) -> None:
        self.redis = Redis.from_url(url)

    async def publish(self, channel: str, message: dict[str, Any]) -> None:
        try:
            await self.redis.publish(f"aicaller:{channel}", json.dumps(message, default=str))
        except RedisError as exc:
            logger.warning("event_publish_failed", channel=channel, error=str(exc))

    @asynccontextmanager
    async def subscribe(self, channel: str) -> AsyncIterator[Subscription]:
        pubsub = self.redis.pubsub()
        try:
            await pubsub.subscribe(f"aicaller:{channel}")
            yield _RedisSubscription(pubsub)
        finally:
            await pubsub.aclose()  # type: ignore[no-untyped-call]

    async def close(self) -> None:
        await self.redis.aclose()


def create_event_bus(redis_url: str | None) -> LocalEventBus | RedisEventBus:
    return RedisEventBus(redis_url) if redis_url else LocalEventBus()
