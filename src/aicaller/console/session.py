"""The console's session cookie and CSRF tokens.

The session cookie holds the access token the API's login issues, so a console session is
checked exactly like a bearer token (expiry, deactivated users, tokens issued before a password
change). The CSRF token is an HMAC of that token under the app's signing key: it needs no
server-side storage, changes with every session, and cannot be computed by a page on another
origin. Before sign-in (the login form itself) a random double-submit cookie stands in for it.
No maintained library does both shapes with a form field *and* an htmx header without a
server-side session store, which this app does not otherwise need (ADR 0019).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

SESSION_COOKIE = "aicaller_session"
LOGIN_CSRF_COOKIE = "aicaller_login_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def csrf_token(key: str, session: str) -> str:
    """The CSRF token that belongs to ``session`` (a session cookie value)."""
    return hmac.new(key.encode(), b"csrf\x00" + session.encode(), hashlib.sha256).hexdigest()


def csrf_matches(key: str, session: str, presented: str | None) -> bool:
    return presented is not None and hmac.compare_digest(csrf_token(key, session), presented)


def new_login_csrf() -> str:
    return secrets.token_urlsafe(24)


def login_csrf_matches(cookie: str | None, presented: str | None) -> bool:
    if not cookie or not presented:
        return False
    return hmac.compare_digest(cookie, presented)


def safe_next(target: str | None) -> str:
    """Where to go after sign-in: a console path only (no open redirect to another site)."""
    if target and target.startswith("/app") and "//" not in target and "\\" not in target:
        return target
    return "/app"
