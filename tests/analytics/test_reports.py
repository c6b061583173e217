"""Call volume, QA stats and trends on the hand-built data, with DST days and empty buckets."""

from __future__ import annotations

from typing import Any

import httpx
from fastapi import FastAPI

from aicaller.database.models import Call
from tests.analytics.conftest import get_json
from tests.analytics.seed import PERIOD, local
from tests.calls.seed import call_row, insert_calls
from tests.factories import Tenant


def _counts(body: dict[str, Any]) -> list[int]:
    return [bucket["calls"] for bucket in body["buckets"]]


async def test_daily_volume_counts_a_call_on_the_day_it_started(
    client: httpx.AsyncClient, tenant: Tenant, seeded: dict[str, Call]
) -> None:
    body = await get_json(client, tenant, "call-volume", interval="day", **PERIOD)
    # c3 started 03-12 23:50 and ended after midnight: it counts on the 12th.
    assert _counts(body) == [1, 0, 1, 1, 3, 1, 1]
    assert body["total_calls"] == 8
    assert body["buckets"][0]["start"] == "2026-03-09T00:00:00-04:00"
    grouped = await get_json(
        client, tenant, "call-volume", interval="day", group_by="direction", **PERIOD
    )
    assert [b["groups"] for b in grouped["buckets"]][3:] == [
        {"inbound": 0, "outbound": 1, "web": 0},
        {"inbound": 3, "outbound": 0, "web": 0},
        {"inbound": 1, "outbound": 0, "web": 0},
        {"inbound": 0, "outbound": 0, "web": 1},
    ]
    by_status = await get_json(
        client, tenant, "call-volume", interval="day", group_by="status", **PERIOD
    )
    assert by_status["buckets"][4]["groups"] == {
        "queued": 0, "ringing": 0, "in_progress": 0, "completed": 0, "busy": 1, "failed": 0,
        "no_answer": 1, "canceled": 1,
    }  # fmt: skip


async def test_weeks_months_and_a_23_hour_day(
    client: httpx.AsyncClient, tenant: Tenant, seeded: dict[str, Call]
) -> None:
    weeks = await get_json(
        client, tenant, "call-volume", interval="week", **{"from": "2026-03-01", "to": "2026-03-31"}
    )
    assert _counts(weeks) == [1, 2, 8, 2, 0, 0]
    months = await get_json(
        client,
        tenant,
        "call-volume",
        interval="month",
        **{"from": "2026-02-15", "to": "2026-04-10"},
    )
    assert _counts(months) == [0, 13, 0]
    day = await get_json(
        client, tenant, "call-volume", interval="day", **{"from": "2026-03-08", "to": "2026-03-08"}
    )
    assert day["buckets"][0]["end"] == "2026-03-09T00:00:00-04:00"
    hours = await get_json(
        client, tenant, "call-volume", interval="hour", **{"from": "2026-03-08", "to": "2026-03-08"}
    )
    assert len(hours["buckets"]) == 23
    assert sum(_counts(hours)) == 1
    assert _counts(hours)[-1] == 1


async def test_the_repeated_autumn_hour_is_two_buckets(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant, seeded: dict[str, Call]
) -> None:
    b = tenant.business_id
    first_pass = local(11, 1, 1, 30)  # 01:30 EDT = 05:30 UTC
    await insert_calls(
        app.state.database,
        [call_row(b, started_at=first_pass), call_row(b, started_at=first_pass.replace(hour=6))],
    )
    body = await get_json(
        client, tenant, "call-volume", interval="hour", **{"from": "2026-11-01", "to": "2026-11-01"}
    )
    assert len(body["buckets"]) == 25
    assert _counts(body)[:4] == [0, 1, 1, 0]
    assert [b["start"] for b in body["buckets"][1:3]] == [
        "2026-11-01T01:00:00-04:00",
        "2026-11-01T01:00:00-05:00",
    ]
    days = await get_json(
        client, tenant, "call-volume", interval="day", **{"from": "2026-10-31", "to": "2026-11-01"}
    )
    assert _counts(days) == [0, 2]


async def test_qa_stats(client: httpx.AsyncClient, tenant: Tenant, seeded: dict[str, Call]) -> None:
    body = await get_json(client, tenant, "qa-stats", period="custom", **PERIOD)
    assert (body["evaluated_calls"], body["avg_score"]) == (4, 50.0)
    assert (body["auto_failed_calls"], body["auto_fail_rate"]) == (1, 0.25)
    assert [b["calls"] for b in body["score_distribution"]] == [1, 0, 0, 0, 1, 0, 0, 1, 0, 1]
    assert body["score_distribution"][9] == {"min_score": 90, "max_score": 100, "calls": 1}
    assert body["criteria"] == [
        {"key": "greeting", "label": "Greeting", "passed": 3, "failed": 1, "not_applicable": 0,
         "pass_rate": 0.75},
        {"key": "resolution", "label": "Resolution", "passed": 2, "failed": 1,
         "not_applicable": 1, "pass_rate": 0.6667},
    ]  # fmt: skip
    assert body["by_evaluator"] == [
        {"evaluator": "ai", "evaluations": 5, "avg_score": 50.0, "auto_failed": 1,
         "auto_fail_rate": 0.2},
        {"evaluator": "human", "evaluations": 1, "avg_score": 90.0, "auto_failed": 0,
         "auto_fail_rate": 0.0},
    ]  # fmt: skip
    lowest = [(c["call_id"], c["score"], c["evaluator"]) for c in body["lowest_scoring_calls"]]
    assert lowest == [
        (str(seeded["c3"].id), 0.0, "ai"),
        (str(seeded["c2"].id), 40.0, "ai"),
        (str(seeded["c8"].id), 70.0, "ai"),
        (str(seeded["c1"].id), 90.0, "human"),
    ]
    empty = await get_json(client, tenant, "qa-stats", **{"from": "2025-01-01", "to": "2025-01-02"})
    assert empty["evaluated_calls"] == 0
    assert empty["avg_score"] is None
    assert empty["criteria"] == []
    assert empty["lowest_scoring_calls"] == []


async def test_trends_moving_average_and_change(
    client: httpx.AsyncClient, tenant: Tenant, seeded: dict[str, Call]
) -> None:
    body = await get_json(
        client, tenant, "trends", metric="total_calls", interval="day", window=3, **PERIOD
    )
    points = body["points"]
    assert [p["value"] for p in points] == [1, 0, 1, 1, 3, 1, 1]
    assert [p["moving_average"] for p in points] == [
        1.0, 0.5, 0.6667, 0.6667, 1.6667, 1.6667, 1.6667,
    ]  # fmt: skip
    assert [p["change"] for p in points] == [None, -1, 1, 0, 2, -2, 0]
    assert [p["change_pct"] for p in points] == [None, -100.0, None, 0.0, 200.0, -66.7, 0.0]
    assert body["summary"] == {"value": 8, "previous": 2, "change": 6, "change_pct": 300.0}
    opened = await get_json(
        client, tenant, "trends", metric="open_escalations", interval="day", **PERIOD
    )
    # e2 (open when the period starts) is resolved on the 10th; e1 opens on the 11th.
    assert [p["value"] for p in opened["points"]] == [1, 0, 1, 1, 1, 1, 1]
    assert opened["summary"]["value"] == 1
    assert opened["summary"]["previous"] == 1
    scores = await get_json(
        client, tenant, "trends", metric="avg_qa_score", interval="day", **PERIOD
    )
    assert [p["value"] for p in scores["points"]] == [90.0, None, 40.0, 0.0, None, 70.0, None]
    weekly = await get_json(
        client, tenant, "trends", metric="first_contact_resolution_rate", interval="week",
        **{"from": "2026-03-02", "to": "2026-03-15"},
    )  # fmt: skip
    assert [p["value"] for p in weekly["points"]] == [1.0, 0.6667]
