"""What the agents know of a business for a turn: its search, the synonyms the search added,
and, when it has an embeddings endpoint, the meaning of sentences (``knowledge/embeddings``)."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from aicaller.agent.protocol import KnowledgeAnswer
from aicaller.core.cache import AppCache
from aicaller.knowledge.embeddings.sentences import SentenceMeaning
from aicaller.knowledge.search.service import SearchService
from aicaller.knowledge.search.synonyms import expansions


class BusinessKnowledge:
    def __init__(
        self, session: AsyncSession, business_id: uuid.UUID, cache: AppCache | None = None
    ) -> None:
        self._search = SearchService(session, business_id, cache)
        self.meaning = SentenceMeaning(session, business_id, cache)

    async def search(self, question: str, limit: int) -> KnowledgeAnswer:
        terms, hits = await self._search.search(question, limit=limit)
        # The built-in synonym groups the search added words from, per term (the business's
        # own groups would cost a query per turn; they widen the search all the same).
        equivalents = {term: tuple(expansions(term, [term])) for term in terms}
        return KnowledgeAnswer(
            terms,
            hits,
            {term: words for term, words in equivalents.items() if words},
            meaning=self.meaning,
        )
