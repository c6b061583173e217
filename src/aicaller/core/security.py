"""Password hashing, JWT access tokens and API key material.

Hashing is CPU-bound (argon2id takes tens of milliseconds by design), so it always runs in a worker
thread; the event loop keeps serving other requests meanwhile.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import anyio.to_thread
import jwt
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

from aicaller.core.errors import AuthenticationError

JWT_ALGORITHM = "HS256"  # pinned: decode accepts nothing else, so alg=none/RS-confusion fail
API_KEY_PREFIX = "ak_"
API_KEY_LOOKUP_LENGTH = 12  # "ak_" + 9 characters of the secret, stored in clear for lookup
_API_KEY_SECRET_BYTES = 32


class PasswordHasher:
    """argon2id via pwdlib; a dummy hash makes unknown-user checks cost the same as real ones."""

    def __init__(self, *, time_cost: int = 3, memory_kib: int = 65536) -> None:
        self._hash = PasswordHash((Argon2Hasher(time_cost=time_cost, memory_cost=memory_kib),))
        self._dummy_hash = self._hash.hash(secrets.token_urlsafe(16))

    async def hash(self, password: str) -> str:
        return await anyio.to_thread.run_sync(self._hash.hash, password)

    async def verify(self, password: str, password_hash: str | None) -> bool:
        """Check a password; with no hash (unknown user) verify against the dummy and fail."""
        target = password_hash if password_hash is not None else self._dummy_hash
        ok = await anyio.to_thread.run_sync(self._hash.verify, password, target)
        return bool(ok) and password_hash is not None


@dataclass(frozen=True, slots=True)
class TokenClaims:
    subject: uuid.UUID
    business_id: uuid.UUID
    issued_at: datetime
    expires_at: datetime


class TokenCodec:
    """Issues and checks HS256 access tokens with ``exp``, ``iat``, ``iss`` and ``aud``."""

    def __init__(self, *, key: str, issuer: str, audience: str, ttl: timedelta) -> None:
        self._key = key
        self._issuer = issuer
        self._audience = audience
        self.ttl = ttl

    def issue(self, *, user_id: uuid.UUID, business_id: uuid.UUID) -> str:
        now = datetime.now(UTC)
        payload: dict[str, Any] = {
            "sub": str(user_id),
            "bid": str(business_id),
            "iat": now,
            "nbf": now,
            "exp": now + self.ttl,
            "iss": self._issuer,
            "aud": self._audience,
            "jti": secrets.token_hex(8),
        }
        return jwt.encode(payload, self._key, algorithm=JWT_ALGORITHM)

    def decode(self, token: str) -> TokenClaims:
        """Return the claims of a valid token or raise AuthenticationError (never leak why)."""
        try:
            payload = jwt.decode(
                token,
                self._key,
                algorithms=[JWT_ALGORITHM],
                audience=self._audience,
                issuer=self._issuer,
                options={"require": ["exp", "iat", "iss", "aud", "sub"]},
                leeway=5,
            )
            return TokenClaims(
                subject=uuid.UUID(payload["sub"]),
                business_id=uuid.UUID(payload["bid"]),
                issued_at=datetime.fromtimestamp(payload["iat"], UTC),
                expires_at=datetime.fromtimestamp(payload["exp"], UTC),
            )
        except jwt.ExpiredSignatureError as exc:
            raise AuthenticationError("Token has expired", code="token_expired") from exc
        except (jwt.InvalidTokenError, KeyError, ValueError, TypeError) as exc:
            raise AuthenticationError("Invalid token", code="invalid_token") from exc


@dataclass(frozen=True, slots=True)
class NewApiKey:
    plaintext: str  # shown to the user once, never stored
    lookup_prefix: str
    key_hash: str


def looks_like_api_key(credential: str) -> bool:
    return credential.startswith(API_KEY_PREFIX)


def generate_api_key() -> NewApiKey:
    plaintext = API_KEY_PREFIX + secrets.token_urlsafe(_API_KEY_SECRET_BYTES)
    return NewApiKey(
        plaintext=plaintext,
        lookup_prefix=plaintext[:API_KEY_LOOKUP_LENGTH],
        key_hash=hash_api_key(plaintext),
    )


def hash_api_key(plaintext: str) -> str:
    # The secret has 256 bits of entropy, so a fast hash is enough (unlike passwords): nothing can
    # be brute-forced, and lookups stay cheap on every request.
    return hashlib.sha256(plaintext.encode("utf-8")).hexdigest()


def api_key_matches(plaintext: str, stored_hash: str) -> bool:
    return hmac.compare_digest(hash_api_key(plaintext), stored_hash)


def api_key_lookup_prefix(plaintext: str) -> str:
    return plaintext[:API_KEY_LOOKUP_LENGTH]


def generate_password(length: int = 20) -> str:
    return secrets.token_urlsafe(length)
