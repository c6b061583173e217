"""Search results as the API returns them."""

from __future__ import annotations

import uuid

from pydantic import BaseModel, Field

from aicaller.knowledge.search.backend import SearchHit


class SearchResult(BaseModel):
    chunk_id: uuid.UUID
    document_id: uuid.UUID
    title: str
    url: str | None
    heading_path: str = Field(description='"Title > Heading > Subheading"')
    snippet: str = Field(description="The matching passage, matches in **bold**")
    content: str = Field(description="The whole chunk, prefixed with its heading path")
    score: float = Field(description="Relevance relative to the best result (1.0)")

    @classmethod
    def from_hit(cls, hit: SearchHit) -> SearchResult:
        return cls(
            chunk_id=hit.chunk_id,
            document_id=hit.document_id,
            title=hit.title,
            url=hit.url,
            heading_path=hit.heading_path,
            snippet=hit.snippet,
            content=f"{hit.heading_path}\n\n{hit.text}",
            score=hit.score,
        )


class SearchResponse(BaseModel):
    query: str
    terms: list[str] = Field(description="The words searched for (common words dropped)")
    results: list[SearchResult]
