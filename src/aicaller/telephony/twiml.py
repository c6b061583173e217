"""The TwiML a call's next step is answered with (built with the SDK's VoiceResponse)."""

from __future__ import annotations

from twilio.twiml.voice_response import VoiceResponse

GATHER_PATH = "/telephony/twilio/gather/{call_id}?turn={turn}"
WHISPER_PATH = "/telephony/twilio/whisper/{call_id}"
HOLD = "Please hold while I connect you."
NOT_IN_SERVICE = "Sorry, this number is not in service. Goodbye."
# Said when a streamed call's media stream failed and the call goes on with <Gather>.
STREAM_LOST = "Sorry, I lost you for a moment. Could you say that again?"


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


def transfer(
    text: str,
    to_number: str,
    *,
    language: str,
    caller_id: str | None,
    whisper_url: str | None = None,
) -> str:
    """Say ``text``, connect the caller to ``to_number``, hang up when that call ends. With
    ``whisper_url``, a warm transfer: the person who answers first hears what Twilio fetches
    from it (the call's summary), then the two are connected."""
    response = VoiceResponse()
    response.say(text, language=language)
    dial = response.dial(caller_id=caller_id) if caller_id else response.dial()
    if whisper_url:
        dial.number(to_number, url=whisper_url, method="POST")
    else:
        dial.number(to_number)
    response.hangup()
    return str(response)


def warm_transfer(to_number: str, *, whisper_url: str, caller_id: str | None) -> str:
    """A streamed call's transfer: the hold message, then ``transfer`` with the whisper."""
    return transfer(HOLD, to_number, language="en-US", caller_id=caller_id, whisper_url=whisper_url)


def whisper(summary: str, *, language: str) -> str:
    """What the person taking a transferred call hears before being connected."""
    response = VoiceResponse()
    response.say(f"A caller is being transferred to you. {summary}", language=language)
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
