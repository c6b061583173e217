"""Queries for the business row. The tenant *is* the business, so scoping is on ``id``."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from aicaller.database.models import Business, BusinessPhoneNumber
from aicaller.database.repository import BaseRepository

# Built once: every search that misses its result cache reads the version first, and building
# the ORM expression each time cost about as much as running it (docs/benchmarks.md, "Retrieval
# quality and search latency", 2026-12-07 evening).
_KNOWLEDGE_VERSION = select(Business.knowledge_version).where(
    Business.id == bindparam("business_id")
)


class BusinessRepository(BaseRepository[Business]):
    model = Business
    tenant_column = "id"
    not_found_code = "business_not_found"

    async def current(self) -> Business:
        return await self.get_or_raise(self.business_id)

    async def current_with_numbers(self) -> tuple[Business, list[str]]:
        """The business and the numbers it answers on, in one statement (the configuration is
        read on every call the agent handles)."""
        stmt = (
            select(Business, BusinessPhoneNumber.number)
            .outerjoin(BusinessPhoneNumber, BusinessPhoneNumber.business_id == Business.id)
            .where(self._tenant_condition())
            .order_by(BusinessPhoneNumber.created_at, BusinessPhoneNumber.number)
            .execution_options(populate_existing=True)
        )
        rows = (await self.session.execute(stmt)).all()
        if not rows:
            await self.current()  # raises the usual 404
        return rows[0][0], [number for _, number in rows if number is not None]

    async def knowledge_version(self) -> int:
        params = {"business_id": self.business_id}
        return int((await self.session.execute(_KNOWLEDGE_VERSION, params)).scalar_one())

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


class PhoneNumberRepository(BaseRepository[BusinessPhoneNumber]):
    model = BusinessPhoneNumber

    async def numbers(self) -> list[str]:
        stmt = (
            select(BusinessPhoneNumber.number)
            .where(self._tenant_condition())
            .order_by(BusinessPhoneNumber.created_at, BusinessPhoneNumber.number)
        )
        return list((await self.session.execute(stmt)).scalars())

    async def taken_elsewhere(self, numbers: list[str]) -> list[str]:
        """Which of ``numbers`` another business already answers on."""
        stmt = select(BusinessPhoneNumber.number).where(
            BusinessPhoneNumber.number.in_(numbers),
            BusinessPhoneNumber.business_id != self.business_id,
        )
        return sorted((await self.session.execute(stmt)).scalars())

    async def replace(self, numbers: list[str]) -> None:
        await self.session.execute(delete(BusinessPhoneNumber).where(self._tenant_condition()))
        self.session.add_all(
            BusinessPhoneNumber(business_id=self.business_id, number=number) for number in numbers
        )
        await self.session.flush()


async def business_for_number(session: AsyncSession, number: str) -> uuid.UUID | None:
    """The business answering on ``number`` (inbound calls, before a tenant is known)."""
    stmt = select(BusinessPhoneNumber.business_id).where(BusinessPhoneNumber.number == number)
    return (await session.execute(stmt)).scalar_one_or_none()


async def sole_business(session: AsyncSession) -> uuid.UUID | None:
    """The only business of a single-business install (it answers every number)."""
    ids = list((await session.execute(select(Business.id).limit(2))).scalars())
    return ids[0] if len(ids) == 1 else None


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


async def recording_retention(session: AsyncSession) -> list[tuple[uuid.UUID, int]]:
    """Across businesses (the hourly expiry job): those with a recording retention."""
    stmt = select(Business.id, Business.recording_retention_days).where(
        Business.recording_retention_days.is_not(None)
    )
    rows = (await session.execute(stmt)).all()
    return [(row[0], row[1]) for row in rows if row[1] is not None]
