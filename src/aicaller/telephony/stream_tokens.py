"""The single-use, short-lived token a streamed call's TwiML carries as a ``<Parameter>``.

It names the business and the call, expires after ``TTL_SECONDS`` and is signed with the
install's signing key (HMAC-SHA256), so the media WebSocket knows which call a stream belongs
to before any audio is used. It is claimed once, in the database (as an idempotency key of the
business), so a replayed ``start`` message is refused by every process.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
import uuid
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from aicaller.idempotency.service import IdempotencyService

PATH = "/telephony/twilio/media"
TTL_SECONDS = 120  # Twilio opens the stream within a second or two of fetching the TwiML
MAX_TOKEN_LENGTH = 200


@dataclass(frozen=True, slots=True)
class StreamGrant:
    business_id: uuid.UUID
    call_id: uuid.UUID
    nonce: str


def stream_url(public_url: str | None) -> str:
    """The URL Twilio connects to (and signs): the public URL with a WebSocket scheme."""
    base = (public_url or "").rstrip("/")
    if base.startswith("https://"):
        base = "wss://" + base.removeprefix("https://")
    elif base.startswith("http://"):
        base = "ws://" + base.removeprefix("http://")
    return base + PATH


def _sign(key: str, body: str) -> str:
    digest = hmac.new(key.encode(), body.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def issue(key: str, business_id: uuid.UUID, call_id: uuid.UUID, *, now: float | None = None) -> str:
    expires = int((now if now is not None else time.time()) + TTL_SECONDS)
    body = f"{business_id.hex}.{call_id.hex}.{expires}.{secrets.token_urlsafe(12)}"
    return f"{body}.{_sign(key, body)}"


def read(key: str, token: str, *, now: float | None = None) -> StreamGrant | None:
    """The grant a token carries, or None when it is malformed, forged or expired."""
    if len(token) > MAX_TOKEN_LENGTH or token.count(".") != 4:  # noqa: PLR2004 - five parts
        return None
    body, _, signature = token.rpartition(".")
    if not hmac.compare_digest(_sign(key, body), signature):
        return None
    business, call, expires, nonce = body.split(".")
    if not expires.isdigit() or int(expires) < (now if now is not None else time.time()):
        return None
    try:
        return StreamGrant(uuid.UUID(hex=business), uuid.UUID(hex=call), nonce)
    except ValueError:
        return None


async def claim(session: AsyncSession, grant: StreamGrant) -> bool:
    """True the first time a grant is used; False for every repeat, in any process."""
    idempotency = IdempotencyService(session, grant.business_id)
    key = f"voice:stream-token:{grant.nonce}"
    if await idempotency.begin(key, str(grant.call_id)) is not None:
        return False
    await idempotency.complete(key, 200, "claimed")
    return True
