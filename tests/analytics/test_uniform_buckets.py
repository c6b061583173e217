"""Buckets of one length are numbered by arithmetic (``sql.uniform_bucket``), and land every
call where the CASE tree and a bisection in Python put it, to the microsecond at each cut."""

from __future__ import annotations

import bisect
import random
from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from aicaller.analytics import sql
from aicaller.analytics.buckets import DateRange, Interval, boundaries
from aicaller.calls.service import analytics_tag
from tests.analytics.conftest import get_json, set_timezone
from tests.calls.seed import call_row, insert_calls
from tests.factories import Tenant

EDGE = timedelta(microseconds=1)
CASES = [
    # New York, hours over the spring-forward day (a 23-hour day) and the days around it
    ("America/New_York", Interval.HOUR, date(2026, 3, 7), date(2026, 3, 9)),
    # Lord Howe moves its clocks by 30 minutes: the day has 23.5 hours, the last bucket 1.5
    ("Australia/Lord_Howe", Interval.HOUR, date(2026, 10, 4), date(2026, 10, 4)),
    # UTC days are all 24 hours
    ("UTC", Interval.DAY, date(2026, 3, 1), date(2026, 3, 20)),
]


@pytest.mark.parametrize(("timezone", "interval", "first", "last"), CASES)
async def test_arithmetic_buckets_match_the_case_tree_and_python(
    app: FastAPI,
    client: httpx.AsyncClient,
    tenant: Tenant,
    monkeypatch: pytest.MonkeyPatch,
    timezone: str,
    interval: Interval,
    first: date,
    last: date,
) -> None:
    await set_timezone(client, tenant, timezone)
    cuts = boundaries(DateRange(first, last, timezone), interval)
    assert sql.uniform_step(cuts) is not None  # the case is one the arithmetic takes
    rng = random.Random(timezone)  # noqa: S311 - test data
    span = (cuts[-1] - cuts[0]).total_seconds()
    instants = [cut + edge for cut in cuts for edge in (-EDGE, timedelta(0), EDGE)]
    instants += [cuts[0] + timedelta(seconds=rng.uniform(0, span)) for _ in range(60)]
    await insert_calls(
        app.state.database, [call_row(tenant.business_id, started_at=at) for at in instants]
    )
    expected = [0] * (len(cuts) - 1)
    for at in instants:
        if cuts[0] <= at < cuts[-1]:
            expected[bisect.bisect_right(cuts, at) - 1] += 1
    params: dict[str, Any] = {"interval": interval.value, "from": str(first), "to": str(last)}

    async def counts() -> list[int]:
        await app.state.cache.delete_tags(analytics_tag(tenant.business_id))  # compute again
        body = await get_json(client, tenant, "call-volume", **params)
        return [bucket["calls"] for bucket in body["buckets"]]

    arithmetic = await counts()
    monkeypatch.setattr(sql, "UNIFORM_MIN_BUCKETS", 10**9)  # the CASE tree, as before
    tree = await counts()
    assert arithmetic == tree == expected


def test_uneven_cuts_keep_the_case_tree() -> None:
    new_york_days = boundaries(DateRange(date(2026, 3, 1), date(2026, 3, 20), "America/New_York"),
                               Interval.DAY)  # fmt: skip
    assert sql.uniform_step(new_york_days) is None  # 03-08 has 23 hours
    few_hours = boundaries(DateRange(date(2026, 3, 1), date(2026, 3, 1), "UTC"), Interval.DAY)
    assert sql.uniform_step(few_hours) is None  # one bucket: no tree to save
