"""Twilio's signature covers every parameter whole: a genuinely signed request with a value
longer than any cut-off is accepted, and tampering with the tail of a long value is refused."""

from __future__ import annotations

import httpx
from fastapi import FastAPI

from aicaller.database.models import Call
from aicaller.telephony.service import MAX_SPEECH
from tests.agent.clinic import ALWAYS_OPEN
from tests.factories import Tenant
from tests.helpers import count_rows
from tests.telephony.conftest import PUBLIC_URL
from tests.telephony.twilio_client import BUSINESS_NUMBER, TwilioCall, sign

LONG = "please " * 1500  # 10,500 characters


async def _answering(client: httpx.AsyncClient, tenant: Tenant) -> None:
    response = await client.patch(
        "/api/v1/config",
        json={
            "phone_numbers": [BUSINESS_NUMBER],
            "business_hours": ALWAYS_OPEN,
            "voice_transport": "gather",
        },
        headers=tenant.headers(),
    )
    assert response.status_code == 200, response.text


async def test_a_signed_request_with_long_values_is_accepted(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant
) -> None:
    await _answering(client, tenant)
    call = TwilioCall(client)
    # Twilio adds parameters of its own (caller name, custom ones): any length is signed whole.
    connected = await call.post(
        "/telephony/twilio/voice", call.params(CallStatus="ringing", CallerName=LONG)
    )
    assert connected.status_code == 200, connected.text
    spoken = await call.speak(LONG)
    assert spoken.status_code == 200, spoken.text
    [record] = (await client.get("/api/v1/calls", headers=tenant.headers())).json()["items"]
    transcript = await client.get(
        f"/api/v1/calls/{record['id']}/transcript", headers=tenant.headers()
    )
    said = [turn["text"] for turn in transcript.json()["items"] if turn["speaker"] == "caller"]
    assert len(said) == 1
    assert said[0].startswith("please please")
    assert len(said[0]) == MAX_SPEECH  # a turn keeps what the API allows one to hold


async def test_tampering_with_the_tail_of_a_long_value_is_refused(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant
) -> None:
    await _answering(client, tenant)
    call = TwilioCall(client)
    signed = call.params(CallStatus="ringing", CallerName=LONG)
    signature = sign(f"{PUBLIC_URL}/telephony/twilio/voice", signed)
    tampered = {**signed, "CallerName": LONG + "x"}
    response = await call.post("/telephony/twilio/voice", tampered, signature=signature)
    assert response.status_code == 403
    assert response.json()["code"] == "invalid_signature"
    assert await count_rows(app.state.database, Call) == 0
