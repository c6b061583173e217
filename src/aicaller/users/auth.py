"""Authentication: password login and turning a bearer credential into a Principal."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from aicaller.core.errors import AuthenticationError
from aicaller.core.security import (
    PasswordHasher,
    TokenCodec,
    api_key_lookup_prefix,
    api_key_matches,
    looks_like_api_key,
)
from aicaller.database.models import User
from aicaller.users import repository
from aicaller.users.principal import Principal
from aicaller.users.roles import Role, Scope

# Writing last_used_at on every request would turn each read into a write; a minute is precise
# enough for "when was this key last used".
LAST_USED_RESOLUTION = timedelta(minutes=1)
INVALID_CREDENTIALS = "Incorrect email or password"


@dataclass(frozen=True, slots=True)
class IssuedToken:
    access_token: str
    expires_in: int


def _issued_before(issued_at: datetime, user: User) -> bool:
    """Was the token issued before the user's password last changed? (iat has 1 s resolution.)"""
    changed = user.credentials_changed_at
    return changed is not None and issued_at < changed.replace(microsecond=0)


def _usable(text: str) -> bool:
    return "\x00" not in text


class AuthService:
    def __init__(self, session: AsyncSession, hasher: PasswordHasher, tokens: TokenCodec) -> None:
        self.session = session
        self.hasher = hasher
        self.tokens = tokens

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
        user = await repository.user_by_id_for_authentication(
            self.session, user_id=claims.subject, business_id=claims.business_id
        )
        if user is None or not user.is_active or _issued_before(claims.issued_at, user):
            raise AuthenticationError("Invalid token", code="invalid_token")
        return Principal(business_id=user.business_id, user_id=user.id, role=Role(user.role))

    async def _authenticate_api_key(self, credential: str) -> Principal:
        key = await repository.api_key_for_authentication(
            self.session, prefix=api_key_lookup_prefix(credential)
        )
        now = datetime.now(UTC)
        if key is None or not api_key_matches(credential, key.key_hash):
            raise AuthenticationError("Invalid API key", code="invalid_api_key")
        if key.revoked_at is not None:
            raise AuthenticationError("API key has been revoked", code="api_key_revoked")
        if key.expires_at is not None and key.expires_at <= now:
            raise AuthenticationError("API key has expired", code="api_key_expired")
        if key.last_used_at is None or now - key.last_used_at >= LAST_USED_RESOLUTION:
            await repository.touch_api_key(self.session, key_id=key.id, at=now)
        return Principal(
            business_id=key.business_id,
            api_key_id=key.id,
            scopes=frozenset(Scope(s) for s in key.scopes if s in Scope.__members__.values()),
        )
