"""Authentication: password login and turning a bearer credential into a Principal."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from aicaller.core.cache import PRINCIPAL, AppCache
from aicaller.core.errors import AuthenticationError
from aicaller.core.security import (
    PasswordHasher,
    TokenCodec,
    api_key_lookup_prefix,
    api_key_matches,
    looks_like_api_key,
)
from aicaller.database.models import ApiKey, User
from aicaller.users import repository
from aicaller.users.principal import Principal
from aicaller.users.roles import Role, Scope

# Writing last_used_at on every request would turn each read into a write; a minute is precise
# enough for "when was this key last used".
LAST_USED_RESOLUTION = timedelta(minutes=1)
T = TypeVar("T")
INVALID_CREDENTIALS = "Incorrect email or password"


@dataclass(frozen=True, slots=True)
class IssuedToken:
    access_token: str
    expires_in: int


@dataclass(frozen=True, slots=True)
class AuthUser:
    """What authentication needs of a user; small and picklable, so it is cached."""

    id: uuid.UUID
    business_id: uuid.UUID
    role: Role
    is_active: bool
    credentials_changed_at: datetime | None

    @classmethod
    def of(cls, user: User) -> AuthUser:
        return cls(
            user.id, user.business_id, Role(user.role), user.is_active, user.credentials_changed_at
        )

    def issued_before_credentials_changed(self, issued_at: datetime) -> bool:
        """Was the token issued before the password last changed? (iat has 1 s resolution.)"""
        changed = self.credentials_changed_at
        return changed is not None and issued_at < changed.replace(microsecond=0)


@dataclass(frozen=True, slots=True)
class AuthApiKey:
    id: uuid.UUID
    business_id: uuid.UUID
    prefix: str
    key_hash: str
    scopes: frozenset[Scope]
    revoked_at: datetime | None
    expires_at: datetime | None
    last_used_at: datetime | None

    @classmethod
    def of(cls, key: ApiKey) -> AuthApiKey:
        known = frozenset(Scope(s) for s in key.scopes if s in Scope.__members__.values())
        return cls(
            key.id,
            key.business_id,
            key.prefix,
            key.key_hash,
            known,
            key.revoked_at,
            key.expires_at,
            key.last_used_at,
        )


def user_cache_key(user_id: uuid.UUID) -> str:
    return f"user:{user_id}"


def api_key_cache_key(prefix: str) -> str:
    return f"apikey:{prefix}"


# API keys are looked up before their tenant is known, so their cache entries use this tenant.
PRE_TENANT = "auth"


def _usable(text: str) -> bool:
    return "\x00" not in text


class AuthService:
    """Principal lookups are cached in the shared layer only (``local=False``): a revoked key or
    deactivated user must be refused on the very next request on every worker, and in-process
    copies elsewhere cannot be invalidated synchronously."""

    def __init__(
        self,
        session: AsyncSession,
        hasher: PasswordHasher,
        tokens: TokenCodec,
        cache: AppCache | None = None,
    ) -> None:
        self.session = session
        self.hasher = hasher
        self.tokens = tokens
        self.cache = cache

    async def login(self, email: str, password: str) -> IssuedToken:
        """A token for valid credentials; one error for every failure so nothing is revealed."""
        if not _usable(email) or not _usable(password):
            # Unprintable input can match no account (and PostgreSQL refuses NUL in a query).
            await self.hasher.verify(password.replace("\x00", ""), None)
            raise AuthenticationError(INVALID_CREDENTIALS, code="invalid_credentials")
        user = await repository.user_for_authentication(self.session, email=email.strip().lower())
        # Always run one hash verification (the dummy one for an unknown email) so the response
        # time does not tell which emails have accounts.
        valid = await self.hasher.verify(password, user.password_hash if user else None)
        if user is None or not valid or not user.is_active:
            raise AuthenticationError(INVALID_CREDENTIALS, code="invalid_credentials")
        await repository.record_login(self.session, user_id=user.id, at=datetime.now(UTC))
        token = self.tokens.issue(user_id=user.id, business_id=user.business_id)
        return IssuedToken(access_token=token, expires_in=int(self.tokens.ttl.total_seconds()))

    async def authenticate(self, credential: str) -> Principal:
        if not credential.isprintable():
            raise AuthenticationError("Invalid token", code="invalid_token")
        if looks_like_api_key(credential):
            return await self._authenticate_api_key(credential)
        claims = self.tokens.decode(credential)

        async def load() -> AuthUser | None:
            row = await repository.user_by_id_for_authentication(
                self.session, user_id=claims.subject, business_id=claims.business_id
            )
            return AuthUser.of(row) if row else None

        user = await self._cached(claims.business_id, user_cache_key(claims.subject), load)
        if (
            user is None
            or not user.is_active
            or user.issued_before_credentials_changed(claims.issued_at)
        ):
            raise AuthenticationError("Invalid token", code="invalid_token")
        return Principal(business_id=user.business_id, user_id=user.id, role=user.role)

    async def _cached(
        self, tenant: object, key: str, load: Callable[[], Awaitable[T | None]]
    ) -> T | None:
        if self.cache is None:
            return await load()
        return await self.cache.get_or_set(
            PRINCIPAL, tenant=tenant, key=key, compute=load, local=False
        )

    async def _authenticate_api_key(self, credential: str) -> Principal:
        prefix = api_key_lookup_prefix(credential)

        async def load() -> AuthApiKey | None:
            row = await repository.api_key_for_authentication(self.session, prefix=prefix)
            return AuthApiKey.of(row) if row else None

        key = await self._cached(PRE_TENANT, api_key_cache_key(prefix), load)
        now = datetime.now(UTC)
        if key is None or not api_key_matches(credential, key.key_hash):
            raise AuthenticationError("Invalid API key", code="invalid_api_key")
        if key.revoked_at is not None:
            raise AuthenticationError("API key has been revoked", code="api_key_revoked")
        if key.expires_at is not None and key.expires_at <= now:
            raise AuthenticationError("API key has expired", code="api_key_expired")
        if key.last_used_at is None or now - key.last_used_at >= LAST_USED_RESOLUTION:
            await repository.touch_api_key(self.session, key_id=key.id, at=now)
            if self.cache is not None:  # the cached copy carries the old last_used_at
                self.cache.delete_after_commit(
                    self.session, PRINCIPAL, tenant=PRE_TENANT, key=api_key_cache_key(prefix)
                )
        return Principal(business_id=key.business_id, api_key_id=key.id, scopes=key.scopes)
