"""User and API key management within one business."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from aicaller.core.cache import PRINCIPAL, AppCache
from aicaller.core.errors import BadRequestError, Conflict
from aicaller.core.security import PasswordHasher, generate_api_key
from aicaller.database.models import ApiKey, User
from aicaller.database.repository import Page
from aicaller.database.service import BaseService
from aicaller.users import repository
from aicaller.users.auth import PRE_TENANT, api_key_cache_key, user_cache_key
from aicaller.users.repository import ApiKeyRepository, UserRepository
from aicaller.users.roles import Role
from aicaller.users.schemas import ApiKeyCreate, UserCreate, UserUpdate


class UserService(BaseService):
    def __init__(
        self,
        session: AsyncSession,
        business_id: uuid.UUID,
        hasher: PasswordHasher,
        cache: AppCache | None = None,
    ) -> None:
        super().__init__(session, business_id)
        self.users = UserRepository(session, business_id)
        self.hasher = hasher
        self.cache = cache

    def _forget_principal(self, user_id: uuid.UUID) -> None:
        """Role, active state and password changes apply from the next request on."""
        if self.cache is not None:
            self.cache.delete_after_commit(
                self.session, PRINCIPAL, tenant=self.business_id, key=user_cache_key(user_id)
            )

    async def get(self, user_id: uuid.UUID) -> User:
        return await self.users.get_or_raise(user_id)

    async def list(
        self,
        *,
        limit: int,
        cursor: str | None,
        role: Role | None = None,
        is_active: bool | None = None,
    ) -> Page[User]:
        filters: dict[str, object] = {}
        if role is not None:
            filters["role"] = role.value
        if is_active is not None:
            filters["is_active"] = is_active
        return await self.users.paginate(limit=limit, cursor=cursor, filters=filters)

    async def create(self, data: UserCreate) -> User:
        if await repository.email_taken(self.session, email=data.email):
            raise Conflict("A user with this email already exists", code="email_taken")
        password_hash = await self.hasher.hash(data.password.get_secret_value())
        return await self.users.create(
            email=data.email,
            full_name=data.full_name,
            role=data.role.value,
            password_hash=password_hash,
        )

    async def update(self, user_id: uuid.UUID, data: UserUpdate) -> User:
        user = await self.users.get_or_raise(user_id)
        # null means "leave as is", like an absent field.
        changes = data.model_dump(exclude_unset=True, exclude_none=True, exclude={"password"})
        loses_admin = (
            user.role == Role.ADMIN
            and user.is_active
            and (changes.get("role", Role.ADMIN) != Role.ADMIN or changes.get("is_active") is False)
        )
        if loses_admin:
            await self._ensure_another_admin()
        if "role" in changes:
            changes["role"] = Role(changes["role"]).value
        if data.password is not None:
            changes["password_hash"] = await self.hasher.hash(data.password.get_secret_value())
            changes["credentials_changed_at"] = datetime.now(UTC)
        self._forget_principal(user.id)
        return await self.users.update(user, **changes)

    async def change_own_password(self, user_id: uuid.UUID, current: str, new: str) -> User:
        """Change a password after checking the current one; older tokens stop working."""
        user = await self.users.get_or_raise(user_id)
        if not await self.hasher.verify(current, user.password_hash):
            raise BadRequestError(
                "The current password is not correct", code="invalid_current_password"
            )
        self._forget_principal(user.id)
        return await self.users.update(
            user,
            password_hash=await self.hasher.hash(new),
            credentials_changed_at=datetime.now(UTC),
        )

    async def deactivate(self, user_id: uuid.UUID) -> None:
        user = await self.users.get_or_raise(user_id)
        if user.role == Role.ADMIN and user.is_active:
            await self._ensure_another_admin()
        self._forget_principal(user.id)
        # Also revokes tokens issued so far: reactivating the user must not bring them back.
        await self.users.update(user, is_active=False, credentials_changed_at=datetime.now(UTC))

    async def _ensure_another_admin(self) -> None:
        if await self.users.count_active_admins() <= 1:
            raise Conflict("The business must keep at least one active admin", code="last_admin")


class ApiKeyService(BaseService):
    def __init__(
        self, session: AsyncSession, business_id: uuid.UUID, cache: AppCache | None = None
    ) -> None:
        super().__init__(session, business_id)
        self.keys = ApiKeyRepository(session, business_id)
        self.cache = cache

    async def create(
        self, data: ApiKeyCreate, *, created_by: uuid.UUID | None
    ) -> tuple[ApiKey, str]:
        """The new key row and its plaintext, which is returned once and never stored."""
        material = generate_api_key()
        key = await self.keys.create(
            name=data.name,
            scopes=[scope.value for scope in data.scopes],
            expires_at=data.expires_at,
            created_by_id=created_by,
            prefix=material.lookup_prefix,
            key_hash=material.key_hash,
        )
        return key, material.plaintext

    async def list(self, *, limit: int, cursor: str | None) -> Page[ApiKey]:
        return await self.keys.paginate(limit=limit, cursor=cursor)

    async def revoke(self, key_id: uuid.UUID) -> None:
        key = await self.keys.get_or_raise(key_id)
        if key.revoked_at is None:
            await self.keys.update(key, revoked_at=datetime.now(UTC))
            if self.cache is not None:
                self.cache.delete_after_commit(
                    self.session, PRINCIPAL, tenant=PRE_TENANT, key=api_key_cache_key(key.prefix)
                )


async def install_has_users(session: AsyncSession) -> bool:
    return await repository.count_all_users(session) > 0


async def find_user_by_email(session: AsyncSession, email: str) -> User | None:
    return await repository.user_for_authentication(session, email=email.strip().lower())


async def is_active_user(session: AsyncSession, business_id: uuid.UUID, user_id: uuid.UUID) -> bool:
    """Whether ``user_id`` is an active user of this business (for other domains' checks)."""
    return await UserRepository(session, business_id).exists(id=user_id, is_active=True)
