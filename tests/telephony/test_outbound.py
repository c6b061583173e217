"""Outbound calls, hang-ups and transfers through Twilio's REST API (respx stands in for it),
with the exact requests Twilio expects, and per-business credentials."""

from __future__ import annotations

from urllib.parse import parse_qs

import httpx
import respx
from fastapi import FastAPI

from aicaller.database.models import Call
from tests.factories import Tenant
from tests.helpers import count_rows
from tests.telephony.conftest import ACCOUNT_SID, AUTH_TOKEN, FROM_NUMBER, PUBLIC_URL
from tests.telephony.twilio_client import TwilioCall, sign

API = f"https://api.twilio.com/2010-04-01/Accounts/{ACCOUNT_SID}"
OUTBOUND_SID = "CA" + "cd" * 16
TARGET = "+14155550142"


def _call_json(status: str) -> dict[str, object]:
    return {"sid": OUTBOUND_SID, "status": status, "from": FROM_NUMBER, "to": TARGET,
            "account_sid": ACCOUNT_SID, "direction": "outbound-api"}  # fmt: skip


def _form(request: httpx.Request) -> dict[str, list[str]]:
    return parse_qs(request.content.decode())


@respx.mock(assert_all_mocked=True, assert_all_called=False)
async def test_an_outbound_call_is_placed_answered_and_hung_up(
    respx_mock: respx.MockRouter, app: FastAPI, client: httpx.AsyncClient, tenant: Tenant
) -> None:
    create = respx_mock.post(f"{API}/Calls.json").mock(
        return_value=httpx.Response(201, json=_call_json("queued"))
    )
    hang_up = respx_mock.post(f"{API}/Calls/{OUTBOUND_SID}.json").mock(
        return_value=httpx.Response(200, json=_call_json("completed"))
    )
    placed = await client.post(
        "/api/v1/calls/initiate", json={"to_number": TARGET}, headers=tenant.headers()
    )
    assert placed.status_code == 201, placed.text
    call = placed.json()
    assert (call["provider"], call["provider_call_id"], call["status"]) == (
        "twilio", OUTBOUND_SID, "queued",
    )  # fmt: skip
    request = create.calls.last.request
    assert request.headers["authorization"] == httpx.BasicAuth(ACCOUNT_SID, AUTH_TOKEN)._auth_header
    assert _form(request) == {
        "To": [TARGET],
        "From": [FROM_NUMBER],
        "Url": [f"{PUBLIC_URL}/telephony/twilio/voice?call_id={call['id']}"],
        "Method": ["POST"],
        "StatusCallback": [f"{PUBLIC_URL}/telephony/twilio/status"],
        "StatusCallbackMethod": ["POST"],
        "StatusCallbackEvent": ["initiated", "ringing", "answered", "completed"],
    }

    # The callee answers: Twilio asks the voice URL (with our call id) what to say.
    twilio = TwilioCall(client, call_sid=OUTBOUND_SID, caller=FROM_NUMBER, called=TARGET)
    params = twilio.params(Direction="outbound-api", CallStatus="in-progress")
    answered = await twilio.post(f"/telephony/twilio/voice?call_id={call['id']}", params)
    assert "<Connect><Stream" in answered.text  # outbound calls stream too (the default)
    detail = (await client.get(f"/api/v1/calls/{call['id']}", headers=tenant.headers())).json()
    assert detail["status"] == "in_progress"
    assert [t["intent"] for t in detail["transcript"]] == ["greeting"]

    ended = await client.post(f"/api/v1/calls/{call['id']}/end", headers=tenant.headers())
    assert ended.status_code == 200, ended.text
    assert _form(hang_up.calls.last.request) == {"Status": ["completed"]}
    assert ended.json()["status"] == "completed"


@respx.mock(assert_all_mocked=True, assert_all_called=False)
async def test_a_transfer_sends_dial_twiml_to_the_live_call(
    respx_mock: respx.MockRouter, client: httpx.AsyncClient, tenant: Tenant
) -> None:
    respx_mock.post(f"{API}/Calls.json").mock(
        return_value=httpx.Response(201, json=_call_json("in-progress"))
    )
    update = respx_mock.post(f"{API}/Calls/{OUTBOUND_SID}.json").mock(
        return_value=httpx.Response(200, json=_call_json("in-progress"))
    )
    call = (
        await client.post(
            "/api/v1/calls/initiate", json={"to_number": TARGET}, headers=tenant.headers()
        )
    ).json()
    moved = await client.post(
        f"/api/v1/calls/{call['id']}/transfer", json={"to_number": "+14155550100"},
        headers=tenant.headers(),
    )  # fmt: skip
    assert moved.status_code == 200, moved.text
    assert _form(update.calls.last.request) == {
        "Twiml": [
            '<?xml version="1.0" encoding="UTF-8"?><Response><Dial>+14155550100</Dial></Response>'
        ]
    }


@respx.mock(assert_all_mocked=True)
async def test_twilio_refusing_a_call_leaves_no_record(
    respx_mock: respx.MockRouter, app: FastAPI, client: httpx.AsyncClient, tenant: Tenant
) -> None:
    error = {"code": 21211, "message": "The 'To' number is not a valid phone number.",
             "status": 400}  # fmt: skip
    respx_mock.post(f"{API}/Calls.json").mock(return_value=httpx.Response(400, json=error))
    response = await client.post(
        "/api/v1/calls/initiate", json={"to_number": TARGET}, headers=tenant.headers()
    )
    assert response.status_code == 502
    assert response.json()["code"] == "telephony_error"
    assert "not a valid phone number" in response.json()["detail"]
    assert await count_rows(app.state.database, Call) == 0


@respx.mock(assert_all_mocked=True)
async def test_a_business_with_its_own_twilio_account_uses_it(
    respx_mock: respx.MockRouter, client: httpx.AsyncClient, tenant: Tenant
) -> None:
    own_sid, own_token = "AC" + "9" * 32, "e" * 32
    configured = await client.patch(
        "/api/v1/config",
        json={"twilio_account_sid": own_sid, "twilio_auth_token": own_token},
        headers=tenant.headers(),
    )
    assert configured.status_code == 200, configured.text
    assert configured.json()["twilio_auth_token_set"] is True
    assert own_token not in configured.text
    theirs = respx_mock.post(f"https://api.twilio.com/2010-04-01/Accounts/{own_sid}/Calls.json")
    theirs.mock(return_value=httpx.Response(201, json=_call_json("queued")))
    placed = await client.post(
        "/api/v1/calls/initiate", json={"to_number": TARGET}, headers=tenant.headers()
    )
    assert placed.status_code == 201, placed.text
    assert (
        theirs.calls.last.request.headers["authorization"]
        == httpx.BasicAuth(own_sid, own_token)._auth_header
    )
    # Its webhooks are signed with its own token; the install's no longer passes.
    call = TwilioCall(client, call_sid=OUTBOUND_SID)
    url_path = f"/telephony/twilio/voice?call_id={placed.json()['id']}"
    params = call.params()
    wrong = await call.post(url_path, params, signature=sign(f"{PUBLIC_URL}{url_path}", params))
    assert wrong.status_code == 403
    right = await call.post(
        url_path, params, signature=sign(f"{PUBLIC_URL}{url_path}", params, own_token)
    )
    assert right.status_code == 200, right.text
    assert "<Connect><Stream" in right.text
