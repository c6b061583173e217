"""Who is calling: the bearer credential turned into a Principal.

One code path for the request guard, which checks credentials before a request body is read,
and for the ``CurrentPrincipal`` dependency, which reuses the guard's answer.
"""

from __future__ import annotations

from fastapi import Request
from fastapi.security.utils import get_authorization_scheme_param
from sqlalchemy.ext.asyncio import AsyncSession

from aicaller.api.rate_limits import limit_anonymous
from aicaller.core.errors import AuthenticationError
from aicaller.users.auth import AuthService
from aicaller.users.principal import Principal


def bearer_credential(authorization: str | None) -> str | None:
    """The credential of an ``Authorization: Bearer ...`` header (OAuth2's rule)."""
    scheme, credential = get_authorization_scheme_param(authorization)
    if not authorization or scheme.lower() != "bearer":
        return None
    return credential or None


async def authenticate(
    request: Request, session: AsyncSession, credential: str | None
) -> Principal:
    """The principal behind ``credential``, or a 401. Failures count against the client IP's
    anonymous rate limit: guessing keys or tokens is limited like anonymous use."""
    if not credential:
        await limit_anonymous(request)
        raise AuthenticationError("Authentication required")
    state = request.app.state
    auth = AuthService(session, state.password_hasher, state.token_codec, state.cache)
    try:
        return await auth.authenticate(credential)
    except AuthenticationError:
        await limit_anonymous(request)
        raise


def remember(request: Request, principal: Principal) -> None:
    request.state.principal = principal


def remembered(request: Request) -> Principal | None:
    """The principal the request guard authenticated, if it did."""
    principal: Principal | None = getattr(request.state, "principal", None)
    return principal
