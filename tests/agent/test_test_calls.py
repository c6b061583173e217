"""Web test calls through the API, answered from a real knowledge base (SQLite, PostgreSQL)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from aicaller.agent.conversation import ConversationService
from aicaller.core.errors import Conflict
from aicaller.database.models import Call, CallNote, Escalation, TranscriptTurn
from tests.agent.clinic import say, set_up_clinic, start_call
from tests.factories import Tenant
from tests.helpers import count_rows


async def test_a_test_call_greets_answers_from_knowledge_and_ends_on_goodbye(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    ids = await set_up_clinic(client, tenant)
    started = await start_call(client, tenant)
    call = started["call"]
    assert (call["direction"], call["status"], call["provider"]) == ("web", "in_progress", "web")
    assert started["greeting"]["text"] == "Thanks for calling Bright Smile Dental, how can I help?"
    assert [turn["intent"] for turn in call["transcript"]] == ["greeting"]

    answer = await say(client, tenant, call["id"], "How much is a cleaning?")
    assert answer["reply"]["intent"] == "answer"
    assert answer["reply"]["text"] == (
        "A routine check-up and cleaning costs $120 and takes about 45 minutes."
    )
    assert answer["reply"]["sources"] == [f"document:{ids['prices.md']}"]
    assert [(t["speaker"], t["intent"]) for t in answer["turns"]] == [
        ("caller", "caller_question"),
        ("agent", "answer"),
    ]

    insurance = await say(client, tenant, call["id"], "do you take Cigna insurance?")
    assert "Cigna" in insurance["reply"]["text"]

    bye = await say(client, tenant, call["id"], "great, thanks, bye")
    assert (bye["status"], bye["end_reason"]) == ("completed", "agent_hangup")
    assert bye["reply"]["action"] == "end"

    late = await client.post(
        f"/api/v1/calls/{call['id']}/messages", json={"text": "hello?"}, headers=tenant.headers()
    )
    assert late.status_code == 409
    assert late.json()["code"] == "call_not_active"

    transcript = (
        await client.get(f"/api/v1/calls/{call['id']}/transcript", headers=tenant.headers())
    ).json()["items"]
    assert [t["speaker"] for t in transcript] == ["agent"] + ["caller", "agent"] * 3
    assert [t["intent"] for t in transcript][-2:] == ["caller_goodbye", "goodbye"]


async def test_an_unanswerable_question_is_declined_with_a_callback_and_a_gap(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant
) -> None:
    await set_up_clinic(client, tenant)
    call = (await start_call(client, tenant))["call"]
    first = await say(client, tenant, call["id"], "Do you repair violins?")
    assert (first["reply"]["intent"], first["reply"]["action"]) == ("decline", "escalate")
    assert first["status"] == "in_progress"  # the call goes on
    second = await say(client, tenant, call["id"], "Do you sell harps?")
    assert (second["reply"]["intent"], second["reply"]["action"]) == ("decline", "continue")

    detail = (await client.get(f"/api/v1/calls/{call['id']}", headers=tenant.headers())).json()
    [escalation] = detail["escalations"]  # one callback for the call
    assert escalation["reason"] == (
        "The caller asked something the agent could not answer: 'Do you repair violins?'"
    )
    assert (escalation["priority"], escalation["created_by_id"]) == ("normal", None)
    [note] = detail["notes"]
    assert note["body"].startswith("For the person taking over. The caller asked")
    assert "Do you repair violins" in note["body"]
    gaps = (await client.get("/api/v1/knowledge/gaps", headers=tenant.headers())).json()
    assert sorted(gap["question"] for gap in gaps["items"]) == [
        "Do you repair violins?",
        "Do you sell harps?",
    ]


async def test_after_hours_a_person_is_promised_a_callback_and_the_call_goes_on(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    await set_up_clinic(client, tenant, business_hours={})  # never open
    call = (await start_call(client, tenant))["call"]
    reply = await say(client, tenant, call["id"], "I need to speak to a person")
    assert reply["reply"]["action"] == "escalate"
    assert reply["status"] == "in_progress"
    assert "call you back" in reply["reply"]["text"]
    queue = (await client.get("/api/v1/escalations", headers=tenant.headers())).json()["items"]
    assert [(item["call"]["id"], item["status"]) for item in queue] == [(call["id"], "open")]


async def test_bad_messages_are_refused_and_change_nothing(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant, other_tenant: Tenant
) -> None:
    call = (await start_call(client, tenant))["call"]
    url = f"/api/v1/calls/{call['id']}/messages"
    turns_before = await count_rows(app.state.database, TranscriptTurn)
    for body in ({"text": "   "}, {"text": ""}, {}, {"text": "x" * 2001}, {"text": "hi", "x": 1}):
        response = await client.post(url, json=body, headers=tenant.headers())
        assert response.status_code == 422, (body, response.text)
        assert response.headers["content-type"] == "application/problem+json"
    elsewhere = await client.post(url, json={"text": "hi"}, headers=other_tenant.headers())
    assert elsewhere.status_code == 404
    viewer = await client.post(url, json={"text": "hi"}, headers=tenant.headers("viewer"))
    assert viewer.status_code == 403
    assert await count_rows(app.state.database, TranscriptTurn) == turns_before

    phone = await client.post(
        "/api/v1/calls",
        json={"direction": "inbound", "from_number": "+14155550111", "to_number": "+14155550123",
              "status": "in_progress"},
        headers=tenant.headers(),
    )  # fmt: skip
    refused = await client.post(
        f"/api/v1/calls/{phone.json()['id']}/messages", json={"text": "hi"},
        headers=tenant.headers(),
    )  # fmt: skip
    assert refused.status_code == 409
    assert refused.json()["code"] == "not_a_test_call"


async def test_a_test_call_can_be_hung_up_through_the_calls_api(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant
) -> None:
    call = (await start_call(client, tenant))["call"]
    ended = await client.post(
        f"/api/v1/calls/{call['id']}/end", json={"end_reason": "caller_hangup"},
        headers=tenant.headers(),
    )  # fmt: skip
    assert ended.status_code == 200, ended.text
    assert (ended.json()["status"], ended.json()["end_reason"]) == ("completed", "caller_hangup")
    assert await count_rows(app.state.database, Call) == 1
    assert await count_rows(app.state.database, Escalation) == 0
    assert await count_rows(app.state.database, CallNote) == 0


async def test_unanswered_questions_are_listed_most_asked_first(
    client: httpx.AsyncClient, tenant: Tenant, other_tenant: Tenant
) -> None:
    await set_up_clinic(client, tenant, business_hours={})
    for question in ("Do you repair violins?", "do you repair violins", "Is there a cafe?"):
        call = (await start_call(client, tenant))["call"]
        await say(client, tenant, call["id"], question)
    gaps = (await client.get("/api/v1/knowledge/gaps", headers=tenant.headers("viewer"))).json()
    assert [(g["normalized_question"], g["count"]) for g in gaps["items"]] == [
        ("do you repair violins", 2),
        ("is there a cafe", 1),
    ]
    theirs = (await client.get("/api/v1/knowledge/gaps", headers=other_tenant.headers())).json()
    assert theirs["items"] == []
    bad = await client.get("/api/v1/knowledge/gaps?days=0", headers=tenant.headers())
    assert bad.status_code == 422


async def test_two_turns_prepared_at_once_store_one_and_refuse_the_other(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant
) -> None:
    """Replies are worked out before the call is locked; a turn prepared on a transcript that
    has changed since is refused (409 call_busy) and stores nothing."""
    await set_up_clinic(client, tenant)
    call_id = uuid.UUID((await start_call(client, tenant))["call"]["id"])
    database = app.state.database

    def conversation(session: AsyncSession) -> ConversationService:
        return ConversationService(session, tenant.business_id, agents=app.state.agents)

    async with database.transaction() as session:
        first = await conversation(session).prepare(call_id, "how much is whitening")
        second = await conversation(session).prepare(call_id, "do you take Cigna")
    async with database.transaction() as session:
        await conversation(session).apply(first)
    with pytest.raises(Conflict) as refused:
        async with database.transaction() as session:
            await conversation(session).apply(second)
    assert refused.value.code == "call_busy"
    transcript = (
        await client.get(f"/api/v1/calls/{call_id}/transcript", headers=tenant.headers())
    ).json()["items"]
    assert [t["text"] for t in transcript if t["speaker"] == "caller"] == ["how much is whitening"]


async def test_a_call_past_its_maximum_duration_is_ended_politely(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant
) -> None:
    await set_up_clinic(client, tenant, max_call_duration_seconds=30)
    call = (await start_call(client, tenant))["call"]
    async with app.state.database.transaction() as session:
        await session.execute(
            update(Call)
            .where(Call.id == uuid.UUID(call["id"]))
            .values(answered_at=datetime.now(UTC) - timedelta(minutes=1))
        )
    reply = await say(client, tenant, call["id"], "how much is whitening")
    assert (reply["status"], reply["end_reason"]) == ("completed", "max_duration")
    assert reply["reply"]["text"].startswith("I'm sorry, we've reached the time limit")


@pytest.mark.parametrize("returning", [True, False], ids=["update-returning", "update-then-select"])
async def test_a_turn_locks_the_call_on_engines_with_or_without_update_returning(
    app: FastAPI,
    client: httpx.AsyncClient,
    tenant: Tenant,
    monkeypatch: pytest.MonkeyPatch,
    returning: bool,
) -> None:
    """SQLite before 3.35 has no UPDATE ... RETURNING: the lock is then an UPDATE and a SELECT,
    and a turn is stored all the same."""
    await set_up_clinic(client, tenant)
    call = (await start_call(client, tenant))["call"]
    dialect = app.state.database.engine.sync_engine.dialect
    monkeypatch.setattr(dialect, "update_returning", returning)
    reply = await say(client, tenant, call["id"], "how much is whitening")
    assert "$350" in reply["reply"]["text"]
    transcript = (
        await client.get(f"/api/v1/calls/{call['id']}/transcript", headers=tenant.headers())
    ).json()["items"]
    assert [t["sequence"] for t in transcript] == [0, 1, 2]
    assert transcript[1]["text"] == "how much is whitening"


async def test_a_word_the_search_widened_with_a_synonym_is_evidence_for_the_answer(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    await set_up_clinic(client, tenant)
    uploaded = await client.post(
        "/api/v1/knowledge/documents",
        files={"file": ("warranty.md", b"# Warranty\n\nEvery filling has a two-year warranty.")},
        headers=tenant.headers(),
    )
    assert uploaded.status_code == 201, uploaded.text
    call = (await start_call(client, tenant))["call"]
    # The caller says "guarantee", the page "warranty" (a built-in synonym group).
    answer = await say(client, tenant, call["id"], "what guarantee do fillings have?")
    assert answer["reply"]["intent"] == "answer"
    assert answer["reply"]["text"] == "Every filling has a two-year warranty."
