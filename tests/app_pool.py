"""One running app per distinct settings for the whole test run, reset between tests.

Building an app and running its first request costs about a second (FastAPI rebuilds its
dependants and the route index), which used to be paid by every test. Tests that ask for the
same settings now share one app; after each test the pool undoes what the test did: the rows it
wrote, the cache entries, rate limit windows and simulated carrier history it left, and any
object it swapped on ``app.state``. Tests that need a private app still build their own with
``create_app``.
"""

from __future__ import annotations

import json
from contextlib import AsyncExitStack
from dataclasses import dataclass
from typing import Any

from asgi_lifespan import LifespanManager
from fastapi import FastAPI
from pydantic import SecretStr
from sqlalchemy import delete
from starlette.routing import BaseRoute

from aicaller.config import Settings
from aicaller.core.rate_limit import RateLimiter
from aicaller.database.base import Base
from aicaller.database.session import Database
from aicaller.main import create_app
from aicaller.telephony.simulated import SimulatedProvider
from aicaller.worker.runner import JobRunner


def settings_key(settings: Settings) -> str:
    """Settings that differ in any value (secrets included) get different apps."""
    values = {
        name: value.get_secret_value() if isinstance(value, SecretStr) else value
        for name, value in settings
    }
    return json.dumps(values, default=str, sort_keys=True)


async def truncate(database: Database) -> None:
    """Delete every row, children first, in one transaction."""
    async with database.transaction() as session:
        for table in reversed(Base.metadata.sorted_tables):
            await session.execute(delete(table))


@dataclass(frozen=True)
class AppSnapshot:
    state: dict[str, Any]
    routes: list[BaseRoute]
    openapi_schema: dict[str, Any] | None


class AppPool:
    def __init__(self) -> None:
        self._apps: dict[str, FastAPI] = {}
        self._stack = AsyncExitStack()

    async def get(self, settings: Settings) -> FastAPI:
        key = settings_key(settings)
        app = self._apps.get(key)
        if app is None:
            app = create_app(settings)
            await self._stack.enter_async_context(LifespanManager(app))
            self._apps[key] = app
        elif isinstance(app.state.jobs, JobRunner):
            await app.state.jobs.start()  # stopped while the app waited in the pool (reset)
        return app

    @staticmethod
    def snapshot(app: FastAPI) -> AppSnapshot:
        return AppSnapshot(dict(app.state._state), list(app.router.routes), app.openapi_schema)

    async def reset(self, app: FastAPI, saved: AppSnapshot) -> None:
        """Put ``app`` back as the next test expects to find it."""
        if len(app.router.routes) != len(saved.routes):  # a test added its own routes
            app.router.routes[:] = saved.routes
            app.openapi_schema = saved.openapi_schema
        state = app.state._state
        state.clear()
        state.update(saved.state)
        jobs = app.state.jobs
        if isinstance(jobs, JobRunner):
            # No job of this test may run on into the next one, and an app waiting in the pool
            # polls nobody's jobs: each running runner's polls took CPU from the test in
            # progress (and, with real-time voice tests, stalled its event loop).
            await jobs.stop()
        else:
            await jobs.dispatcher.drain()
        await truncate(app.state.database)
        if not app.state.cache.uses_redis:
            # With Redis, the settings fixture flushes the database afterwards and Redis tells
            # the in-process layer to drop everything (client-side caching's flush message).
            await app.state.cache.layered.clear()
        old_limiter = app.state.rate_limiter
        app.state.rate_limiter = RateLimiter(app.state.settings)
        await old_limiter.close()
        if isinstance(app.state.telephony, SimulatedProvider):
            app.state.telephony = SimulatedProvider()

    async def close(self) -> None:
        await self._stack.aclose()
        self._apps.clear()
