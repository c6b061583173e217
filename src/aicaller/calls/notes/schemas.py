"""Notes as the API takes and returns them."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from aicaller.core.schemas import RequestModel

MAX_NOTE = 10_000
NoteBody = Annotated[str, Field(min_length=1, max_length=MAX_NOTE)]


class NoteCreate(RequestModel):
    body: NoteBody


class NoteUpdate(RequestModel):
    body: NoteBody


class NoteOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    author_id: uuid.UUID | None
    body: str
    created_at: datetime
    updated_at: datetime
