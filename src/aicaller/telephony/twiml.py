"""The TwiML a call's next step is answered with (built with the SDK's VoiceResponse)."""

from __future__ import annotations

from twilio.twiml.voice_response import VoiceResponse

GATHER_PATH = "/telephony/twilio/gather/{call_id}?turn={turn}"
NOT_IN_SERVICE = "Sorry, this number is not in service. Goodbye."


def listen(text: str, *, action: str, language: str) -> str:
    """Say ``text`` and listen for the caller's answer; silence posts an empty result."""
    response = VoiceResponse()
    gather = response.gather(
        input="speech",
        action=action,
        method="POST",
        speech_timeout="auto",
        language=language,
        action_on_empty_result=True,
    )
    gather.say(text, language=language)
    return str(response)


def transfer(text: str, to_number: str, *, language: str, caller_id: str | None) -> str:
    """Say ``text``, connect the caller to ``to_number``, hang up when that call ends."""
    response = VoiceResponse()
    response.say(text, language=language)
    if caller_id:
        response.dial(to_number, caller_id=caller_id)
    else:
        response.dial(to_number)
    response.hangup()
    return str(response)


def goodbye(text: str, *, language: str) -> str:
    response = VoiceResponse()
    if text:
        response.say(text, language=language)
    response.hangup()
    return str(response)


def stream(url: str, token: str) -> str:
    """Connect the call to our media WebSocket; the token names the call (single use)."""
    response = VoiceResponse()
    connect = response.connect()
    connect.stream(url=url).parameter(name="token", value=token)
    return str(response)
