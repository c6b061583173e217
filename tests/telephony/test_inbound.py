"""A whole inbound phone call driven only by webhooks signed with the Twilio SDK."""

from __future__ import annotations

import uuid

import httpx
from fastapi import FastAPI

from aicaller.agent.post_call import PostCallAnalysis
from aicaller.database.models import Call, IdempotencyRecord, TranscriptTurn
from tests.agent.clinic import ALWAYS_OPEN
from tests.factories import Tenant
from tests.helpers import assert_max_queries, count_rows
from tests.knowledge.site import DocSite, html
from tests.knowledge.sources.test_sync import add_source, sync
from tests.telephony.conftest import PUBLIC_URL
from tests.telephony.twilio_client import BUSINESS_NUMBER, CALL_SID, TwilioCall, sign


async def _clinic(app: FastAPI, client: httpx.AsyncClient, tenant: Tenant, site: DocSite) -> None:
    site.page("/", html("Bright Smile Dental", "Welcome.", ("/prices", "/insurance")))
    site.page(
        "/prices",
        html("Prices", "A routine check-up and cleaning costs $120 and takes 45 minutes."),
    )
    site.page(
        "/insurance",
        html(
            "Insurance", "We accept most dental insurance plans, including Delta Dental and Cigna."
        ),
    )
    source = await add_source(client, tenant, site.url("/"))
    assert (await sync(app, client, tenant, source["id"]))["status"] == "completed"
    response = await client.patch(
        "/api/v1/config",
        json={
            "greeting": "Thanks for calling Bright Smile Dental, how can I help?",
            "phone_numbers": [BUSINESS_NUMBER],
            "escalation_numbers": ["+14155550100"],
            "business_hours": ALWAYS_OPEN,
            "language": "en-US",
            "voice_transport": "gather",  # Twilio recognises and speaks each turn
        },
        headers=tenant.headers(),
    )
    assert response.status_code == 200, response.text


async def test_an_inbound_call_from_greeting_to_transfer(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant, other_tenant: Tenant, site: DocSite
) -> None:
    await _clinic(app, client, tenant, site)
    call = TwilioCall(client)

    greeting = await call.connect()
    assert greeting.status_code == 200, greeting.text
    assert greeting.headers["content-type"].startswith("application/xml")
    [record] = (await client.get("/api/v1/calls", headers=tenant.headers())).json()["items"]
    call_id = record["id"]
    assert greeting.text == (
        '<?xml version="1.0" encoding="UTF-8"?><Response>'
        f'<Gather action="{PUBLIC_URL}/telephony/twilio/gather/{call_id}?turn=1" '
        'actionOnEmptyResult="true" input="speech" language="en-US" method="POST" '
        'speechTimeout="auto"><Say language="en-US">Thanks for calling Bright Smile Dental, '
        "how can I help?</Say></Gather></Response>"
    )

    price = await call.speak("how much does a cleaning cost")
    assert "costs $120" in price.text
    assert f"gather/{call_id}?turn=2" in price.text
    insurance = await call.speak("do you take Cigna")
    assert "Cigna" in insurance.text

    transfer = await call.speak("can I talk to a person please")
    assert transfer.text.endswith(
        '<Dial callerId="+14155550123">+14155550100</Dial><Hangup /></Response>'
    )
    assert "<Gather" not in transfer.text

    completed = await call.status("completed", CallDuration="95", SequenceNumber="3")
    assert completed.status_code == 204

    detail = (await client.get(f"/api/v1/calls/{call_id}", headers=tenant.headers())).json()
    assert (detail["direction"], detail["provider"], detail["provider_call_id"]) == (
        "inbound", "twilio", CALL_SID,
    )  # fmt: skip
    assert (detail["from_number"], detail["to_number"]) == ("+14155550111", BUSINESS_NUMBER)
    assert (detail["status"], detail["end_reason"]) == ("completed", "transferred")
    assert detail["metadata"] == {
        "transferred_to": "+14155550100",
        "carrier_duration_seconds": 95,
    }
    assert [(t["speaker"], t["intent"]) for t in detail["transcript"]] == [
        ("agent", "greeting"),
        ("caller", "caller_question"), ("agent", "answer"),
        ("caller", "caller_question"), ("agent", "answer"),
        ("caller", "caller_human"), ("agent", "transfer"),
        ("system", None),
    ]  # fmt: skip
    assert detail["transcript"][1]["confidence"] == 0.92
    assert detail["transcript"][2]["sources"] == [site.url("/prices")]
    [escalation] = detail["escalations"]
    assert escalation["reason"] == "The caller asked for a person"
    [note] = detail["notes"]
    assert note["body"] == (
        'For the person taking over. The caller asked "how much does a cleaning cost"; '
        '"do you take Cigna". The agent gave 2 answers. The caller asked for a person.'
    )

    outcome = await PostCallAnalysis(app.state.database, tenant.business_id, None).run(
        uuid.UUID(call_id)
    )
    assert outcome["status"] == "analysed"
    analysed = (await client.get(f"/api/v1/calls/{call_id}", headers=tenant.headers())).json()
    assert analysed["resolved_by_ai"] is False
    assert analysed["summary"].endswith("The call was transferred to a person.")
    [evaluation] = (
        await client.get(f"/api/v1/calls/{call_id}/evaluations", headers=tenant.headers())
    ).json()["items"]
    assert evaluation["score"] == 100.0
    assert not (await client.get("/api/v1/calls", headers=other_tenant.headers())).json()["items"]


async def test_a_repeated_webhook_is_applied_once(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant, site: DocSite
) -> None:
    await _clinic(app, client, tenant, site)
    call = TwilioCall(client)
    first = await call.connect()
    again = await call.connect()  # Twilio retried: same CallSid, same body
    assert again.text == first.text
    assert await count_rows(app.state.database, Call) == 1
    assert await count_rows(app.state.database, TranscriptTurn) == 1

    action = call.next_url
    answer = await call.speak("how much does a cleaning cost")
    call.next_url = action
    retried = await call.speak("how much does a cleaning cost")
    assert retried.text == answer.text
    assert await count_rows(app.state.database, TranscriptTurn) == 3

    for _ in range(2):
        assert (
            await call.status("completed", CallDuration="30", SequenceNumber="2")
        ).status_code == 204
    [record] = (await client.get("/api/v1/calls", headers=tenant.headers())).json()["items"]
    assert (record["status"], record["end_reason"], record["duration_seconds"]) == (
        "completed", "caller_hangup", 30,
    )  # fmt: skip
    # A late ringing callback (out of order) changes nothing.
    assert (await call.status("ringing", SequenceNumber="0")).status_code == 204
    [record] = (await client.get("/api/v1/calls", headers=tenant.headers())).json()["items"]
    assert record["status"] == "completed"


async def test_a_missing_or_wrong_signature_is_refused_and_stores_nothing(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant
) -> None:
    call = TwilioCall(client)
    params = call.params()
    for signature in ("", "bm90IGEgc2lnbmF0dXJl", None):
        headers = {} if signature is None else {"X-Twilio-Signature": signature}
        response = await client.post("/telephony/twilio/voice", data=params, headers=headers)
        assert response.status_code == 403, response.text
        assert response.json()["code"] == "invalid_signature"
    # Signed by Twilio, then tampered with: another caller number.
    signed = call.params()
    signature = sign(f"{PUBLIC_URL}/telephony/twilio/voice", signed)
    tampered = {**signed, "From": "+14155550999"}
    refused = await call.post("/telephony/twilio/voice", tampered, signature=signature)
    assert refused.status_code == 403
    # The signature covers the URL too: the same body posted to another path fails.
    moved = await call.post("/telephony/twilio/status", signed, signature=signature)
    assert moved.status_code == 403
    gather = await call.post(
        f"/telephony/twilio/gather/{uuid.uuid4()}?turn=1", signed, signature=signature
    )
    assert gather.status_code == 403
    for model in (Call, TranscriptTurn, IdempotencyRecord):
        assert await count_rows(app.state.database, model) == 0


async def test_silence_is_prompted_then_the_call_ends_politely(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant, site: DocSite
) -> None:
    await _clinic(app, client, tenant, site)
    call = TwilioCall(client)
    await call.connect()
    for _ in range(2):
        prompt = await call.speak("")
        assert "Are you still there?" in prompt.text
        assert "<Gather" in prompt.text
    last = await call.speak("")
    assert "<Hangup />" in last.text
    assert "<Gather" not in last.text
    [record] = (await client.get("/api/v1/calls", headers=tenant.headers())).json()["items"]
    assert (record["status"], record["end_reason"]) == ("completed", "caller_silent")


async def test_an_unknown_number_is_told_so_when_several_businesses_share_an_install(
    client: httpx.AsyncClient, tenant: Tenant, other_tenant: Tenant
) -> None:
    call = TwilioCall(client, called="+14155550177")
    response = await call.connect()
    assert response.status_code == 200
    assert "not in service" in response.text
    assert "<Hangup />" in response.text


async def test_a_single_business_install_answers_every_number(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    call = TwilioCall(client, called="+14155550177")  # not listed anywhere
    response = await call.connect()
    assert "<Connect><Stream" in response.text  # the streamed transport is the default
    [record] = (await client.get("/api/v1/calls", headers=tenant.headers())).json()["items"]
    assert record["to_number"] == "+14155550177"


async def test_a_gather_webhook_runs_a_bounded_number_of_statements(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant, site: DocSite
) -> None:
    """One speech turn, as Twilio sends it: signature, once-only claim, the agent's reads (the
    configuration and the search cached after the first asking), both turns and the answer."""
    await _clinic(app, client, tenant, site)
    call = TwilioCall(client)
    await call.connect()
    await call.speak("how much does a cleaning cost")  # warms the caches a busy line has warm
    action = call.next_url
    with assert_max_queries(10) as counted:
        answer = await call.speak("how much does a cleaning cost")
    assert "costs $120" in answer.text
    assert counted.count >= 8  # really counted: the turn insert, the claim, the lock, ...
    assert action != call.next_url
