"""The calls list's text search (``q``): a substring of the summary or of a transcript turn,
case-insensitive, with LIKE's wildcards taken literally.

Both are written as ``lower(column) LIKE '%...%'`` because that is the expression the trigram
indexes of migration 0020 cover on PostgreSQL; SQLite scans (docs/benchmarks.md, "The
console", measures it at the embedded scale).
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import ColumnElement, CompoundSelect, func, select, union_all

from aicaller.database.models import Call, TranscriptTurn


def like_pattern(text: str) -> str:
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def text_matches(
    business_id: uuid.UUID, text: str
) -> tuple[ColumnElement[bool], ColumnElement[bool]]:
    """``text`` in the call's summary; ``text`` in one of its transcript turns.

    The transcript's as ``IN`` rather than a correlated ``EXISTS``: PostgreSQL plans both as
    the same semi-join, but SQLite without statistics (no ``ANALYZE`` has run) probed a
    correlated one through the turns' ``business_id`` index, reading every turn of the
    business for every call; ``IN`` reads them once.
    """
    pattern = like_pattern(text)
    in_transcript = select(TranscriptTurn.call_id).where(
        TranscriptTurn.business_id == business_id,
        func.lower(TranscriptTurn.text).like(pattern, escape="\\"),
    )
    in_summary = func.lower(Call.summary).like(pattern, escape="\\")
    return in_summary, Call.id.in_(in_transcript)


def searched_ids(
    business_id: uuid.UUID,
    conditions: list[ColumnElement[bool]],
    order: list[Any],
    size: int,
    text: str,
) -> CompoundSelect[tuple[uuid.UUID]]:
    """The ids of the first ``size`` calls matching ``text`` in the summary and of the first
    ``size`` matching it in a transcript, each under every other condition and in the page's
    order: the page is the first ``size`` of their union.

    Two branches rather than one ``OR``: under an ``OR`` PostgreSQL can use neither trigram
    index, and for a rare word walked every call of the business. Alone, each branch either
    walks the sort index and stops after ``size`` matches (a common word) or reads its few
    matches from its trigram index (a rare one), whichever the planner finds cheaper.
    """
    branches = []
    for match in text_matches(business_id, text):
        branch = select(Call.id).where(Call.business_id == business_id, *conditions, match)
        # A subquery of its own: SQLite takes no ORDER BY or LIMIT on a UNION member itself.
        ordered = branch.order_by(*order).limit(size).subquery()
        branches.append(select(ordered.c.id))
    return union_all(*branches)
