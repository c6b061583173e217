"""The calls list's text search (``q``): a substring of the summary or of a transcript turn,
case-insensitive, with LIKE's wildcards taken literally.

Both are written as ``lower(column) LIKE '%...%'`` because that is the expression the trigram
indexes of migration 0020 cover on PostgreSQL, whose planner picks, per branch, between walking
the page's order and reading the index. SQLite's planner cannot weigh an FTS5 match, so the
repository asks first how common the text is (``frequency``, one statement over the FTS5
trigram tables of migration 0024) and each branch either walks the page's order testing the
``LIKE`` (a common text: a page of matches comes quickly) or starts from the FTS5 matches,
which are checked with the same ``LIKE`` so the results are exactly the scan's (a rare text).
A trigram index cannot look up fewer than three characters: shorter texts walk.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    Select,
    Uuid,
    column,
    exists,
    func,
    select,
    table,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import operators
from sqlalchemy.sql.elements import UnaryExpression

from aicaller.database.models import Call, TranscriptTurn

TRIGRAM = 3  # the shortest text the FTS5 trigram tables can look up
# A branch whose text has at least this many FTS5 matches walks the page's order instead: with
# so many matches a page of them is found after few calls, while reading every match costs more.
COMMON = 2000


def _fts(name: str, text_column: str) -> Any:
    return table(name, column(text_column), column("call_id", Uuid), column("business_id", Uuid))


SUMMARIES = _fts("calls_text_summaries", "summary")
TURNS = _fts("calls_text_turns", "text")
FTS_TABLES = ((SUMMARIES, "summary"), (TURNS, "text"))


@dataclass(frozen=True, slots=True)
class Branch:
    """One branch of the search: the calls of the business, and those matching."""

    tenant: ColumnElement[bool]
    match: ColumnElement[bool]


def like_pattern(text: str) -> str:
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def fts_phrase(text: str) -> str:
    """``text`` as one FTS5 phrase: with the trigram tokenizer, a substring."""
    return '"' + text.replace('"', '""') + '"'


def uses_fts(dialect: str, text: str) -> bool:
    return dialect == "sqlite" and len(text) >= TRIGRAM


def frequency(text: str) -> Select[Any]:
    """How many FTS5 rows of summaries and of turns (of any business) match ``text``, each
    counted up to ``COMMON``: cheap, since counting stops there."""
    counts = []
    for fts, text_column in FTS_TABLES:
        some = select(fts.c.call_id).where(fts.c[text_column].op("MATCH")(fts_phrase(text)))
        counts.append(select(func.count()).select_from(some.limit(COMMON).subquery()))
    return select(*(count.scalar_subquery() for count in counts))


def not_indexed(value: Any) -> Any:
    """SQLite's unary ``+``: the same value, which no index serves (so the planner starts from
    the FTS5 matches instead of walking the business's calls)."""
    return UnaryExpression(value, operator=operators.custom_op("+"), type_=value.type)


def text_matches(business_id: uuid.UUID, text: str) -> tuple[Branch, Branch]:
    """PostgreSQL's branches: ``text`` in the call's summary; in one of its transcript turns.

    The transcript's as ``IN`` rather than a correlated ``EXISTS``: PostgreSQL plans both as
    the same semi-join, and ``IN`` reads the trigram index once.
    """
    pattern = like_pattern(text)
    in_transcript = select(TranscriptTurn.call_id).where(
        TranscriptTurn.business_id == business_id,
        func.lower(TranscriptTurn.text).like(pattern, escape="\\"),
    )
    tenant = Call.business_id == business_id
    return (
        Branch(tenant, func.lower(Call.summary).like(pattern, escape="\\")),
        Branch(tenant, Call.id.in_(in_transcript)),
    )


def sqlite_matches(
    business_id: uuid.UUID, text: str, counts: Sequence[int] = (COMMON, COMMON)
) -> tuple[Branch, Branch]:
    """SQLite's branches, each walking (``counts``, from ``frequency``, reach ``COMMON``) or
    starting from its FTS5 matches.

    The walking transcript branch is a correlated ``EXISTS`` on the call's own turns (the
    unique index on call and sequence); it names no business, because without statistics
    SQLite would read the turns through their ``business_id`` index instead, every turn of the
    business for every call. The call it is correlated to is the business's.
    """
    pattern = like_pattern(text)
    tenant = Call.business_id == business_id
    walking = (
        func.lower(Call.summary).like(pattern, escape="\\"),
        exists(
            select(TranscriptTurn.id)
            .where(
                TranscriptTurn.call_id == Call.id,
                func.lower(TranscriptTurn.text).like(pattern, escape="\\"),
            )
            .correlate(Call)
        ),
    )
    branches = []
    for (fts, text_column), walk, count in zip(FTS_TABLES, walking, counts, strict=True):
        if count >= COMMON or not uses_fts("sqlite", text):
            branches.append(Branch(tenant, walk))
            continue
        found = select(fts.c.call_id).where(
            fts.c[text_column].op("MATCH")(fts_phrase(text)),
            fts.c.business_id == business_id,
            func.lower(fts.c[text_column]).like(pattern, escape="\\"),
        )
        branches.append(Branch(not_indexed(Call.business_id) == business_id, Call.id.in_(found)))
    return branches[0], branches[1]


async def text_branches(
    session: AsyncSession, business_id: uuid.UUID, text: str
) -> tuple[Branch, Branch]:
    """The search's two branches for the session's engine; on SQLite, after asking the FTS5
    tables how common the text is (one statement)."""
    dialect = session.get_bind().dialect.name
    if dialect != "sqlite":
        return text_matches(business_id, text)
    if not uses_fts(dialect, text):
        return sqlite_matches(business_id, text)
    counts = (await session.execute(frequency(text))).one()
    return sqlite_matches(business_id, text, tuple(counts))


def searched_ids(
    branches: tuple[Branch, Branch],
    conditions: list[ColumnElement[bool]],
    order: list[Any],
    size: int,
) -> CompoundSelect[tuple[uuid.UUID]]:
    """The ids of the first ``size`` calls matching the text in the summary and of the first
    ``size`` matching it in a transcript, each under every other condition and in the page's
    order: the page is the first ``size`` of their union.

    Two branches rather than one ``OR``: under an ``OR`` PostgreSQL can use neither trigram
    index, and for a rare word walked every call of the business. Alone, each branch either
    walks the sort index and stops after ``size`` matches (a common word) or reads its few
    matches from its trigram index (a rare one), whichever the planner finds cheaper.
    """
    selects = []
    for branch in branches:
        query = select(Call.id).where(branch.tenant, *conditions, branch.match)
        # A subquery of its own: SQLite takes no ORDER BY or LIMIT on a UNION member itself.
        ordered = query.order_by(*order).limit(size).subquery()
        selects.append(select(ordered.c.id))
    return union_all(*selects)
