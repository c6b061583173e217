"""Documentation sources and syncs as the API reads and writes them."""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from aicaller.core.schemas import RequestModel
from aicaller.database.models.documentation import ACTIVE_SYNC, SyncStatus
from aicaller.knowledge.documentation_scraper.urls import normalise_url

MAX_PATTERNS = 50


def _http_url(value: str) -> str:
    normalised = normalise_url(value)
    if normalised is None or len(normalised) > 2048:  # noqa: PLR2004 - the column's size
        raise ValueError(f"{value!r} is not an http(s) URL such as https://docs.example.com/")
    return normalised


def _regex(value: str) -> str:
    try:
        re.compile(value)
    except re.error as exc:
        raise ValueError(f"{value!r} is not a valid regular expression: {exc}") from exc
    return value


HttpUrl = Annotated[str, Field(max_length=2048), AfterValidator(_http_url)]
Pattern = Annotated[str, Field(min_length=1, max_length=500), AfterValidator(_regex)]
Patterns = Annotated[list[Pattern], Field(max_length=MAX_PATTERNS)]


class SourceFields(RequestModel):
    name: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    include_patterns: Patterns | None = Field(
        default=None, description="Regular expressions; a URL must match one (none: all)"
    )
    exclude_patterns: Patterns | None = Field(
        default=None, description="Regular expressions; a URL matching one is not crawled"
    )
    max_pages: Annotated[int, Field(ge=1, le=100_000)] | None = None
    max_depth: Annotated[int, Field(ge=0, le=50)] | None = None
    max_page_bytes: Annotated[int, Field(ge=10_000, le=50 * 1024 * 1024)] | None = None
    delay_seconds: Annotated[float, Field(ge=0, le=60, allow_inf_nan=False)] | None = None
    concurrency: Annotated[int, Field(ge=1, le=32)] | None = None
    resync_interval_hours: Annotated[int, Field(ge=1, le=24 * 90)] | None = None


class SourceCreate(SourceFields):
    url: HttpUrl

    @model_validator(mode="after")
    def _default_name(self) -> SourceCreate:
        if self.name is None:
            self.name = self.url
        return self


class SourceUpdate(SourceFields):
    url: HttpUrl | None = None

    @model_validator(mode="after")
    def _no_nulls(self) -> SourceUpdate:
        nullable = {"resync_interval_hours"}  # null: no scheduled re-syncs
        nulls = [n for n in self.model_fields_set - nullable if getattr(self, n) is None]
        if nulls:
            raise ValueError(f"these fields cannot be null: {', '.join(sorted(nulls))}")
        return self


class SourceOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    url: str
    include_patterns: list[str]
    exclude_patterns: list[str]
    max_pages: int
    max_depth: int
    max_page_bytes: int
    delay_seconds: float
    concurrency: int
    resync_interval_hours: int | None
    last_synced_at: datetime | None
    created_at: datetime
    updated_at: datetime


class SyncStart(RequestModel):
    force: bool = Field(default=False, description="Ignore the page cache: fetch everything")


class PageFailure(BaseModel):
    url: str
    state: str
    code: str | None
    message: str | None


class SyncOut(BaseModel):
    id: uuid.UUID
    source_id: uuid.UUID
    status: SyncStatus
    force: bool
    discovered: int
    fetched: int
    unchanged: int
    skipped: int
    failed: int
    indexed: int
    removed: int
    requests: int
    queued: int = Field(description="Pages still waiting in the frontier")
    capped: bool = Field(description="Stopped at max_pages (vanished pages are then kept)")
    current_url: str | None
    pages_per_second: float | None
    eta_seconds: float | None
    started_at: datetime | None
    finished_at: datetime | None
    heartbeat_at: datetime | None
    error: str | None
    failures: list[PageFailure] = Field(description="Pages skipped or failed (first 100)")
    created_at: datetime

    @property
    def active(self) -> bool:
        """Pending or running: its progress may still change."""
        return self.status.value in ACTIVE_SYNC
