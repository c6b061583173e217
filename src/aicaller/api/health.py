"""Liveness and readiness probes."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from aicaller.core.logging import describe_exception, get_logger

router = APIRouter(prefix="/health", tags=["health"])
# Every check gets this long and they run side by side, so the probe answers within it too.
PROBE_TIMEOUT_SECONDS = 2.0
logger = get_logger(__name__)


async def _check(component: str, probe: Callable[[], Awaitable[None]]) -> dict[str, Any]:
    try:
        await asyncio.wait_for(probe(), PROBE_TIMEOUT_SECONDS)
    except Exception as exc:  # any failure means "not ready", reported in the body
        logger.warning("readiness_check_failed", component=component, error=describe_exception(exc))
        return _failed(exc)
    return {"status": "ok"}


def _failed(exc: BaseException) -> dict[str, Any]:
    """Class names only: a message could hold a host name, a password in a URL or a value."""
    report = {"status": "error", "error": type(exc).__name__}
    if exc.__cause__ is not None:  # e.g. DatabaseUnavailable caused by ConnectionRefusedError
        report["cause"] = type(exc.__cause__).__name__
    return report


async def _jobs(jobs: Any) -> dict[str, Any]:
    try:
        report: dict[str, Any] = await asyncio.wait_for(jobs.health(), PROBE_TIMEOUT_SECONDS)
    except Exception as exc:  # the job system's own report could not be made in time
        logger.warning("readiness_check_failed", component="jobs", error=describe_exception(exc))
        return {**_failed(exc), "mode": jobs.mode}
    return report


@router.get("/live", summary="The process is up")
async def live() -> dict[str, str]:
    return {"status": "ok"}


@router.get(
    "/ready",
    summary="Dependencies are reachable",
    responses={503: {"description": "The database is down; the body says which checks fail"}},
)
async def ready(request: Request) -> JSONResponse:
    state = request.app.state
    redis_or_memory = "redis" if state.settings.redis_url else "memory"
    database, cache, rate_limits, events, jobs = await asyncio.gather(
        _check("database", state.database.ping),
        _check("cache", state.cache.ping),
        _check("rate_limits", state.rate_limiter.ping),
        _check("events", state.events.ping),
        _jobs(state.jobs),
    )
    database["backend"] = state.database.engine.dialect.name
    for check in (cache, rate_limits, events):
        check["backend"] = redis_or_memory
    checks = {
        "database": database,
        "cache": cache,
        "rate_limits": rate_limits,
        "events": events,
        "jobs": jobs,
    }
    failing = [name for name, check in checks.items() if check["status"] != "ok"]
    # Without Redis the API still serves (cache misses, per-process limits, jobs wait in the
    # database), so only the database takes an instance out of rotation; the rest is "degraded".
    status = "error" if "database" in failing else "degraded" if failing else "ok"
    body = {"status": status, "failing": failing, "checks": checks}
    return JSONResponse(body, status_code=503 if status == "error" else 200)
