"""Authentication for WebSocket routes, which FastAPI's HTTP dependencies do not cover.

Browsers cannot set headers on a WebSocket, so the credential (a JWT or API key) comes either as
``Authorization: Bearer ...`` or as the ``token`` query parameter.
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


async def websocket_principal(
    websocket: WebSocket, *, roles: frozenset[Role], scope: Scope
) -> Principal | None:
    """The signed-in principal allowed by ``roles``/``scope``, or None (the route refuses)."""
    credential = websocket_credential(websocket)
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
