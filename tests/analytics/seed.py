"""Hand-built analytics data for a business in America/New_York (DST began 2026-03-08).

The report period is 2026-03-09..15 (local); the previous one 2026-03-02..08 holds the DST
change. Every expected figure in the tests is worked out by hand from the rows below.
"""

from __future__ import annotations

import uuid
import zoneinfo
from datetime import UTC, datetime
from typing import Any

from aicaller.database.models import Call, Escalation, Evaluation, KnowledgeGap
from aicaller.database.session import Database
from aicaller.knowledge.gaps.service import normalize_question

TZ = "America/New_York"
ZONE = zoneinfo.ZoneInfo(TZ)
N = "+121255500"  # caller numbers: N + two digits
PERIOD = {"from": "2026-03-09", "to": "2026-03-15"}


def local(month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, second, tzinfo=ZONE).astimezone(UTC)


def _call(business_id: uuid.UUID, **values: Any) -> Call:
    defaults: dict[str, Any] = {
        "direction": "inbound",
        "to_number": "+12125550100",
        "status": "completed",
    }
    return Call(id=uuid.uuid4(), business_id=business_id, **(defaults | values))


def _results(**results: str) -> list[dict[str, Any]]:
    return [
        {"key": key, "label": key.title(), "weight": 1.0, "auto_fail": False, "result": result}
        for key, result in results.items()
    ]


async def seed(database: Database, business_id: uuid.UUID) -> dict[str, Call]:
    b = business_id
    calls = {
        # current period (local 2026-03-09 .. 15)
        "c1": _call(b, from_number=N + "01", started_at=local(3, 9, 10), duration_seconds=100,
                    sentiment="positive", end_reason="caller_hangup"),
        "c2": _call(b, from_number=N + "01", started_at=local(3, 11, 9), duration_seconds=200,
                    sentiment="negative"),
        # crosses midnight: counted on the day it started
        "c3": _call(b, direction="outbound", from_number="+12125550100", to_number="+12125550002",
                    started_at=local(3, 12, 23, 50), ended_at=local(3, 13, 0, 5),
                    duration_seconds=300, sentiment="neutral", end_reason="transferred"),
        "c4": _call(b, direction="web", from_number="=HYPERLINK(\"x\")", status="in_progress",
                    started_at=local(3, 15, 23, 59, 30), summary="@SUM(A1:A2)"),
        "c5": _call(b, from_number=N + "03", status="no_answer", started_at=local(3, 13, 8)),
        "c6": _call(b, from_number=N + "04", status="busy", started_at=local(3, 13, 9)),
        "c7": _call(b, from_number=N + "05", status="canceled", started_at=local(3, 13, 10)),
        "c8": _call(b, from_number=N + "06", started_at=local(3, 14, 12), duration_seconds=400,
                    sentiment="positive"),
        # just after the period; follows c5 up within 7 days
        "c9": _call(b, from_number=N + "03", started_at=local(3, 16), duration_seconds=50),
        # c8's number again, 8 days later: not a repeat
        "c11": _call(b, from_number=N + "06", started_at=local(3, 22, 12), duration_seconds=10),
        # previous period (local 2026-03-02 .. 08)
        "c10": _call(b, from_number=N + "07", started_at=local(3, 8, 23, 50),
                     duration_seconds=60, sentiment="neutral", end_reason="escalated"),
        "c12": _call(b, from_number=N + "08", started_at=local(3, 2), duration_seconds=120,
                     sentiment="positive"),
        # before both periods
        "c13": _call(b, from_number=N + "09", started_at=local(3, 1, 23, 59), duration_seconds=5),
    }  # fmt: skip
    escalations = [
        Escalation(business_id=b, call_id=calls["c2"].id, reason="asked for a person",
                   status="open", created_at=local(3, 11, 9, 5)),
        Escalation(business_id=b, call_id=calls["c10"].id, reason="angry", status="resolved",
                   created_at=local(3, 8, 23, 55), resolved_at=local(3, 10, 10),
                   resolution="called back"),
    ]  # fmt: skip

    def evaluation(call: str, evaluator: str, score: float, minutes: int, **kw: Any) -> Evaluation:
        return Evaluation(
            business_id=b, call_id=calls[call].id, scorecard_name="Default", evaluator=evaluator,
            score=score, created_at=calls[call].started_at.replace(second=0) + minutes * MINUTE,
            **kw,
        )  # fmt: skip

    evaluations = [
        evaluation("c1", "ai", 80, 10, results=_results(greeting="fail", resolution="pass")),
        evaluation("c1", "human", 90, 5, results=_results(greeting="pass", resolution="pass")),
        evaluation("c2", "ai", 40, 10, results=_results(greeting="pass", resolution="fail")),
        evaluation("c3", "ai", 0, 30, auto_failed=True,
                   results=_results(greeting="fail", resolution="na")),
        evaluation("c8", "ai", 60, 10, results=_results(greeting="fail", resolution="fail")),
        # a later AI evaluation replaces the earlier as the effective one
        evaluation("c8", "ai", 70, 20, results=_results(greeting="pass", resolution="pass")),
        evaluation("c10", "ai", 60, 10, results=_results(greeting="pass", resolution="na")),
    ]  # fmt: skip
    questions = [
        ("What are your prices?", local(3, 10, 9)),
        ("what are your prices", local(3, 12, 9)),
        ("Um, what are your prices", local(3, 15, 9)),
        ("Do you do boilers?", local(3, 14, 9)),
        ("What are your prices?", local(3, 3, 9)),
        ("Is there parking?", local(3, 4, 9)),
        ("Is there parking", local(3, 5, 9)),
    ]
    gaps = [
        KnowledgeGap(business_id=b, question=q, normalized_question=normalize_question(q),
                     created_at=at)
        for q, at in questions
    ]  # fmt: skip
    async with database.transaction() as session:
        session.add_all(calls.values())
        await session.flush()
        session.add_all([*escalations, *evaluations, *gaps])
    return calls


MINUTE = datetime(2026, 1, 1, 0, 1) - datetime(2026, 1, 1)
