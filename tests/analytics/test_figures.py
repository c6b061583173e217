"""Figures are definitions: a new one is computed by its pass's statement and read by its kind
with nothing else to change, and a malformed definition is refused when it is made."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from sqlalchemy import select

from aicaller.analytics import figures, reports
from aicaller.analytics.figures import Figure, Kind, Part, Pass, Unit, passes_for
from aicaller.analytics.runner import Runner
from aicaller.analytics.sql import count_if
from aicaller.database.models import Call
from tests.factories import Tenant


async def test_a_new_figure_is_one_definition(
    app: FastAPI, tenant: Tenant, seeded: dict[str, Call], monkeypatch: pytest.MonkeyPatch
) -> None:
    under_a_minute = lambda c: count_if(c.duration_seconds < 60)  # noqa: E731
    short = Figure("short_calls", Kind.COUNT, Unit.CALLS, Pass.CALLS, under_a_minute)
    total = figures.FIGURES["total_calls"]
    rate = Figure("short_call_rate", Kind.RATIO, Unit.FRACTION, Pass.CALLS, part=short, whole=total)
    monkeypatch.setitem(figures.FIGURES, short.name, short)
    monkeypatch.setitem(figures.FIGURES, rate.name, rate)
    start = min(call.started_at for call in seeded.values())
    end = max(call.started_at for call in seeded.values())  # one bucket: all but the last call
    async with app.state.database.transaction() as session:
        runner = Runner(session, tenant.business_id)
        (bucket,), _ = await reports.per_bucket(runner, [start, end], [short.name, rate.name])
        mine = select(Call).where(Call.business_id == tenant.business_id)
        in_bucket = [
            c for c in (await session.execute(mine)).scalars() if start <= c.started_at < end
        ]
    expected = sum(1 for c in in_bucket if (c.duration_seconds or 60) < 60)
    assert expected > 0
    assert bucket == {
        "short_calls": expected,
        "short_call_rate": round(expected / len(in_bucket), 4),
    }


def test_a_malformed_definition_is_refused() -> None:
    with pytest.raises(ValueError, match="ratio"):
        Figure("rate", Kind.RATIO, Unit.FRACTION, Pass.CALLS, part=Part("x", lambda c: c.x))
    with pytest.raises(ValueError, match="sql"):
        Figure("count", Kind.COUNT, Unit.CALLS, Pass.CALLS)
    with pytest.raises(ValueError, match="sql"):
        Figure("p50", Kind.PERCENTILE, Unit.SECONDS, Pass.DURATIONS, lambda c: c.duration)


def test_only_the_passes_the_figures_need_run() -> None:
    # A QA figure alone takes the light QA pass; with a call figure, the calls pass counts it.
    assert passes_for(["avg_qa_score"]) == [Pass.QA]
    assert passes_for(["avg_qa_score", "total_calls"]) == [Pass.CALLS]
    assert passes_for(["knowledge_gaps", "repeat_calls"]) == [Pass.REPEAT, Pass.GAPS]
