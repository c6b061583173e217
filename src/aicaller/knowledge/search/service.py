"""Searching one business's knowledge: the question's terms, the backend of the session's
database, and results cached per knowledge version (an upload, a deletion or a sync bumps it).
With an embeddings endpoint configured, the lexical ranking is fused with the chunks nearest
the question in meaning (``knowledge/embeddings/``)."""

from __future__ import annotations

import uuid
from dataclasses import replace

from sqlalchemy.ext.asyncio import AsyncSession

from aicaller.businesses.service import BusinessService
from aicaller.core.cache import SEARCH, AppCache
from aicaller.database.service import BaseService
from aicaller.knowledge.embeddings.fusion import SEMANTIC_CHUNKS, fuse
from aicaller.knowledge.embeddings.semantic import (
    nearest,
    question_vector,
    resolve,
    vector_index,
)
from aicaller.knowledge.search.backend import SearchBackend, SearchHit
from aicaller.knowledge.search.pages import pool_size, rank_by_page
from aicaller.knowledge.search.postgres import PostgresSearch
from aicaller.knowledge.search.query import search_terms
from aicaller.knowledge.search.snippets import snippet
from aicaller.knowledge.search.sqlite import SqliteSearch
from aicaller.knowledge.search.synonyms import expansions, phrase_group
from aicaller.knowledge.synonyms.service import SynonymService


def backend_for(session: AsyncSession) -> SearchBackend:
    if session.get_bind().dialect.name == "postgresql":
        return PostgresSearch()
    return SqliteSearch()


class SearchService(BaseService):
    def __init__(
        self, session: AsyncSession, business_id: uuid.UUID, cache: AppCache | None = None
    ) -> None:
        super().__init__(session, business_id)
        self.business = BusinessService(session, business_id, cache)
        self.synonyms = SynonymService(session, business_id, cache)
        self.cache = cache

    async def search(self, question: str, *, limit: int) -> tuple[list[str], list[SearchHit]]:
        """The terms searched for and the chunks that best answer ``question``, cached per
        knowledge version."""
        terms = search_terms(question)
        if not terms:
            return terms, []
        extra = expansions(question, terms)
        semantic = await question_vector(self.session, self.business_id, question, self.cache)
        version = (
            await self.business.knowledge_version()
            if self.cache is not None or semantic is not None
            else 0
        )
        index = (
            None
            if semantic is None
            else await vector_index(self.session, self.business_id, version)
        )

        async def compute() -> list[SearchHit]:
            # The business's own groups change with its knowledge version, as cached results do.
            groups = await self.synonyms.word_groups(None if self.cache is None else version)
            own = [phrase_group(entries) for entries in groups]
            added = extra + [
                word for word in expansions(question, terms, tuple(own)) if word not in extra
            ]
            pool = await backend_for(self.session).search(
                self.session,
                self.business_id,
                terms,
                pool_size(limit),
                added,
                None if self.cache is None else version,
            )
            ranked = rank_by_page(pool, terms, limit if index is None else len(pool))
            if semantic is not None and index is not None:
                near = nearest(index, semantic, SEMANTIC_CHUNKS)
                if near:
                    known = {hit.chunk_id: hit for hit in ranked}
                    fused = fuse(ranked, near, limit, semantic.min_similarity)
                    ranked = await resolve(self.session, self.business_id, fused, known)
                else:
                    ranked = ranked[:limit]
            return [replace(hit, snippet=snippet(hit.text, terms + added)) for hit in ranked]

        if self.cache is None:
            return terms, await compute()
        key = f"v{version}:{limit}:{' '.join(terms)}:{' '.join(extra)}"
        if semantic is not None and index is not None:
            key += f":h{semantic.tag}:m{index.version}"  # the matrix may be the one before
        hits = await self.cache.get_or_set(
            SEARCH, tenant=self.business_id, key=key, compute=compute
        )
        return terms, hits
