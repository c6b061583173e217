"""The application's exception hierarchy.

Every error carries its HTTP status and a stable machine-readable ``code`` so that the API layer
renders it as an RFC 9457 problem without a lookup table, and clients can branch on ``code``.
"""

from __future__ import annotations

from typing import Any


class AppError(Exception):
    """Base of every error the application raises on purpose."""

    status: int = 500
    code: str = "internal_error"
    title: str = "Internal Server Error"

    def __init__(
        self,
        message: str | None = None,
        *,
        code: str | None = None,
        status: int | None = None,
        details: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.message = message or self.title
        if code is not None:
            self.code = code
        if status is not None:
            self.status = status
        self.details = details
        self.headers = headers or {}
        super().__init__(self.message)


class BadRequestError(AppError):
    status = 400
    code = "bad_request"
    title = "Bad Request"


class ValidationError(AppError):
    status = 422
    code = "validation_error"
    title = "Unprocessable Content"


class AuthenticationError(AppError):
    status = 401
    code = "not_authenticated"
    title = "Unauthorized"

    def __init__(self, message: str | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("headers", {"WWW-Authenticate": "Bearer"})
        super().__init__(message, **kwargs)


class PermissionDenied(AppError):
    status = 403
    code = "permission_denied"
    title = "Forbidden"


class NotFound(AppError):
    status = 404
    code = "not_found"
    title = "Not Found"


class Conflict(AppError):
    status = 409
    code = "conflict"
    title = "Conflict"


class RateLimitError(AppError):
    status = 429
    code = "rate_limited"
    title = "Too Many Requests"

    def __init__(self, message: str | None = None, *, retry_after: int, **kwargs: Any) -> None:
        headers = {"Retry-After": str(max(1, retry_after)), **kwargs.pop("headers", {})}
        super().__init__(message, headers=headers, **kwargs)
        self.retry_after = retry_after


class ExternalServiceError(AppError):
    status = 502
    code = "external_service_error"
    title = "Bad Gateway"


class ServiceUnavailable(AppError):
    status = 503
    code = "service_unavailable"
    title = "Service Unavailable"


class UnsafeUrlError(ValidationError):
    """The SSRF guard refused a URL: bad scheme, credentials, odd host or a non-public address."""

    code = "unsafe_url"
    title = "Unsafe URL"


class UpstreamHttpError(ExternalServiceError):
    """An outbound HTTP request failed; ``upstream_status`` is the peer's last status, if any."""

    code = "upstream_http_error"

    def __init__(
        self,
        message: str | None = None,
        *,
        url: str = "",
        upstream_status: int | None = None,
        attempts: int = 1,
        **kwargs: Any,
    ) -> None:
        super().__init__(message, **kwargs)
        self.url = url
        self.upstream_status = upstream_status
        self.attempts = attempts


class ResponseTooLargeError(UpstreamHttpError):
    """A response body exceeded the configured size cap; reading stopped at the cap."""

    code = "response_too_large"


class TooManyRedirectsError(UpstreamHttpError):
    """A fetch was redirected more times than ``http_max_redirects`` allows."""

    code = "too_many_redirects"


class DatabaseUnavailable(ServiceUnavailable):
    """The database cannot be reached (down, restarting, refusing connections): retry later."""

    code = "database_unavailable"
    retry_after_seconds = 5

    def __init__(self, message: str | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("headers", {"Retry-After": str(self.retry_after_seconds)})
        super().__init__(message or "The database is unavailable; retry shortly", **kwargs)
