"""Twilio through its official SDK: placing, ending, transferring and redirecting calls over
the REST API.

The SDK's own async client brings aiohttp and a second connection pool; the small adapter
below sends its requests through the process's shared httpx client instead (one pool, one set
of timeouts, and tests can stand in for Twilio with respx). Inbound calls and the conversation
are driven by Twilio's webhooks (``routes.py`` / ``webhooks.py``).
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

import httpx
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.http import AsyncHttpClient
from twilio.http.response import Response
from twilio.rest import Client
from twilio.twiml.voice_response import VoiceResponse

from aicaller.businesses.service import TwilioCredentials
from aicaller.calls.actions.carrier import PlacedCall, ProviderCallStatus, TelephonyError
from aicaller.config import Settings
from aicaller.core.logging import get_logger
from aicaller.telephony.accounts import TwilioAccounts
from aicaller.telephony.twiml import WHISPER_PATH, warm_transfer

logger = get_logger(__name__)
VOICE_PATH = "/telephony/twilio/voice"
STATUS_PATH = "/telephony/twilio/status"
STATUS_EVENTS = ["initiated", "ringing", "answered", "completed"]
# Twilio's call statuses, as they arrive in API answers and status callbacks.
TWILIO_STATUSES = {
    "queued": ProviderCallStatus.QUEUED,
    "initiated": ProviderCallStatus.QUEUED,
    "ringing": ProviderCallStatus.RINGING,
    "in-progress": ProviderCallStatus.IN_PROGRESS,
    "completed": ProviderCallStatus.COMPLETED,
    "canceled": ProviderCallStatus.CANCELED,
    "failed": ProviderCallStatus.FAILED,
}


class HttpxTwilioClient(AsyncHttpClient):  # type: ignore[misc]  # the SDK is untyped
    """The SDK's async HTTP interface on the shared httpx client."""

    def __init__(self, client: httpx.AsyncClient, timeout: float) -> None:
        super().__init__(logging.getLogger("twilio.http"), is_async=True, timeout=timeout)
        self._client = client

    async def request(
        self,
        method: str,
        uri: str,
        params: dict[str, object] | None = None,
        data: dict[str, object] | None = None,
        headers: dict[str, str] | None = None,
        auth: tuple[str, str] | None = None,
        timeout: float | None = None,  # noqa: ASYNC109 - the SDK's interface
        allow_redirects: bool = False,
    ) -> Response:
        response = await self._client.request(
            method,
            uri,
            params=params,  # type: ignore[arg-type]
            data=data,
            headers=headers,
            auth=httpx.BasicAuth(*auth) if auth else None,
            timeout=timeout or self.timeout,
            follow_redirects=allow_redirects,
        )
        return Response(response.status_code, response.text, response.headers)


class TwilioProvider:
    name = "twilio"

    def __init__(self, settings: Settings, http: httpx.AsyncClient, accounts: TwilioAccounts):
        self._http = HttpxTwilioClient(http, settings.twilio_api_timeout_seconds)
        self._accounts = accounts
        self._public_url = (settings.public_url or "").rstrip("/")
        self._from_number = settings.twilio_from_number

    async def _client(self, business_id: uuid.UUID) -> Client:
        credentials: TwilioCredentials | None = await self._accounts.for_business(business_id)
        if credentials is None:
            raise TelephonyError("Twilio is not configured for this business")
        return Client(credentials.account_sid, credentials.auth_token, http_client=self._http)

    async def place_call(
        self,
        *,
        business_id: uuid.UUID,
        call_id: uuid.UUID,
        to_number: str,
        from_number: str | None,
        metadata: dict[str, Any],
    ) -> PlacedCall:
        caller_id = from_number or self._from_number
        if not caller_id:
            raise TelephonyError("Give from_number or set AICALLER_TWILIO_FROM_NUMBER")
        client = await self._client(business_id)
        call = await self._send(
            client.calls.create_async(
                to=to_number,
                from_=caller_id,
                url=f"{self._public_url}{VOICE_PATH}?call_id={call_id}",
                method="POST",
                status_callback=f"{self._public_url}{STATUS_PATH}",
                status_callback_method="POST",
                status_callback_event=STATUS_EVENTS,
            )
        )
        status = TWILIO_STATUSES.get(str(call.status), ProviderCallStatus.QUEUED)
        return PlacedCall(str(call.sid), status, caller_id)

    async def end_call(self, provider_call_id: str, *, business_id: uuid.UUID) -> None:
        client = await self._client(business_id)
        await self._send(client.calls(provider_call_id).update_async(status="completed"))

    async def transfer_call(
        self,
        provider_call_id: str,
        to_number: str,
        *,
        business_id: uuid.UUID,
        call_id: uuid.UUID | None = None,
    ) -> None:
        if call_id is None:
            response = VoiceResponse()
            response.dial(to_number)
            answer = str(response)
        else:
            whisper = f"{self._public_url}{WHISPER_PATH.format(call_id=call_id)}"
            answer = warm_transfer(to_number, whisper_url=whisper, caller_id=None)
        client = await self._client(business_id)
        await self._send(client.calls(provider_call_id).update_async(twiml=answer))

    async def redirect_call(
        self, provider_call_id: str, twiml: str, *, business_id: uuid.UUID
    ) -> None:
        """Give a call in progress new TwiML (Twilio leaves whatever it was doing, such as a
        media stream, and runs it): a TelephonyError when Twilio refuses (the call is over)."""
        client = await self._client(business_id)
        await self._send(client.calls(provider_call_id).update_async(twiml=twiml))

    @staticmethod
    async def _send(request: Any) -> Any:
        """Await an SDK call; Twilio's refusals and network failures become a 502."""
        try:
            return await request
        except TwilioRestException as exc:
            logger.warning("twilio_refused", status=exc.status, code=exc.code, message=exc.msg)
            raise TelephonyError(f"Twilio refused the request: {exc.msg}") from exc
        except (TwilioException, httpx.HTTPError) as exc:
            logger.warning("twilio_unreachable", error=repr(exc))
            raise TelephonyError("Twilio could not be reached") from exc
