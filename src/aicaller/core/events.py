"""Publish/subscribe for live progress (documentation syncs): in process, or over Redis.

Embedded mode runs jobs in the API process, so an in-process bus reaches every subscriber. With
Redis, jobs run in ``aicaller worker`` processes and subscribers sit in API workers, so messages
go through Redis pub/sub. Delivery is best effort either way: subscribers also re-read the
state they follow from the database, and a lost message only delays an update.
"""

from __future__ import annotations

import asyncio
import contextvars
import json
import time
from collections import defaultdict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, Protocol

from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import RedisError

from aicaller.config import Settings
from aicaller.core.logging import get_logger

logger = get_logger("aicaller.events")
QUEUE_SIZE = 100
OUTBOX_SIZE = 1000
# After a failed publish, messages are dropped for this long instead of each waiting on Redis.
BREAKER_SECONDS = 2.0
# The longest a publisher waits for its message to reach Redis; the send goes on after that.
PUBLISH_WAIT_SECONDS = 0.25


class Subscription(Protocol):
    async def get(self, wait_seconds: float) -> dict[str, Any] | None:
        """The next message, or None when none arrived within ``wait_seconds``."""
        ...


class EventBus(Protocol):
    async def publish(self, channel: str, message: dict[str, Any]) -> None:
        """Hand a message over, waiting on a server only briefly; delivery is best effort."""
        ...

    def subscribe(self, channel: str) -> Any:
        """``async with bus.subscribe(channel) as subscription: ...``"""
        ...

    async def ping(self) -> None:
        """Raise when the bus's server cannot be reached (for the readiness probe)."""
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

    async def ping(self) -> None:
        """Always reachable: it lives in this process."""

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
    """Redis pub/sub, sent in order by one background task from a bounded outbox, each message
    within ``publish_timeout``. ``publish`` waits for its message to go out, as subscribers
    expect of a request that has returned, but never longer than ``wait``, and not at all
    while Redis is already late: a stalled Redis costs a live call at most ``wait`` once. A
    failed send is logged and dropped, and after a failure Redis is skipped for a moment
    (messages dropped and counted) instead of letting every message wait out the timeout."""

    def __init__(
        self,
        url: str,
        *,
        socket_timeout: float = 5.0,
        publish_timeout: float = 2.0,
        wait: float = PUBLISH_WAIT_SECONDS,
    ) -> None:
        self.redis = Redis.from_url(
            url,
            socket_timeout=socket_timeout,
            socket_connect_timeout=socket_timeout,
            retry=Retry(NoBackoff(), 0),  # redis-py retries 3x with backoff by default
        )
        self._publish_timeout = publish_timeout
        self._wait = wait
        self._outbox: asyncio.Queue[tuple[str, str, asyncio.Future[None]]] = asyncio.Queue(
            OUTBOX_SIZE
        )
        self._sender: asyncio.Task[None] | None = None
        self._sending_since: float | None = None
        self._skip_until = 0.0
        self._dropped = 0

    async def publish(self, channel: str, message: dict[str, Any]) -> None:
        if self._outbox.full():
            _settle(self._outbox.get_nowait()[2])  # the oldest progress is the least useful
            self._dropped += 1
        sent: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        payload = json.dumps(message, default=str)
        self._outbox.put_nowait((f"aicaller:{channel}", payload, sent))
        if self._sender is None or self._sender.done():
            # A fresh context: the sender outlives the request that started it, whose id
            # would otherwise appear on failures of later requests' messages.
            loop = asyncio.get_running_loop()
            self._sender = loop.create_task(self._send_all(), context=contextvars.Context())
        since = self._sending_since
        if since is None or time.monotonic() - since < self._wait:
            await asyncio.wait({sent}, timeout=self._wait)

    async def _send_all(self) -> None:
        while not self._outbox.empty():
            channel, payload, sent = self._outbox.get_nowait()
            if time.monotonic() < self._skip_until:
                self._dropped += 1
                _settle(sent)
                continue
            self._sending_since = time.monotonic()
            try:
                await asyncio.wait_for(self.redis.publish(channel, payload), self._publish_timeout)
            except Exception as exc:  # a slow or dead Redis: progress is best effort
                self._skip_until = time.monotonic() + BREAKER_SECONDS
                logger.warning(
                    "event_publish_failed",
                    channel=channel,
                    error=repr(exc),
                    dropped_before=self._dropped,
                    skip_s=BREAKER_SECONDS,
                )
                self._dropped = 0
            finally:
                self._sending_since = None
                _settle(sent)

    async def ping(self) -> None:
        await self.redis.ping()  # type: ignore[misc]  # redis-py types it for sync and async

    @asynccontextmanager
    async def subscribe(self, channel: str) -> AsyncIterator[Subscription]:
        pubsub = self.redis.pubsub()
        try:
            await pubsub.subscribe(f"aicaller:{channel}")
            yield _RedisSubscription(pubsub)
        finally:
            await pubsub.aclose()  # type: ignore[no-untyped-call]

    async def close(self) -> None:
        if self._sender is not None:
            # What is still queued gets one publish timeout to go out, then is given up.
            await asyncio.wait({self._sender}, timeout=self._publish_timeout * 2)
            self._sender.cancel()
            await asyncio.wait({self._sender})
        await self.redis.aclose()


def _settle(sent: asyncio.Future[None]) -> None:
    if not sent.done():
        sent.set_result(None)


def create_event_bus(settings: Settings) -> LocalEventBus | RedisEventBus:
    if not settings.redis_url:
        return LocalEventBus()
    return RedisEventBus(
        settings.redis_url,
        socket_timeout=settings.redis_queue_socket_timeout,
        publish_timeout=settings.events_publish_timeout_seconds,
    )
