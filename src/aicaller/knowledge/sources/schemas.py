"""Documentation sources and syncs as the API reads and writes them."""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from aicaller.core.schemas import RequestModel
from aicaller.database.models.documentation import ACTIVE_SYNC, SyncStatus
from aicaller.knowledge.documentation_scraper.selectors import MAX_SELECTOR_LENGTH, check_selector
from aicaller.knowledge.documentation_scraper.urls import normalise_url

MAX_PATTERNS = 50
# The one source field where null means something (no scheduled re-syncs: manual syncs only);
# every other field may be left out but never sent as null.
NULLABLE = frozenset({"resync_interval_hours", "content_selector"})


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
Interval = Annotated[int, Field(ge=1, le=24 * 90)]
DEFAULT_RESYNC_HOURS = 24


def _not_nullable(schema: dict[str, Any]) -> None:
    """The fields that refuse null are not marked nullable in the OpenAPI schema (their Python
    type is ``X | None`` only because "left out" has to be told apart)."""
    for name, prop in schema.get("properties", {}).items():
        options = prop.get("anyOf")
        if name in NULLABLE or options is None:
            continue
        kept = [option for option in options if option != {"type": "null"}]
        del prop["anyOf"]
        if prop.get("default", ...) is None:
            del prop["default"]
        if len(kept) == 1:
            prop.update(kept[0])
        else:
            prop["anyOf"] = kept


ContentSelector = Annotated[
    str, Field(min_length=1, max_length=MAX_SELECTOR_LENGTH), AfterValidator(check_selector)
]


class SourceFields(RequestModel):
    model_config = ConfigDict(json_schema_extra=_not_nullable)

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
    resync_interval_hours: Interval | None = Field(
        default=None, description="Hours between scheduled re-syncs; null: manual syncs only"
    )

    content_selector: ContentSelector | None = Field(
        default=None,
        description="CSS selector of the pages' main content (null: found by the page's "
        "documentation generator, else by trafilatura)",
        examples=["article.content"],
    )

    @model_validator(mode="after")
    def _no_nulls(self) -> SourceFields:
        nulls = [n for n in self.model_fields_set - NULLABLE if getattr(self, n) is None]
        if nulls:
            raise ValueError(f"these fields cannot be null: {', '.join(sorted(nulls))}")
        return self

    def to_store(self) -> dict[str, Any]:
        """The fields the request set, null included (``resync_interval_hours``)."""
        return self.model_dump(exclude_unset=True)


class SourceCreate(SourceFields):
    url: HttpUrl
    resync_interval_hours: Interval | None = Field(
        default=DEFAULT_RESYNC_HOURS,
        description="Hours between scheduled re-syncs; null: manual syncs only",
    )

    def to_store(self) -> dict[str, Any]:
        """As sent; the name defaults to the URL, the interval to a day."""
        defaults = {"name": self.url, "resync_interval_hours": self.resync_interval_hours}
        return {**defaults, **super().to_store()}


class SourceUpdate(SourceFields):
    url: HttpUrl | None = None


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
    content_selector: str | None
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
