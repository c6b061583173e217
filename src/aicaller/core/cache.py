"""Two-layer cache: a bounded in-process LRU/TTL layer in front of Redis.

Built on cashews: without Redis it is its in-memory LRU with TTL; with Redis it is cashews'
client-side cache, whose in-process copies Redis invalidates on every worker through client
tracking (``CLIENT TRACKING ... BCAST``) when any worker changes or deletes a key.

Written here, because cashews does not do it: keys that always carry the tenant, hit/miss/error
counters per cache name, single flight (concurrent requests for one key in a process share one
lookup and one computation), a hard time bound on every Redis call plus a short circuit breaker
(a slow or dead Redis is a logged miss, never a 500 or a stalled request), and invalidation that
runs after the database commit, so a reader cannot re-cache the old row after the delete (one
that loaded it before the commit still can: the TTL bounds that window).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Iterable
from typing import Any, TypeVar

from cashews import Cache
from cashews.backends.memory import Memory
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from sqlalchemy.ext.asyncio import AsyncSession

from aicaller.config import Settings
from aicaller.core import metrics
from aicaller.core.logging import get_logger

T = TypeVar("T")
logger = get_logger("aicaller.cache")
_MISS = object()
AFTER_COMMIT = "aicaller_after_commit"
# After a Redis failure, skip it for this long instead of paying a timeout on every request.
BREAKER_SECONDS = 2.0

PRINCIPAL, CONFIG, SEARCH, ANALYTICS = "principal", "config", "search", "analytics"


def run_after_commit(session: AsyncSession, callback: Callable[[], Awaitable[None]]) -> None:
    """Run ``callback`` once the session's transaction has committed (see Database.transaction)."""
    session.info.setdefault(AFTER_COMMIT, []).append(callback)


class AppCache:
    """The process's cache. ``local=False`` reads skip the in-process layer (see principal)."""

    def __init__(self, settings: Settings) -> None:
        self.enabled = settings.cache_enabled
        self.uses_redis = settings.redis_url is not None
        self._ttl = {
            PRINCIPAL: settings.cache_ttl_principal_seconds,
            CONFIG: settings.cache_ttl_config_seconds,
            SEARCH: settings.cache_ttl_search_seconds,
            ANALYTICS: settings.cache_ttl_analytics_seconds,
        }
        self._timeout = settings.redis_socket_timeout * 3
        self._inflight: dict[str, asyncio.Future[Any]] = {}
        self._bypass_until = 0.0
        self._pending_deletes: set[str] = set()
        self.layered = Cache("layered")
        self.shared = Cache("shared")
        if settings.redis_url:
            options: dict[str, Any] = {
                "socket_timeout": settings.redis_socket_timeout,
                "socket_connect_timeout": settings.redis_socket_timeout,
                "retry": Retry(NoBackoff(), 0),  # redis-py retries 3x with backoff by default
                "max_connections": 100,
                "wait_for_connection_timeout": settings.redis_socket_timeout,
                "suppress": False,
                "secret": settings.signing_key,  # pickles from Redis are signed and checked
            }
            self.layered.setup(
                settings.redis_url,
                client_side=True,
                client_side_prefix="aicaller:cache:",
                local_cache=Memory(size=settings.cache_local_max_entries),
                **options,
            )
            self.shared.setup(settings.redis_url, prefix="", **options)
        else:
            memory = f"mem://?size={settings.cache_local_max_entries}"
            self.layered.setup(memory)
            self.shared = self.layered

    async def start(self) -> None:
        try:
            await asyncio.wait_for(self.layered.init(), self._timeout * 10)
            if self.shared is not self.layered:
                await asyncio.wait_for(self.shared.init(), self._timeout * 10)
        except Exception as exc:  # start degraded (Redis down): reads compute, health says so
            self._trip(exc, "start")

    async def close(self) -> None:
        for backend in {id(self.layered): self.layered, id(self.shared): self.shared}.values():
            try:
                await backend.close()
            except asyncio.CancelledError:
                # cashews re-raises the cancellation of its invalidation listener when that was
                # cancelled at a failed start; only our own cancellation must propagate.
                task = asyncio.current_task()
                if task is not None and task.cancelling():
                    raise
                logger.info("cache_listener_was_not_running")

    def ttl(self, name: str) -> int:
        return self._ttl[name]

    @staticmethod
    def key(name: str, tenant: object, key: str) -> str:
        return f"{name}:{tenant}:{key}"

    async def get_or_set(
        self,
        name: str,
        *,
        tenant: object,
        key: str,
        compute: Callable[[], Awaitable[T]],
        local: bool = True,
        tags: Iterable[str] = (),
    ) -> T:
        """The cached value, or ``compute()`` stored for the cache's TTL. ``None`` is not cached."""
        if not self.enabled:
            return await compute()
        full_key = self.key(name, tenant, key)
        pending = self._inflight.get(full_key)
        if pending is not None:
            # Someone in this process is already looking this key up (or computing it): share
            # their result instead of a second Redis round trip or a second computation.
            metrics.CACHE_REQUESTS.labels(cache=name, result="hit").inc()
            return await asyncio.shield(pending)
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._inflight[full_key] = future
        try:
            value = await self._lookup_or_compute(name, full_key, local, compute, tags)
        except BaseException as exc:
            future.set_exception(exc)
            future.exception()  # mark retrieved: waiters re-raise it, nobody else must log it
            raise
        else:
            future.set_result(value)
        finally:
            self._inflight.pop(full_key, None)
        return value

    async def _lookup_or_compute(
        self,
        name: str,
        full_key: str,
        local: bool,
        compute: Callable[[], Awaitable[T]],
        tags: Iterable[str],
    ) -> T:
        backend = self.layered if local else self.shared
        cached = await self._call(name, backend.get(full_key, default=_MISS), default=_MISS)
        if cached is not _MISS:
            metrics.CACHE_REQUESTS.labels(cache=name, result="hit").inc()
            return cached  # type: ignore[no-any-return]
        metrics.CACHE_REQUESTS.labels(cache=name, result="miss").inc()
        value = await compute()
        if value is not None:
            store = backend.set(full_key, value, expire=self._ttl[name], tags=list(tags))
            await self._call(name, store, default=False)
        return value

    async def delete(self, name: str, *, tenant: object, key: str) -> None:
        await self._delete_keys(name, [self.key(name, tenant, key)])

    async def _delete_keys(self, name: str, keys: list[str]) -> None:
        # A delete lost to a Redis outage would leave the old value in Redis for a whole TTL,
        # so failed keys are retried before the next cache operation once Redis answers again.
        backends = [self.layered] if self.shared is self.layered else [self.layered, self.shared]
        for backend in backends:
            done = await self._call(name, backend.delete_many(*keys), default=_MISS)
            if done is _MISS:
                self._pending_deletes.update(keys)
                return

    async def delete_tags(self, *tags: str) -> None:
        await self._call("tags", self.layered.delete_tags(*tags), default=None)

    def delete_after_commit(
        self, session: AsyncSession, name: str, *, tenant: object, key: str
    ) -> None:
        async def invalidate() -> None:
            await self.delete(name, tenant=tenant, key=key)

        run_after_commit(session, invalidate)

    async def ping(self) -> None:
        """Raise when the Redis layer cannot be reached (for the readiness probe)."""
        if self.uses_redis:
            await asyncio.wait_for(self.shared.ping(), self._timeout)

    async def _call(self, name: str, operation: Awaitable[Any], *, default: Any) -> Any:
        if self.uses_redis and time.monotonic() < self._bypass_until:
            _close(operation)
            return default
        if self._pending_deletes:
            keys, self._pending_deletes = list(self._pending_deletes), set()
            await self._delete_keys("pending", keys)
        try:
            return await asyncio.wait_for(operation, self._timeout)
        except Exception as exc:  # any cache failure degrades to a miss
            metrics.CACHE_REQUESTS.labels(cache=name, result="error").inc()
            self._trip(exc, name)
            return default

    def _trip(self, exc: BaseException, name: str) -> None:
        self._bypass_until = time.monotonic() + BREAKER_SECONDS
        logger.warning("cache_unavailable", cache=name, error=repr(exc), bypass_s=BREAKER_SECONDS)


def _close(operation: Awaitable[Any]) -> None:
    close = getattr(operation, "close", None)
    if callable(close):
        close()  # an un-awaited coroutine must be closed, or Python warns about it
