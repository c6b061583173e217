"""``/telephony/twilio/*``: the webhooks Twilio calls during a phone call.

Configure the Twilio number's "A call comes in" webhook as ``POST {public URL}/telephony/
twilio/voice`` and its status callback as ``POST {public URL}/telephony/twilio/status``;
outbound calls placed through the API set both themselves. Answers are TwiML.
"""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response, status

from aicaller.api.deps import CacheDep, SessionDep, SettingsDep
from aicaller.api.problems import problem_responses
from aicaller.telephony.service import TwilioWebhooks, Webhook

router = APIRouter(
    prefix="/telephony/twilio", tags=["telephony"], responses=problem_responses(400, 403, 422)
)
TWIML = "application/xml"
TWIML_RESPONSE: dict[int | str, dict[str, object]] = {
    200: {
        "description": "TwiML: what Twilio does next",
        "content": {TWIML: {"schema": {"type": "string"}}},
    }
}


async def _webhooks(
    request: Request, session: SessionDep, settings: SettingsDep, cache: CacheDep
) -> TwilioWebhooks:
    state = request.app.state
    return TwilioWebhooks(
        session,
        settings=settings,
        accounts=state.twilio_accounts,
        agents=state.agents,
        cache=cache,
        events=state.events,
        streaming=state.voice_ready,
    )


async def _webhook(request: Request, settings: SettingsDep) -> Webhook:
    """The form Twilio posted and the URL it signed: the public URL when one is configured
    (behind a proxy the app sees its own address, not the one Twilio called). Values stay whole:
    the signature covers them whole, and the request body limit bounds them."""
    form = await request.form()
    params = {key: str(value) for key, value in form.multi_items()}
    query = f"?{request.url.query}" if request.url.query else ""
    if settings.public_url:
        url = f"{settings.public_url.rstrip('/')}{request.url.path}{query}"
    else:
        url = str(request.url)
    return Webhook(url, params, request.headers.get("x-twilio-signature"))


Webhooks = Annotated[TwilioWebhooks, Depends(_webhooks)]
Hook = Annotated[Webhook, Depends(_webhook)]


@router.post(
    "/voice",
    summary="A call connected: greet the caller and listen",
    response_class=Response,
    responses=TWIML_RESPONSE,
)
async def voice(
    hook: Hook,
    webhooks: Webhooks,
    call_id: Annotated[uuid.UUID | None, Query(description="Set on calls we placed")] = None,
) -> Response:
    return Response(await webhooks.voice(hook, call_id), media_type=TWIML)


@router.post(
    "/gather/{call_id}",
    summary="What the caller said: the agent's next turn",
    response_class=Response,
    responses={**TWIML_RESPONSE, **problem_responses(404)},
)
async def gather(
    call_id: uuid.UUID,
    hook: Hook,
    webhooks: Webhooks,
    turn: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    return Response(await webhooks.gather(hook, call_id, turn), media_type=TWIML)


@router.post(
    "/status",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="A call's status changed (status callback)",
    response_class=Response,
)
async def call_status(hook: Hook, webhooks: Webhooks) -> Response:
    await webhooks.status(hook)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
