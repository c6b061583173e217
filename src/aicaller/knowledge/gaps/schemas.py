"""Knowledge gaps as the API returns them."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class KnowledgeGapOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    question: str = Field(description="The latest wording of the question")
    normalized_question: str
    count: int = Field(description="How often it went unanswered in the period")
    last_asked_at: datetime


class KnowledgeGaps(BaseModel):
    since: datetime
    items: list[KnowledgeGapOut]
