"""SQL aggregates over one business's escalations: how many were open at an instant (and how
old), and how many were open at the end of each bucket (from those opened and closed in it)."""

from __future__ import annotations

import functools
import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, func, not_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from aicaller.analytics.shapes import BUSINESS, business, instant
from aicaller.analytics.sql import Row, bucket_index, count_if, epoch_seconds, in_range
from aicaller.database.models import Escalation
from aicaller.database.models.escalation import EscalationStatus


class EscalationQueries:
    """Every statement filters on ``business_id``."""

    def __init__(self, session: AsyncSession, business_id: uuid.UUID) -> None:
        self.session = session
        self.business_id = business_id

    async def open_escalations(self, moment: datetime) -> Row:
        """Escalations open (or acknowledged) at ``moment``, with their mean and oldest age."""
        (row,) = await self.open_escalations_at([moment])
        return row

    async def open_escalations_at(self, moments: Sequence[datetime]) -> list[Row]:
        """``open_escalations`` at each of ``moments``, from one pass over the escalations."""
        params = {f"moment{i}": moment for i, moment in enumerate(moments)}
        stmt = _open_at_statement(len(moments))
        result = await self.session.execute(stmt, {BUSINESS: self.business_id, **params})
        row = result.one()._mapping
        rows = []
        for i, moment in enumerate(moments):
            count = int(row[f"open_{i}"])
            oldest: datetime | None = row[f"oldest_{i}"]
            mean_age = moment.timestamp() - float(row[f"mean_{i}"]) if count else None
            rows.append({
                "count": count,
                "oldest_age_seconds": (moment - oldest).total_seconds() if oldest else None,
                "mean_age_seconds": round(mean_age, 1) if mean_age is not None else None,
            })  # fmt: skip
        return rows

    async def open_per_bucket(self, cuts: Sequence[datetime]) -> dict[int, Row]:
        """How many escalations were open at the end of each bucket (the escalations pass's
        figure): those open at the start, plus those opened, less those resolved, so far."""
        level = int((await self.open_escalations(cuts[0]))["count"])
        flow = await self.escalation_flow(cuts)
        levels: dict[int, Row] = {}
        for i in range(len(cuts) - 1):
            step = flow.get(i, {})
            level += step.get("opened", 0) - step.get("closed", 0)
            levels[i] = {"open_escalations": level}
        return levels

    async def escalation_flow(self, cuts: Sequence[datetime]) -> dict[int, Row]:
        """Escalations opened and resolved per bucket (for the open count at each bucket end)."""
        opened = select(
            bucket_index(Escalation.created_at, cuts).label("bucket"),
        ).where(
            Escalation.business_id == self.business_id,
            *in_range(Escalation.created_at, cuts),
        )
        resolved_at = func.coalesce(Escalation.resolved_at, Escalation.created_at)
        closed = select(bucket_index(resolved_at, cuts).label("bucket")).where(
            Escalation.business_id == self.business_id,
            Escalation.status == EscalationStatus.RESOLVED.value,
            *in_range(resolved_at, cuts),
        )
        result: dict[int, Row] = {}
        for name, query in (("opened", opened), ("closed", closed)):
            sub = query.subquery()
            stmt = select(sub.c.bucket, func.count().label("n")).group_by(sub.c.bucket)
            for row in (await self.session.execute(stmt)).all():
                result.setdefault(int(row.bucket), {"opened": 0, "closed": 0})[name] = int(row.n)
        return result


def _open_at(moment: Any) -> ColumnElement[bool]:
    """An escalation not yet resolved at ``moment`` (created before it)."""
    resolved = Escalation.status == EscalationStatus.RESOLVED.value
    resolved_before = and_(
        resolved, or_(Escalation.resolved_at.is_(None), Escalation.resolved_at < moment)
    )
    return and_(Escalation.created_at < moment, not_(resolved_before))


@functools.lru_cache(maxsize=8)
def _open_at_statement(moments: int) -> Any:
    columns: list[Any] = []
    for i in range(moments):
        is_open = _open_at(instant(f"moment{i}"))
        columns += [
            count_if(is_open).label(f"open_{i}"),
            func.min(Escalation.created_at).filter(is_open).label(f"oldest_{i}"),
            func.avg(epoch_seconds(Escalation.created_at)).filter(is_open).label(f"mean_{i}"),
        ]
    return select(*columns).where(Escalation.business_id == business())
