"""Reading and changing a business's configuration."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from aicaller.businesses import repository
from aicaller.businesses.repository import BusinessRepository
from aicaller.businesses.schemas import BusinessConfigUpdate
from aicaller.database.models import Business
from aicaller.database.service import BaseService


class BusinessService(BaseService):
    def __init__(self, session: AsyncSession, business_id: uuid.UUID) -> None:
        super().__init__(session, business_id)
        self.businesses = BusinessRepository(session, business_id)

    async def get_config(self) -> Business:
        return await self.businesses.current()

    async def update_config(self, data: BusinessConfigUpdate) -> Business:
        business = await self.businesses.current()
        changes = data.model_dump(mode="json", exclude_unset=True)
        return await self.businesses.update(business, **changes)


async def create_business(session: AsyncSession, *, name: str, **config: object) -> Business:
    """A new tenant. Used by the CLI and first start, before anyone can sign in."""
    return await repository.create_business(session, name=name, **config)


async def find_business(session: AsyncSession, reference: str) -> Business | None:
    """The business with this id or exact name."""
    return await repository.business_by_reference(session, reference)


async def first_business(session: AsyncSession) -> Business | None:
    return await repository.first_business(session)
