"""The dashboard's every figure on hand-built data, against the previous period."""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx
from fastapi import FastAPI

from aicaller.database.models import Call
from tests.analytics.conftest import get_json, set_timezone
from tests.analytics.seed import PERIOD, TZ, seed
from tests.factories import Tenant

# (current, previous) for 2026-03-09..15 against 2026-03-02..08, worked out from seed.py.
EXPECTED: dict[str, tuple[Any, Any]] = {
    "total_calls": (8, 2),
    "inbound_calls": (6, 2),
    "outbound_calls": (1, 0),
    "web_calls": (1, 0),
    "answered_calls": (5, 2),
    "missed_calls": (2, 0),
    "abandoned_calls": (1, 0),
    "avg_handle_time_seconds": (250.0, 90.0),
    "p90_duration_seconds": (400, 120),
    "ai_containment_rate": (0.5, 0.5),
    "escalated_calls": (1, 1),
    "escalation_rate": (0.125, 0.5),
    "sentiment_positive": (2, 1),
    "sentiment_neutral": (1, 1),
    "sentiment_negative": (1, 0),
    "sentiment_unknown": (4, 0),
    "repeat_callers": (2, 0),
    "repeat_calls": (2, 0),
    "first_contact_resolution_rate": (0.6667, 1.0),
    "evaluated_calls": (4, 1),
    "avg_qa_score": (50.0, 60.0),
    "auto_fail_rate": (0.25, 0.0),
    "open_escalations": (1, 1),
    # e1 opened 03-11 09:05 EDT, open at the period's end (03-16 00:00 EDT); e2 opened 5
    # minutes before the period started and was resolved during it.
    "oldest_open_escalation_age_seconds": (399300.0, 300.0),
    "mean_open_escalation_age_seconds": (399300.0, 300.0),
    "knowledge_gaps": (4, 3),
}
NULL_WHEN_EMPTY = (
    "avg_handle_time_seconds",
    "p90_duration_seconds",
    "ai_containment_rate",
    "escalation_rate",
    "avg_qa_score",
    "auto_fail_rate",
    "first_contact_resolution_rate",
    "oldest_open_escalation_age_seconds",
)


async def test_every_figure_against_the_previous_period(
    app: FastAPI,
    client: httpx.AsyncClient,
    tenant: Tenant,
    other_tenant: Tenant,
    seeded: dict[str, Call],
) -> None:
    # Another business's identical data must change nothing.
    await set_timezone(client, other_tenant, TZ)
    await seed(app.state.database, other_tenant.business_id)
    body = await get_json(client, tenant, "dashboard", period="custom", **PERIOD)
    assert body["period"] == {
        "timezone": TZ,
        "from": "2026-03-09",
        "to": "2026-03-15",
        "previous_from": "2026-03-02",
        "previous_to": "2026-03-08",
    }
    figures: dict[str, dict[str, Any]] = body["figures"]
    assert set(figures) == set(EXPECTED)
    got = {name: (f["value"], f["previous"]) for name, f in figures.items()}
    assert got == EXPECTED
    assert figures["total_calls"]["change"] == 6
    assert figures["total_calls"]["change_pct"] == 300.0
    assert figures["avg_qa_score"]["change"] == -10.0
    assert figures["avg_qa_score"]["change_pct"] == -16.7
    assert figures["outbound_calls"]["change_pct"] is None  # nothing to compare with
    gaps = body["top_knowledge_gaps"]
    assert [(g["normalized_question"], g["count"], g["previous"], g["change"]) for g in gaps] == [
        ("what are your prices", 3, 1, 2),
        ("do you do boilers", 1, 0, 1),
    ]


async def test_an_empty_period_is_zeros_and_nulls(
    client: httpx.AsyncClient, tenant: Tenant, seeded: dict[str, Call]
) -> None:
    body = await get_json(client, tenant, "dashboard", **{"from": "2025-01-01", "to": "2025-01-31"})
    figures: dict[str, dict[str, Any]] = body["figures"]
    assert figures["total_calls"] == {"value": 0, "previous": 0, "change": 0, "change_pct": None}
    for name in NULL_WHEN_EMPTY:
        assert figures[name]["value"] is None, name
    assert body["top_knowledge_gaps"] == []


async def test_preset_periods_end_today(
    client: httpx.AsyncClient, tenant: Tenant, seeded: dict[str, Call]
) -> None:
    created = await client.post(
        "/api/v1/calls",
        json={"direction": "inbound", "from_number": "+14155550123", "to_number": "+14155550124"},
        headers=tenant.headers(),
    )
    assert created.status_code == 201
    for period, days in (("today", 1), ("7d", 7), ("30d", 30)):
        body = await get_json(client, tenant, "dashboard", period=period)
        span = body["period"]
        assert isinstance(span, dict)
        first, last = date.fromisoformat(span["from"]), date.fromisoformat(span["to"])
        assert (last - first).days + 1 == days
        assert body["figures"]["total_calls"]["value"] == 1
