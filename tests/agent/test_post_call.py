"""After a call: summary, sentiment, resolution and the AI's QA evaluation."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from aicaller.agent.post_call import PostCallAnalysis
from aicaller.calls.service import POST_CALL_JOB
from aicaller.database.models import Evaluation, Job
from aicaller.worker import create_worker
from tests.agent.clinic import say, set_up_clinic, start_call
from tests.factories import Tenant
from tests.helpers import count_rows


async def _analyse(app: FastAPI, tenant: Tenant, call_id: str) -> dict[str, Any]:
    return await PostCallAnalysis(app.state.database, tenant.business_id, None).run(
        uuid.UUID(call_id)
    )


async def _detail(client: httpx.AsyncClient, tenant: Tenant, call_id: str) -> dict[str, Any]:
    body: dict[str, Any] = (
        await client.get(f"/api/v1/calls/{call_id}", headers=tenant.headers())
    ).json()
    return body


async def test_a_resolved_call_is_summarised_and_scored(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant
) -> None:
    await set_up_clinic(client, tenant)
    call_id = (await start_call(client, tenant))["call"]["id"]
    await say(client, tenant, call_id, "How much is a cleaning?")
    await say(client, tenant, call_id, "thanks, that's perfect, bye")

    async with app.state.database.transaction() as session:
        jobs = (await session.execute(select(Job).where(Job.name == POST_CALL_JOB))).scalars()
        assert [job.payload for job in jobs] == [{"call_id": call_id}]

    outcome = await _analyse(app, tenant, call_id)
    assert outcome == {"status": "analysed", "evaluator": "offline", "score": 100.0}
    detail = await _detail(client, tenant, call_id)
    assert detail["summary"] == (
        'The caller asked "How much is a cleaning". The agent gave 1 answer. '
        "The agent ended the call after the caller said goodbye."
    )
    assert (detail["sentiment"], detail["resolved_by_ai"]) == ("positive", True)

    [evaluation] = (
        await client.get(f"/api/v1/calls/{call_id}/evaluations", headers=tenant.headers())
    ).json()["items"]
    assert (evaluation["evaluator"], evaluation["effective"]) == ("ai", True)
    assert {r["key"]: r["result"] for r in evaluation["results"]} == {
        "greeted_properly": "pass",
        "answered_from_knowledge": "pass",
        "no_unanswered_questions": "pass",
        "escalated_appropriately": "na",
        "polite_close": "pass",
    }
    assert all(r["explanation"] for r in evaluation["results"])

    # A re-run (jobs run at least once) keeps one AI evaluation and a person's summary.
    await client.patch(
        f"/api/v1/calls/{call_id}", json={"summary": "Asked for prices."}, headers=tenant.headers()
    )
    await _analyse(app, tenant, call_id)
    assert (await _detail(client, tenant, call_id))["summary"] == "Asked for prices."
    assert await count_rows(app.state.database, Evaluation) == 1


async def test_a_frustrated_caller_handed_over_is_not_resolved_by_the_ai(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant
) -> None:
    await set_up_clinic(client, tenant)
    call_id = (await start_call(client, tenant))["call"]["id"]
    await say(client, tenant, call_id, "this is ridiculous, my bill is wrong")
    await say(client, tenant, call_id, "you are useless")
    await _analyse(app, tenant, call_id)
    detail = await _detail(client, tenant, call_id)
    assert detail["end_reason"] == "transferred"
    assert (detail["sentiment"], detail["resolved_by_ai"]) == ("negative", False)
    assert "The caller was frustrated. The call was transferred to a person." in detail["summary"]
    [evaluation] = (
        await client.get(f"/api/v1/calls/{call_id}/evaluations", headers=tenant.headers())
    ).json()["items"]
    results = {r["key"]: r["result"] for r in evaluation["results"]}
    assert results["escalated_appropriately"] == "pass"


async def test_calls_without_a_caller_turn_or_gone_are_skipped(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant
) -> None:
    call_id = (await start_call(client, tenant))["call"]["id"]
    assert (await _analyse(app, tenant, call_id))["status"] == "skipped"
    assert (await _analyse(app, tenant, str(uuid.uuid4())))["status"] == "deleted"


@pytest.mark.post_call_jobs
async def test_the_job_system_analyses_a_call_once_it_ended(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant, backend: str
) -> None:
    """Embedded: the API process's runner. With Redis: an ``aicaller worker`` (started here)
    consuming the queue."""
    await set_up_clinic(client, tenant)
    worker = None
    if backend == "postgresql":
        worker = create_worker(app.state.settings, app.state.database)
        await worker.start()
    try:
        call_id = (await start_call(client, tenant))["call"]["id"]
        await say(client, tenant, call_id, "do you accept Delta Dental insurance?")
        await say(client, tenant, call_id, "bye")
        for _ in range(200):  # the runner polls; wait for it, not for a fixed time
            if (await _detail(client, tenant, call_id))["summary"]:
                break
            await asyncio.sleep(0.05)
    finally:
        if worker is not None:
            await worker.stop()
    detail = await _detail(client, tenant, call_id)
    assert detail["summary"].startswith('The caller asked "do you accept Delta Dental insurance"')
    assert detail["resolved_by_ai"] is True
