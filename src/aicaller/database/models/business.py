"""The business: the tenant, with the configuration its agent runs on."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from aicaller.database.base import Base

DEFAULT_GREETING = "Hello, thanks for calling. How can I help you today?"


class Business(Base):
    __tablename__ = "businesses"

    name: Mapped[str] = mapped_column(String(200))
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    greeting: Mapped[str] = mapped_column(Text, default=DEFAULT_GREETING)
    # {"monday": [{"open": "09:00", "close": "17:00"}], ...}; a missing day means closed.
    business_hours: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    escalation_numbers: Mapped[list[str]] = mapped_column(JSON, default=list)
    agent_instructions: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str] = mapped_column(String(35), default="en-US")
    max_call_duration_seconds: Mapped[int] = mapped_column(default=1800)
    # Bumped whenever the business's knowledge changes: cached search results carry it in their
    # key, so a change makes every older cached result unreachable at once.
    knowledge_version: Mapped[int] = mapped_column(default=0)
