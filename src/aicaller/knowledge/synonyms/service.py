"""A business's own synonym groups: words its callers use for what its pages say otherwise
("walk-in" for "same-day appointment"), typically found in the knowledge-gap report. Search
adds a group's other words when a question names one of them (``search/synonyms.py``)."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from aicaller.businesses.service import BusinessService
from aicaller.core.cache import SEARCH, AppCache
from aicaller.database.models import SearchSynonym
from aicaller.database.repository import Page
from aicaller.database.service import BaseService
from aicaller.knowledge.synonyms.repository import SynonymRepository


class SynonymService(BaseService):
    def __init__(
        self, session: AsyncSession, business_id: uuid.UUID, cache: AppCache | None = None
    ) -> None:
        super().__init__(session, business_id)
        self.synonyms = SynonymRepository(session, business_id)
        self.business = BusinessService(session, business_id, cache)
        self.cache = cache

    async def create(self, words: list[str]) -> SearchSynonym:
        """A new group; cached search results of the business are stale from now on."""
        synonym = await self.synonyms.create(words=words)
        await self.business.bump_knowledge_version()
        return synonym

    async def page(self, *, limit: int, cursor: str | None) -> Page[SearchSynonym]:
        return await self.synonyms.paginate(limit=limit, cursor=cursor)

    async def delete(self, synonym_id: uuid.UUID) -> None:
        await self.synonyms.delete(await self.synonyms.get_or_raise(synonym_id))
        await self.business.bump_knowledge_version()

    async def word_groups(self, knowledge_version: int | None = None) -> list[list[str]]:
        """The business's groups, cached under its ``knowledge_version`` when one is given.

        Every search that misses the result cache needs them, and they change only when a group
        is created or deleted, which bumps the version: the key moves on with it on every worker
        (no delete to lose), and the old entry expires with the TTL of cached results.
        """
        if self.cache is None or knowledge_version is None:
            return await self.synonyms.word_groups()
        return await self.cache.get_or_set(
            SEARCH,
            tenant=self.business_id,
            key=f"synonyms:v{knowledge_version}",
            compute=self.synonyms.word_groups,
        )
