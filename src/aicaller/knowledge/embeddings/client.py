"""The OpenAI-compatible ``/embeddings`` call: ``{"model", "input": [...]}`` in, one
``{"embedding": [...], "index": i}`` per input out (OpenAI, vLLM, Ollama, text-embeddings-
inference, LiteLLM ... all answer this shape).

Every request goes through the SSRF guard of the process's HTTP client (``fetch``): the URL
is a tenant's input. The caller says whether a failure is retried (indexing) or not (a search,
which has a caller waiting and falls back to the lexical ranking instead).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from aicaller.core.errors import ExternalServiceError, UpstreamHttpError
from aicaller.core.http import SafeHttpClient

MAX_INPUT_CHARS = 8000
"""Characters of a chunk sent at most: endpoints refuse inputs past their model's context."""
MAX_RESPONSE_BYTES = 64 * 1024 * 1024


class EmbeddingsFailed(ExternalServiceError):
    """The embeddings endpoint failed or answered something that is not embeddings."""

    code = "embeddings_failed"
    title = "Embeddings Endpoint Failed"


@dataclass(frozen=True, slots=True)
class Endpoint:
    base_url: str  # without the trailing "/embeddings"
    model: str
    api_key: str | None = None

    @property
    def url(self) -> str:
        return f"{self.base_url.rstrip('/')}/embeddings"


async def embed(
    http: SafeHttpClient, endpoint: Endpoint, texts: list[str], *, retry: bool
) -> list[list[float]]:
    """The vectors of ``texts``, in order; ``EmbeddingsFailed`` for any failure."""
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    if endpoint.api_key:
        headers["Authorization"] = f"Bearer {endpoint.api_key}"
    body = {"model": endpoint.model, "input": [text[:MAX_INPUT_CHARS] for text in texts]}
    try:
        response = await http.fetch(
            endpoint.url,
            method="POST",
            headers=headers,
            content=json.dumps(body).encode(),
            max_bytes=MAX_RESPONSE_BYTES,
            retry=retry,
            follow_redirects=False,
        )
    except UpstreamHttpError as exc:
        raise EmbeddingsFailed(f"{endpoint.url}: {exc.message}") from exc
    if response.status_code != 200:  # noqa: PLR2004 - the one success OpenAI answers with
        detail = response.content[:200].decode("utf-8", "replace")
        raise EmbeddingsFailed(f"{endpoint.url} answered {response.status_code}: {detail}")
    return _vectors(response.content, len(texts), endpoint.url)


def _vectors(content: bytes, expected: int, url: str) -> list[list[float]]:
    try:
        data: Any = json.loads(content)["data"]
        ordered = sorted(data, key=lambda item: int(item.get("index", 0)))
        vectors = [[float(value) for value in item["embedding"]] for item in ordered]
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise EmbeddingsFailed(f"{url} did not answer with embeddings ({exc!r})") from exc
    if len(vectors) != expected:
        raise EmbeddingsFailed(f"{url} answered {len(vectors)} embeddings for {expected} inputs")
    widths = {len(vector) for vector in vectors}
    if len(widths) > 1 or 0 in widths:
        raise EmbeddingsFailed(f"{url} answered embeddings of sizes {sorted(widths)}")
    return vectors
