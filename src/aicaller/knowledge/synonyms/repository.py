"""Queries for a business's synonym groups."""

from __future__ import annotations

from sqlalchemy import select

from aicaller.database.models import SearchSynonym
from aicaller.database.repository import BaseRepository

MAX_GROUPS = 500
"""Groups a search reads at most (a business's list is short; this bounds a bad one)."""


class SynonymRepository(BaseRepository[SearchSynonym]):
    model = SearchSynonym
    not_found_code = "synonym_not_found"

    async def word_groups(self) -> list[list[str]]:
        stmt = (
            select(SearchSynonym.words)
            .where(self._tenant_condition())
            .order_by(SearchSynonym.created_at, SearchSynonym.id)
            .limit(MAX_GROUPS)
        )
        return [list(words) for words in (await self.session.execute(stmt)).scalars()]
