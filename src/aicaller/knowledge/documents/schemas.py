"""Knowledge documents as the API returns them."""

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
