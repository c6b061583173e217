"""Rate limiting with the ``limits`` library: moving windows on Redis, in-process without it.

Buckets are ``(group, identity)``: a route group (``api``, ``login-ip``, ...) and whoever is
being limited (a principal, an IP address, an account). With Redis every worker and instance
shares one budget. When Redis fails the limiter falls back to per-process windows (for the
general API that means "fail open" to a per-worker budget; login keeps its strict limit, just
counted per process) and skips Redis for a few seconds instead of waiting on it every time.
"""

from __future__ import annotations

import asyncio
import math
import time
from dataclasses import dataclass

from limits import RateLimitItem, parse
from limits.aio.storage import MemoryStorage, RedisStorage
from limits.aio.strategies import MovingWindowRateLimiter
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff

from aicaller.config import Settings
from aicaller.core import metrics
from aicaller.core.errors import RateLimitError
from aicaller.core.logging import get_logger

logger = get_logger("aicaller.rate_limit")
BREAKER_SECONDS = 2.0


@dataclass(frozen=True, slots=True)
class RateLimitDecision:
    allowed: bool
    limit: int
    remaining: int
    reset_after: int  # seconds until the window has room again

    def headers(self) -> dict[str, str]:
        """The ``RateLimit-*`` fields (IETF draft) for a response."""
        return {
            "RateLimit-Limit": str(self.limit),
            "RateLimit-Remaining": str(self.remaining),
            "RateLimit-Reset": str(self.reset_after),
        }


def parse_limit(text: str) -> RateLimitItem:
    return parse(text)


class RateLimiter:
    def __init__(self, settings: Settings) -> None:
        self.enabled = settings.rate_limit_enabled
        self._local = MovingWindowRateLimiter(MemoryStorage())
        self._shared: MovingWindowRateLimiter | None = None
        self._timeout = settings.redis_socket_timeout * 3
        self._bypass_until = 0.0
        if settings.redis_url:
            uri = "async+" + settings.redis_url
            storage = RedisStorage(
                uri,
                implementation="redispy",
                key_prefix="aicaller:ratelimit",
                socket_timeout=settings.redis_socket_timeout,
                socket_connect_timeout=settings.redis_socket_timeout,
                retry=Retry(NoBackoff(), 0),  # type: ignore[arg-type]
            )
            self._shared = MovingWindowRateLimiter(storage)

    async def hit(self, group: str, identity: str, limit: RateLimitItem) -> RateLimitDecision:
        """Count one request against the bucket and say whether it may proceed."""
        if not self.enabled:
            return RateLimitDecision(True, limit.amount, limit.amount, 0)
        limiter = self._local
        if self._shared is not None and time.monotonic() >= self._bypass_until:
            try:
                return await asyncio.wait_for(
                    self._decide(self._shared, group, identity, limit), self._timeout
                )
            except Exception as exc:  # any storage failure: use the per-process window
                self._bypass_until = time.monotonic() + BREAKER_SECONDS
                logger.warning("rate_limit_storage_unavailable", group=group, error=repr(exc))
        return await self._decide(limiter, group, identity, limit)

    async def enforce(self, group: str, identity: str, limit: RateLimitItem) -> RateLimitDecision:
        """``hit`` that raises a 429 RateLimitError (with Retry-After) when over the limit."""
        decision = await self.hit(group, identity, limit)
        if not decision.allowed:
            metrics.RATE_LIMIT_REJECTIONS.labels(group=group).inc()
            raise RateLimitError(
                "Too many requests; retry later",
                retry_after=decision.reset_after,
                headers=decision.headers(),
            )
        return decision

    @staticmethod
    async def _decide(
        limiter: MovingWindowRateLimiter, group: str, identity: str, limit: RateLimitItem
    ) -> RateLimitDecision:
        allowed = await limiter.hit(limit, group, identity)
        stats = await limiter.get_window_stats(limit, group, identity)
        reset_after = max(1, math.ceil(stats.reset_time - time.time()))
        return RateLimitDecision(allowed, limit.amount, max(0, stats.remaining), reset_after)

    @property
    def uses_redis(self) -> bool:
        return self._shared is not None

    async def ping(self) -> None:
        """Raise when the shared (Redis) windows cannot be reached (for the readiness probe)."""
        if self._shared is None:
            return
        healthy = await asyncio.wait_for(self._shared.storage.check(), self._timeout)
        if not healthy:
            raise ConnectionError("the rate limit storage did not answer PING")

    async def close(self) -> None:
        """Close the Redis pool (limits has no close method; its bridge holds the client)."""
        if self._shared is None:
            return
        client = getattr(getattr(self._shared.storage, "bridge", None), "storage", None)
        close = getattr(client, "aclose", None)
        if close is not None:
            await close()
