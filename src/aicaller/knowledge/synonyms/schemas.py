"""Synonym groups as the API takes and returns them."""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator

from aicaller.core.schemas import RequestModel

MAX_WORDS = 10
MAX_PHRASE_WORDS = 4
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
Entry = Annotated[str, Field(min_length=1, max_length=80)]


class SynonymCreate(RequestModel):
    words: list[Entry] = Field(
        min_length=2,
        max_length=MAX_WORDS,
        description=(
            "Words or short phrases (up to four words) that mean the same to callers; a "
            "question holding one of them also searches for the others"
        ),
        examples=[["walk in", "same day appointment", "without an appointment"]],
    )

    @field_validator("words")
    @classmethod
    def _distinct_phrases(cls, entries: list[str]) -> list[str]:
        cleaned = list(dict.fromkeys(" ".join(_WORD.findall(entry.lower())) for entry in entries))
        for entry in cleaned:
            if not entry:
                raise ValueError("each entry needs a word of letters or digits")
            if len(entry.split()) > MAX_PHRASE_WORDS:
                raise ValueError(f"{entry!r} is longer than {MAX_PHRASE_WORDS} words")
        if len(cleaned) < 2:  # noqa: PLR2004 - a group is at least two entries
            raise ValueError("a group needs at least two different entries")
        return cleaned


class SynonymOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    words: list[str]
    created_at: datetime
