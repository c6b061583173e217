"""Retries with exponential backoff for any outbound HTTP call, built on tenacity.

Connection errors, timeouts, 429 and 5xx are retried; other statuses are returned to the
caller. Delays double from the base (1 s, 2 s, 4 s, 8 s by default), are capped at the max
delay, and a ``Retry-After`` header (seconds or HTTP-date) replaces the computed delay.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any

import httpx
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    RetryError,
    retry_if_exception,
    retry_if_result,
    stop_after_attempt,
)

from aicaller.core.errors import UpstreamHttpError
from aicaller.core.http.urls import display_url
from aicaller.core.logging import get_logger

if TYPE_CHECKING:
    from aicaller.config import Settings

logger = get_logger(__name__)

Sleep = Callable[[float], Awaitable[None]]
Send = Callable[[], Awaitable[httpx.Response]]

TOO_MANY_REQUESTS = 429
_SERVER_ERRORS = range(500, 600)
# Errors raised before the request could reach the peer: safe to retry for any method.
_NOT_SENT_ERRORS = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
# Errors after which the peer may have acted on the request: retried for idempotent calls only.
_TRANSIENT_ERRORS = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)


@dataclasses.dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How many times to try (``attempts`` counts the first try) and how long to wait."""

    attempts: int = 5
    base_delay: float = 1.0
    max_delay: float = 60.0
    sleep: Sleep = asyncio.sleep

    def __post_init__(self) -> None:
        if self.attempts < 1 or self.base_delay < 0 or self.max_delay < 0:
            raise ValueError("attempts must be >= 1 and delays >= 0")

    @classmethod
    def from_settings(cls, settings: Settings, *, sleep: Sleep | None = None) -> RetryPolicy:
        return cls(
            attempts=settings.http_retry_attempts,
            base_delay=settings.http_retry_base_delay_seconds,
            max_delay=settings.http_retry_max_delay_seconds,
            sleep=sleep or asyncio.sleep,
        )

    def with_attempts(self, attempts: int) -> RetryPolicy:
        return dataclasses.replace(self, attempts=attempts)

    def backoff(self, failures: int) -> float:
        """The delay after the ``failures``-th failed attempt: base, 2x base, 4x base, ..."""
        # The exponent is bounded so a huge attempt count cannot overflow the float.
        return min(self.base_delay * 2.0 ** min(failures - 1, 64), self.max_delay)


def is_retryable_status(status: int) -> bool:
    """429 and every 5xx: the statuses worth trying again."""
    return status == TOO_MANY_REQUESTS or status in _SERVER_ERRORS


def should_retry_status(status: int, idempotent: bool) -> bool:
    """Whether ``send_with_retry`` retries this status; only 429 for non-idempotent calls."""
    return is_retryable_status(status) if idempotent else status == TOO_MANY_REQUESTS


def parse_retry_after(value: str, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` value (delay-seconds or HTTP-date), or None."""
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:  # an HTTP-date is always GMT; "-0000" parses as naive
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


async def send_with_retry(
    send: Send, policy: RetryPolicy, *, idempotent: bool = True
) -> httpx.Response:
    """Call ``send`` until it returns a response that is not retried, or attempts run out.

    ``idempotent=False`` (e.g. a POST that places a call) retries only failures where the
    request provably was not acted on: connection errors and 429. Responses that are retried
    are closed. Raises ``UpstreamHttpError`` when attempts run out (``upstream_status`` holds
    the last status) or on a transport error that is not retried; errors that are not
    ``httpx`` errors propagate unchanged.
    """
    retrying = AsyncRetrying(
        sleep=policy.sleep,
        stop=stop_after_attempt(policy.attempts),
        wait=lambda state: _delay(policy, state),
        retry=(
            retry_if_exception(lambda exc: _retry_error(exc, idempotent=idempotent))
            | retry_if_result(lambda response: _retry_response(response, idempotent=idempotent))
        ),
        before_sleep=_before_sleep,
    )

    attempts = 0

    async def attempt() -> httpx.Response:
        # tenacity awaits only coroutine functions; ``send`` may be a lambda returning one.
        nonlocal attempts
        attempts += 1
        return await send()

    try:
        response: httpx.Response = await retrying(attempt)
    except RetryError as exc:
        raise await _exhausted(exc, attempts) from exc.last_attempt.exception()
    except httpx.HTTPError as exc:
        url = _request_url(exc)
        raise UpstreamHttpError(
            f"Request to {url} failed: {_describe_error(exc)}", url=url, attempts=attempts
        ) from exc
    return response


def _retry_error(exc: BaseException, *, idempotent: bool) -> bool:
    return isinstance(exc, _TRANSIENT_ERRORS if idempotent else _NOT_SENT_ERRORS)


def _retry_response(response: Any, *, idempotent: bool) -> bool:
    return isinstance(response, httpx.Response) and should_retry_status(
        response.status_code, idempotent
    )


def _delay(policy: RetryPolicy, state: RetryCallState) -> float:
    outcome = state.outcome
    if outcome is not None and not outcome.failed:
        response = outcome.result()
        header = (
            response.headers.get("retry-after") if isinstance(response, httpx.Response) else None
        )
        seconds = parse_retry_after(header) if header else None
        if seconds is not None:
            return min(seconds, policy.max_delay)
    return policy.backoff(state.attempt_number)


async def _before_sleep(state: RetryCallState) -> None:
    outcome = state.outcome
    delay = state.next_action.sleep if state.next_action is not None else 0.0
    if outcome is None:
        return
    if outcome.failed:
        exc = outcome.exception()
        url = _request_url(exc) if isinstance(exc, httpx.HTTPError) else "<unknown>"
        context: dict[str, object] = {"url": url, "error": _describe_error(exc)}
    else:
        response: httpx.Response = outcome.result()
        context = {"url": display_url(response.request.url), "status": response.status_code}
        await response.aclose()  # streamed responses hold a connection until closed
    logger.warning("http_retry", attempt=state.attempt_number, delay=delay, **context)


async def _exhausted(error: RetryError, attempts: int) -> UpstreamHttpError:
    last = error.last_attempt
    if last.failed:
        exc = last.exception()
        url = _request_url(exc) if isinstance(exc, httpx.HTTPError) else "<unknown>"
        detail = _describe_error(exc)
        status = None
    else:
        response: httpx.Response = last.result()
        await response.aclose()
        url = display_url(response.request.url)
        status = response.status_code
        detail = f"HTTP {status}"
    return UpstreamHttpError(
        f"Request to {url} failed after {attempts} attempt(s): {detail}",
        url=url,
        upstream_status=status,
        attempts=attempts,
    )


def _request_url(exc: httpx.HTTPError) -> str:
    try:
        return display_url(exc.request.url)
    except RuntimeError:  # raised by httpx when the error was created without a request
        return "<unknown>"


def _describe_error(exc: BaseException | None) -> str:
    if exc is None:
        return "unknown error"
    message = str(exc)
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__
