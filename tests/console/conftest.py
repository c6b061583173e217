"""Console test helpers: a signed-in browser-like client per role."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import httpx
import jwt
from fastapi import FastAPI

from aicaller.console import session as cookies
from aicaller.core.security import JWT_ALGORITHM
from tests.factories import Tenant

CSRF_META = re.compile(r'<meta name="csrf-token" content="([0-9a-f]+)">')


def console_client(
    app: FastAPI, tenant: Tenant | None = None, role: str = "admin"
) -> httpx.AsyncClient:
    """A client holding ``role``'s session cookie (the token login would put there)."""
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")
    if tenant is not None:
        client.cookies.set(cookies.SESSION_COOKIE, tenant.tokens[role])
    return client


def csrf_of(client: httpx.AsyncClient, app: FastAPI) -> str:
    """The CSRF token the console puts in its pages for this client's session."""
    session = client.cookies.get(cookies.SESSION_COOKIE) or ""
    return cookies.csrf_token(app.state.settings.signing_key, session)


def earlier_token(app: FastAPI, tenant: Tenant, role: str, seconds: int = 30) -> str:
    """An access token for ``role`` issued ``seconds`` ago (iat has one-second resolution, so
    a token from the same second as a password change stays valid)."""
    settings = app.state.settings
    issued = datetime.now(UTC) - timedelta(seconds=seconds)
    claims = {
        "sub": str(tenant.users[role]),
        "bid": str(tenant.business_id),
        "iat": issued,
        "nbf": issued,
        "exp": issued + timedelta(hours=1),
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
    }
    return jwt.encode(claims, settings.signing_key, algorithm=JWT_ALGORITHM)
