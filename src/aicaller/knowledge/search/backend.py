"""What a search backend returns and the protocol both backends (``sqlite.py``,
``postgres.py``) implement."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

V = TypeVar("V")
COUNTS_TTL = 60.0
"""Seconds a worker keeps what it counted of a term (``TermMemo``)."""
MEMO_SIZE = 20_000
"""Terms a worker keeps counts of, over all its businesses (a few megabytes)."""


@dataclass(frozen=True, slots=True)
class SearchHit:
    chunk_id: uuid.UUID
    document_id: uuid.UUID
    title: str
    url: str | None
    heading_path: str
    text: str
    snippet: str
    score: float
    chunk_count: int = 0  # the page's chunks, its length (``pages.py``); 0 when unknown
    description: str = ""  # the page's one-line description (``pages.py``); "" when unknown


def hit_from_row(row: Any) -> SearchHit:
    """A hit from a backend's result row (id, document_id, title, url, chunk_count,
    heading_path, text, snippet, score, tier, description), read by position: a search reads a
    few dozen rows, and each column looked up by name cost about as much as the rest of the row.
    SQLite returns ids as hex strings, PostgreSQL as UUIDs (kept as they are: each UUID made
    again from its string cost more than the row)."""
    return SearchHit(
        _uuid(row[0]), _uuid(row[1]), row[2], row[3], row[5], row[6], row[7], float(row[8]), row[4],
        row[10],
    )  # fmt: skip


Staged = tuple[list[SearchHit], list[SearchHit], list[SearchHit]]
"""The hits of a statement running several queries (``plan.Together``): the lead index's
every-term query, then the full index's every-term and any-term queries."""


def staged(rows: Iterable[Any]) -> Staged:
    """The hits of a statement's rows by their tier, a tenth column (-1 the lead index's
    every-term query, 0 the full index's, 1 its any-term query)."""
    stages: Staged = ([], [], [])
    for row in rows:
        stages[row[9] + 1].append(hit_from_row(row))
    return stages


def with_score(hit: SearchHit, score: float) -> SearchHit:
    """``hit`` with another score (``dataclasses.replace`` inspects the fields on every call,
    and ranking a pool rescores every hit in it twice)."""
    return SearchHit(
        hit.chunk_id, hit.document_id, hit.title, hit.url, hit.heading_path, hit.text,
        hit.snippet, score, hit.chunk_count, hit.description,
    )  # fmt: skip


def _uuid(value: uuid.UUID | str) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(value)


class TermMemo(Generic[V]):
    """What a backend learned about a business's terms (how many chunks hold each), kept per
    worker under the business's knowledge version for ``ttl`` seconds.

    Every search the result cache misses needs its terms' counts before it can plan its
    queries, and they change only with the knowledge: an upload, a deletion or a sync bumps
    the version, so the business's own changes are seen by its next search. On SQLite the
    counts are of the whole index (posting lists are shared by the businesses), so another
    business's changes are seen once the entry expires; they only steer which terms the
    any-term query keeps (``plan.broad_terms``).
    """

    def __init__(self, ttl: float, size: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl = ttl
        self.size = size
        self.clock = clock
        self._entries: dict[tuple[uuid.UUID, int, str], tuple[float, V]] = {}

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, business_id: uuid.UUID, version: int, term: str) -> V | None:
        entry = self._entries.get((business_id, version, term))
        if entry is None or entry[0] < self.clock():
            return None
        return entry[1]

    def put(self, business_id: uuid.UUID, version: int, term: str, value: V) -> None:
        now = self.clock()
        if len(self._entries) >= self.size:
            self._entries = {key: e for key, e in self._entries.items() if e[0] >= now}
            if len(self._entries) >= self.size:  # all fresh: the older half goes
                self._entries = dict(list(self._entries.items())[self.size // 2 :])
        self._entries[business_id, version, term] = (now + self.ttl, value)

    def clear(self) -> None:
        self._entries.clear()


class SearchBackend(Protocol):
    async def search(
        self,
        session: AsyncSession,
        business_id: uuid.UUID,
        terms: list[str],
        limit: int,
        expansions: list[str] | None = None,
        version: int | None = None,
    ) -> list[SearchHit]:
        """The best ``limit`` chunks of the business matching any of ``terms`` or of
        ``expansions`` (words searched beside them, never required: ``synonyms.py``); with the
        business's knowledge ``version``, what was counted of the terms is kept under it."""
        ...
