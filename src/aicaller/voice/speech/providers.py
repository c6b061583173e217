"""The recogniser and voice a business's calls use, from its speech settings.

``offline`` (the default): PocketSphinx and eSpeak NG, in the install, no network. ``openai``:
Pipecat's OpenAI services against the business's ``speech_base_url`` (OpenAI itself when
unset), so any OpenAI-compatible ``/audio/transcriptions`` and ``/audio/speech`` works, a
self-hosted faster-whisper or Kokoro server included. The key is the business's own
(encrypted at rest). Deepgram and Cartesia/ElevenLabs would plug in here the same way through
their Pipecat services and extras.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipecat.services.openai.stt import OpenAISTTService
from pipecat.services.openai.tts import OpenAITTSService
from pipecat.services.stt_service import STTService
from pipecat.services.tts_service import TTSService
from pipecat.transcriptions.language import Language

from aicaller.businesses.schemas import BusinessConfig, SpeechProvider
from aicaller.voice.speech.espeak import DEFAULT_RATE, EspeakTTSService
from aicaller.voice.speech.pocketsphinx_stt import PocketsphinxSTTService

DEFAULT_STT_MODEL = "whisper-1"
DEFAULT_TTS_MODEL = "tts-1"
DEFAULT_OPENAI_VOICE = "alloy"


@dataclass(frozen=True, slots=True)
class Speech:
    """A business's speech settings as a call needs them (the key opened)."""

    config: BusinessConfig
    api_key: str | None

    @property
    def hosted(self) -> bool:
        return self.config.speech_provider is SpeechProvider.OPENAI


def _language(tag: str) -> Language:
    """The business's BCP 47 tag as Pipecat names it ("en-US", else "en", else English)."""
    for candidate in (tag, tag.split("-", maxsplit=1)[0]):
        try:
            return Language(candidate)
        except ValueError:
            continue
    return Language.EN


def recogniser(speech: Speech) -> STTService:
    config = speech.config
    if not speech.hosted:
        return PocketsphinxSTTService()
    return OpenAISTTService(
        api_key=speech.api_key or "none",  # self-hosted servers often need none
        base_url=config.speech_base_url,
        settings=OpenAISTTService.Settings(
            model=config.stt_model or DEFAULT_STT_MODEL, language=_language(config.language)
        ),
    )


def voice(speech: Speech) -> TTSService:
    config = speech.config
    if not speech.hosted:
        return EspeakTTSService(
            voice=config.tts_voice or "en-us", rate=round(DEFAULT_RATE * config.tts_speed)
        )
    return OpenAITTSService(
        api_key=speech.api_key or "none",
        base_url=config.speech_base_url,
        settings=OpenAITTSService.Settings(
            model=config.tts_model or DEFAULT_TTS_MODEL,
            voice=config.tts_voice or DEFAULT_OPENAI_VOICE,
            speed=config.tts_speed,
        ),
    )
