"""A business's recogniser and voice: which settings go together, and their keys.

The recogniser (``stt_*``) and the voice (``tts_*``) are chosen apart, so a business can
recognise with Deepgram and speak with Cartesia; each side has its own endpoint and key.
"""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Mapping
from dataclasses import dataclass

from aicaller.businesses.schemas import SttProvider, TtsProvider
from aicaller.core.encryption import SecretBox
from aicaller.core.errors import ValidationError
from aicaller.database.models import Business

# Piper names its voices language_REGION-name-quality ("en_US-lessac-medium"); the name is
# also a file name in the data directory, so nothing else is taken.
PIPER_VOICE = re.compile(r"^[a-z]{2,3}_[A-Z]{2}-[A-Za-z0-9_]{1,60}-(x_low|low|medium|high)$")

# Hosted providers that refuse every request without a key. OpenAI's own endpoint too, but
# an OpenAI-compatible server of one's own (a base URL set) may need none.
_KEYED_STT = {SttProvider.DEEPGRAM}
_KEYED_TTS = {TtsProvider.CARTESIA}

# Provider -> (the package its extra brings, the extra): its Pipecat service imports the
# package, so without it the provider cannot run here. Cartesia's service needs nothing more
# than Pipecat; without Piper's, eSpeak NG speaks instead.
EXTRAS: dict[str, tuple[str, str]] = {"deepgram": ("deepgram", "deepgram")}


def installed(provider: str) -> bool:
    """Whether this server has what ``provider`` needs (its extra, if it has one)."""
    needed = EXTRAS.get(provider)
    return needed is None or importlib.util.find_spec(needed[0]) is not None


@dataclass(frozen=True, slots=True)
class SpeechKeys:
    """The recogniser's and the voice's keys, opened (None where unset)."""

    stt: str | None = None
    tts: str | None = None


def keys(business: Business, secret_box: SecretBox) -> SpeechKeys:
    def opened(sealed: str | None) -> str | None:
        return None if sealed is None else secret_box.open(sealed)

    return SpeechKeys(
        stt=opened(business.stt_api_key_encrypted), tts=opened(business.tts_api_key_encrypted)
    )


def check(business: Business, changes: Mapping[str, object]) -> None:
    """422 when the settings after ``changes`` could not make a call: a hosted provider
    without its key, or a Piper voice name that is not one."""

    if not any(name.startswith(("stt_", "tts_")) for name in changes):
        return  # settings stored before these rules stay as they are until edited

    def after(name: str) -> object:
        return changes[name] if name in changes else getattr(business, name)

    for side, keyed in (("stt", _KEYED_STT), ("tts", _KEYED_TTS)):
        provider = str(after(f"{side}_provider"))
        if f"{side}_provider" in changes and not installed(provider):
            extra = EXTRAS[provider][1]
            raise ValidationError(
                f"{side}_provider {provider!r} is not installed on this server: "
                f"pip install 'aicaller[{extra}]'",
                code="speech_provider_not_installed",
            )
        openai_itself = provider == "openai" and after(f"{side}_base_url") is None
        needs_key = provider in keyed or openai_itself
        if needs_key and after(f"{side}_api_key_encrypted") is None:
            own = f" (or your own server in {side}_base_url)" if provider == "openai" else ""
            raise ValidationError(
                f"{side}_provider {provider!r} needs {side}_api_key{own}",
                code="speech_key_required",
            )
    voice = after("tts_voice")
    if after("tts_provider") == TtsProvider.CARTESIA and voice is None:
        raise ValidationError(
            "tts_provider 'cartesia' needs tts_voice: a voice id from Cartesia's library",
            code="speech_voice_required",
        )
    piper = after("tts_provider") == TtsProvider.PIPER
    if piper and voice is not None and not PIPER_VOICE.match(str(voice)):
        raise ValidationError(
            f"{voice!r} is not a Piper voice name such as 'en_US-lessac-medium'",
            code="invalid_piper_voice",
        )
