"""Reading and changing a business's configuration."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from aicaller.businesses import repository
from aicaller.businesses.repository import BusinessRepository
from aicaller.businesses.schemas import BusinessConfig, BusinessConfigUpdate
from aicaller.core.cache import CONFIG, AppCache
from aicaller.core.cache_decorators import cache_key, cached
from aicaller.database.models import Business
from aicaller.database.service import BaseService


class BusinessService(BaseService):
    def __init__(
        self, session: AsyncSession, business_id: uuid.UUID, cache: AppCache | None = None
    ) -> None:
        super().__init__(session, business_id)
        self.businesses = BusinessRepository(session, business_id)
        self.cache = cache

    @cached(CONFIG)
    async def get_config(self) -> BusinessConfig:
        """The configuration, cached per business (read on every call the agent handles)."""
        return BusinessConfig.model_validate(await self.businesses.current())

    async def update_config(self, data: BusinessConfigUpdate) -> BusinessConfig:
        business = await self.businesses.current()
        changes = data.model_dump(mode="json", exclude_unset=True)
        updated = await self.businesses.update(business, **changes)
        if self.cache is not None:
            key = cache_key(BusinessService.get_config, (), {})
            self.cache.delete_after_commit(self.session, CONFIG, tenant=self.business_id, key=key)
        return BusinessConfig.model_validate(updated)

    async def knowledge_version(self) -> int:
        """The version search results are cached under (see aicaller.knowledge.service)."""
        return await self.businesses.knowledge_version()

    async def bump_knowledge_version(self) -> None:
        """Make every cached search result of the business stale (after its knowledge changed)."""
        await self.businesses.bump_knowledge_version()


async def create_business(session: AsyncSession, *, name: str, **config: object) -> Business:
    """A new tenant. Used by the CLI and first start, before anyone can sign in."""
    return await repository.create_business(session, name=name, **config)


async def find_business(session: AsyncSession, reference: str) -> Business | None:
    """The business with this id or exact name."""
    return await repository.business_by_reference(session, reference)


async def first_business(session: AsyncSession) -> Business | None:
    return await repository.first_business(session)
