"""The embeddings endpoint and indexing status as the API takes and returns them."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import AfterValidator, BaseModel, Field, SecretStr

from aicaller.core.schemas import RequestModel


def _base_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ValueError(f"{value!r} is not a web address starting with http:// or https://")
    if parts.query or parts.fragment or parts.username or parts.password:
        raise ValueError("the base URL takes no query, fragment or credentials")
    trimmed = value.rstrip("/")
    if trimmed.endswith("/embeddings"):
        raise ValueError("give the base URL (e.g. https://api.openai.com/v1), not /embeddings")
    return trimmed


class EmbeddingsConfigIn(RequestModel):
    base_url: Annotated[str, Field(max_length=500), AfterValidator(_base_url)] = Field(
        description="An OpenAI-compatible API base; ``{base_url}/embeddings`` is called",
        examples=["http://127.0.0.1:8080/v1"],
    )
    model: Annotated[str, Field(min_length=1, max_length=200)] = Field(
        examples=["text-embedding-3-small"]
    )
    api_key: Annotated[SecretStr, Field(min_length=1, max_length=500)] | None = Field(
        default=None, description="Sent as a bearer token; stored encrypted, never returned"
    )
    min_similarity: Annotated[float, Field(ge=-1.0, le=1.0, strict=True)] = Field(
        default=0.3,
        description="Chunks less similar (cosine) to a question are not semantic results",
    )


class EmbeddingsStatusOut(BaseModel):
    configured: bool
    base_url: str | None = None
    model: str | None = None
    api_key_set: bool = False
    dimensions: int | None = None
    min_similarity: float | None = None
    status: str | None = Field(
        default=None,
        description="idle (nothing to embed), indexing, or failed (see last_error; retried "
        "later, or at once with POST .../retry)",
    )
    last_error: str | None = None
    failed_at: datetime | None = None
    chunks: int = 0
    embedded: int = Field(default=0, description="Chunks that have their vector")
