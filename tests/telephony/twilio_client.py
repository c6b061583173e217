"""Twilio's side of a call in tests: webhooks signed with the SDK, the way Twilio signs them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import httpx
from twilio.request_validator import RequestValidator

from tests.telephony.conftest import ACCOUNT_SID, AUTH_TOKEN, PUBLIC_URL

CALL_SID = "CA" + "ab" * 16
CALLER = "+14155550111"
BUSINESS_NUMBER = "+14155550123"


def sign(url: str, params: dict[str, str], token: str = AUTH_TOKEN) -> str:
    signature: str = RequestValidator(token).compute_signature(url, params)
    return signature


@dataclass
class TwilioCall:
    """One phone call as Twilio drives it: posts signed webhooks and follows the TwiML."""

    client: httpx.AsyncClient
    call_sid: str = CALL_SID
    caller: str = CALLER
    called: str = BUSINESS_NUMBER
    next_url: str | None = None  # the Gather action of the last TwiML
    responses: list[str] = field(default_factory=list)

    def params(self, **extra: str) -> dict[str, str]:
        return {
            "AccountSid": ACCOUNT_SID,
            "CallSid": self.call_sid,
            "From": self.caller,
            "To": self.called,
            "Direction": "inbound",
            "CallStatus": "in-progress",
            **extra,
        }

    async def post(
        self, path_and_query: str, params: dict[str, str], *, signature: str | None = None
    ) -> httpx.Response:
        url = f"{PUBLIC_URL}{path_and_query}"
        headers = {"X-Twilio-Signature": signature if signature is not None else sign(url, params)}
        response = await self.client.post(path_and_query, data=params, headers=headers)
        if response.status_code == 200:
            self.responses.append(response.text)
            found = re.search(r'<Gather action="([^"]+)"', response.text)
            self.next_url = found.group(1).replace("&amp;", "&") if found else None
        return response

    async def connect(self) -> httpx.Response:
        return await self.post("/telephony/twilio/voice", self.params(CallStatus="ringing"))

    async def speak(self, words: str, confidence: str = "0.92") -> httpx.Response:
        assert self.next_url is not None, "the last TwiML did not listen"
        path = self.next_url.removeprefix(PUBLIC_URL)
        return await self.post(path, self.params(SpeechResult=words, Confidence=confidence))

    async def status(self, status: str, **extra: str) -> httpx.Response:
        params = self.params(CallStatus=status, **extra)
        return await self.post("/telephony/twilio/status", params)
