"""Queries for users and API keys.

The two ``*_for_authentication`` functions are the only unscoped reads: they run before any
tenant is known and return the row whose own ``business_id`` becomes the request's tenant.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from aicaller.database.models import ApiKey, User
from aicaller.database.repository import BaseRepository


class UserRepository(BaseRepository[User]):
    model = User
    not_found_code = "user_not_found"
    sortable = frozenset({"created_at", "email"})

    async def count_active_admins(self) -> int:
        return await self.count({"role": "admin", "is_active": True})


class ApiKeyRepository(BaseRepository[ApiKey]):
    model = ApiKey
    not_found_code = "api_key_not_found"


async def user_for_authentication(session: AsyncSession, *, email: str) -> User | None:
    result = await session.execute(select(User).where(User.email == email))
    return result.scalar_one_or_none()


async def user_by_id_for_authentication(
    session: AsyncSession, *, user_id: uuid.UUID, business_id: uuid.UUID
) -> User | None:
    stmt = select(User).where(User.id == user_id, User.business_id == business_id)
    return (await session.execute(stmt)).scalar_one_or_none()


async def api_key_for_authentication(session: AsyncSession, *, prefix: str) -> ApiKey | None:
    stmt = select(ApiKey).where(ApiKey.prefix == prefix)
    return (await session.execute(stmt)).scalar_one_or_none()


async def touch_api_key(session: AsyncSession, *, key_id: uuid.UUID, at: datetime) -> None:
    await session.execute(update(ApiKey).where(ApiKey.id == key_id).values(last_used_at=at))


async def record_login(session: AsyncSession, *, user_id: uuid.UUID, at: datetime) -> None:
    await session.execute(update(User).where(User.id == user_id).values(last_login_at=at))


async def email_taken(session: AsyncSession, *, email: str) -> bool:
    stmt = select(select(User.id).where(User.email == email).exists())
    return bool((await session.execute(stmt)).scalar())


async def count_all_users(session: AsyncSession) -> int:
    """Users across every business: zero only on a brand-new install."""
    return int((await session.execute(select(func.count()).select_from(User))).scalar_one())
