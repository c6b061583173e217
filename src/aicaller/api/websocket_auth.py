"""Authentication for WebSocket routes, which FastAPI's HTTP dependencies do not cover.

Browsers cannot set headers on a WebSocket, so the credential (a JWT or API key) comes either as
``Authorization: Bearer ...`` or as the ``token`` query parameter. A route may also take the
console's session cookie (``session_cookie``), but only from a page of this same origin: a
browser sends cookies with a WebSocket handshake whichever site opened it, and WebSockets have
no CORS, so the ``Origin`` header is what stops another site using a signed-in person's session.
"""

from __future__ import annotations

from fastapi import WebSocket

from aicaller.core.errors import AuthenticationError
from aicaller.database.session import Database
from aicaller.users.auth import AuthService
from aicaller.users.principal import Principal
from aicaller.users.roles import Role, Scope


def websocket_credential(websocket: WebSocket) -> str | None:
    header = websocket.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return websocket.query_params.get("token") or None


def same_origin(websocket: WebSocket) -> bool:
    """Did a page of this server's own origin open the socket? (``ws``/``wss`` as ``http``/
    ``https``; the host as the handshake named it, behind a proxy as the proxy passes it on.)"""
    origin = websocket.headers.get("origin")
    if not origin:
        return False
    scheme = "https" if websocket.url.scheme in ("wss", "https") else "http"
    return origin.lower() == f"{scheme}://{websocket.url.netloc}".lower()


async def websocket_principal(
    websocket: WebSocket,
    *,
    roles: frozenset[Role],
    scope: Scope,
    session_cookie: str | None = None,
) -> Principal | None:
    """The signed-in principal allowed by ``roles``/``scope``, or None (the route refuses).
    Without a bearer token or ``?token=``, the cookie named ``session_cookie`` (same origin
    only) holds the credential."""
    credential = websocket_credential(websocket)
    if credential is None and session_cookie and same_origin(websocket):
        credential = websocket.cookies.get(session_cookie) or None
    if credential is None:
        return None
    state = websocket.app.state
    database: Database = state.database
    try:
        async with database.transaction() as session:
            auth = AuthService(session, state.password_hasher, state.token_codec, state.cache)
            principal = await auth.authenticate(credential)
    except AuthenticationError:
        return None
    if principal.is_api_key:
        return principal if scope in principal.scopes else None
    return principal if principal.role in roles else None
