"""Knowledge documents and search results as the API returns them."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from aicaller.database.models.document import DocumentKind


class DocumentOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    kind: DocumentKind
    title: str
    url: str | None
    filename: str | None
    media_type: str
    size_bytes: int
    content_hash: str
    chunk_count: int
    created_at: datetime
    updated_at: datetime


class DocumentDetail(DocumentOut):
    content: str = Field(description="The extracted text as markdown")


class SearchResult(BaseModel):
    chunk_id: uuid.UUID
    document_id: uuid.UUID
    title: str
    url: str | None
    heading_path: str = Field(description='"Title > Heading > Subheading"')
    snippet: str = Field(description="The matching passage, matches in **bold**")
    content: str = Field(description="The whole chunk, prefixed with its heading path")
    score: float = Field(description="Relevance relative to the best result (1.0)")


class SearchResponse(BaseModel):
    query: str
    terms: list[str] = Field(description="The words searched for (common words dropped)")
    results: list[SearchResult]
