"""Which bucket a request counts against, and the limits for each route group."""

from __future__ import annotations

import hashlib

from fastapi import Request

from aicaller.api.routes_index import route_template
from aicaller.config import Settings
from aicaller.core.rate_limit import RateLimitDecision, RateLimiter, parse_limit
from aicaller.users.principal import Principal

API_PREFIX = "/api/v1/"


def _limiter(request: Request) -> RateLimiter:
    limiter: RateLimiter = request.app.state.rate_limiter
    return limiter


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def client_ip(request: Request) -> str:
    # uvicorn's proxy_headers already replaced this with X-Forwarded-For from trusted proxies.
    return request.client.host if request.client else "unknown"


def route_group(request: Request) -> str:
    """``/api/v1/users/{user_id}`` -> ``users``: limits are configured per group."""
    template = route_template(request.app, request.scope.get("route")) or ""
    rest = template.removeprefix(API_PREFIX)
    return rest.split("/", 1)[0] or "api"


def _remember(request: Request, decision: RateLimitDecision) -> None:
    if _limiter(request).enabled:
        request.state.rate_limit_headers = decision.headers()


async def limit_principal(request: Request, principal: Principal) -> None:
    """Per signed-in user or API key, per route group."""
    settings = _settings(request)
    group = route_group(request)
    limit = parse_limit(settings.rate_limit_groups.get(group, settings.rate_limit_authenticated))
    identity = str(principal.api_key_id or principal.user_id)
    _remember(request, await _limiter(request).enforce(group, identity, limit))


async def limit_anonymous(request: Request) -> None:
    """Requests without valid credentials, per client IP (failed logins to the API included)."""
    limit = parse_limit(_settings(request).rate_limit_anonymous)
    _remember(request, await _limiter(request).enforce("anonymous", client_ip(request), limit))


async def limit_login(request: Request, email: str) -> None:
    """Password guessing: a strict limit per client IP and per account."""
    settings = _settings(request)
    limiter = _limiter(request)
    await limiter.enforce("login-ip", client_ip(request), parse_limit(settings.rate_limit_login_ip))
    account = hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]
    limit = parse_limit(settings.rate_limit_login_account)
    _remember(request, await limiter.enforce("login-account", account, limit))


async def limit_password_check(request: Request, principal: Principal) -> None:
    """Checking a current password is a login attempt: it gets the per-account login limit."""
    limit = parse_limit(_settings(request).rate_limit_login_account)
    identity = str(principal.user_id)
    _remember(request, await _limiter(request).enforce("password-check", identity, limit))
