"""Queries for the business row. The tenant *is* the business, so scoping is on ``id``."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from aicaller.database.models import Business
from aicaller.database.repository import BaseRepository


class BusinessRepository(BaseRepository[Business]):
    model = Business
    tenant_column = "id"
    not_found_code = "business_not_found"

    async def current(self) -> Business:
        return await self.get_or_raise(self.business_id)

    async def knowledge_version(self) -> int:
        stmt = select(Business.knowledge_version).where(self._tenant_condition())
        return int((await self.session.execute(stmt)).scalar_one())

    async def bump_knowledge_version(self) -> None:
        """Atomic increment; leaves ``updated_at`` (the configuration's) alone."""
        await self.session.execute(
            update(Business)
            .where(self._tenant_condition())
            .values(
                knowledge_version=Business.knowledge_version + 1,
                updated_at=Business.updated_at,
            )
        )


async def create_business(session: AsyncSession, **values: Any) -> Business:
    """Insert a new tenant (CLI and first start only; there is no tenant to scope by yet)."""
    business = Business(**values)
    session.add(business)
    await session.flush()
    return business


async def first_business(session: AsyncSession) -> Business | None:
    stmt = select(Business).order_by(Business.created_at).limit(1)
    return (await session.execute(stmt)).scalar_one_or_none()


async def business_by_reference(session: AsyncSession, reference: str) -> Business | None:
    try:
        condition = Business.id == uuid.UUID(reference)
    except ValueError:
        condition = Business.name == reference
    stmt = select(Business).where(condition).order_by(Business.created_at).limit(1)
    return (await session.execute(stmt)).scalar_one_or_none()
