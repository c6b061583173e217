"""The recogniser and voice a business's calls use, from its speech settings.

Recognisers (``stt_provider``): ``offline`` PocketSphinx (in the install, no network);
``openai``, any OpenAI-compatible ``/audio/transcriptions`` at ``stt_base_url`` (OpenAI itself
when unset, a self-hosted faster-whisper too); ``deepgram``, Deepgram's streaming recogniser
(the ``deepgram`` extra). Voices (``tts_provider``): ``offline`` eSpeak NG; ``piper``, a Piper
voice fetched into the data directory (the ``piper`` extra), else eSpeak NG; ``openai``, any
``/audio/speech``; ``cartesia`` and ``elevenlabs``, their streaming voices. Each hosted provider
comes through its Pipecat service, imported only when a business uses it, with the business's
own key.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pipecat.frames.frames import ErrorFrame
from pipecat.pipeline.service_switcher import ServiceSwitcher, ServiceSwitcherStrategyFailover
from pipecat.processors.frame_processor import FrameProcessor
from pipecat.services.openai.stt import OpenAISTTService
from pipecat.services.openai.tts import OpenAITTSService
from pipecat.services.stt_service import STTService
from pipecat.services.tts_service import TTSService
from pipecat.transcriptions.language import Language
from pipecat.utils.errors import ErrorCategory

from aicaller.businesses.schemas import BusinessConfig, SttProvider, TtsProvider
from aicaller.businesses.speech import SpeechKeys, installed
from aicaller.core.logging import get_logger
from aicaller.voice.speech.business_lm import BusinessModel
from aicaller.voice.speech.espeak import DEFAULT_RATE, EspeakEngine, EspeakTTSService
from aicaller.voice.speech.piper_tts import PiperTTSService
from aicaller.voice.speech.piper_voices import DEFAULT_VOICE, installed_voice, piper_available
from aicaller.voice.speech.pocketsphinx_stt import PocketsphinxSTTService

logger = get_logger(__name__)

DEFAULT_STT_MODEL = "whisper-1"
DEFAULT_TTS_MODEL = "tts-1"
DEFAULT_OPENAI_VOICE = "alloy"
CARTESIA_URL = "https://api.cartesia.ai"
CARTESIA_SPEEDS = (0.6, 1.5)  # the range Cartesia's generation_config takes
ELEVENLABS_URL = "https://api.elevenlabs.io"
ELEVENLABS_SPEEDS = (0.7, 1.2)  # the range ElevenLabs' voice_settings.speed takes


@dataclass(frozen=True, slots=True)
class Speech:
    """A business's speech settings as a call needs them (the keys opened)."""

    config: BusinessConfig
    keys: SpeechKeys = field(default_factory=SpeechKeys)
    voices: Path | None = None  # where Piper voices are installed (<data dir>/voices)
    recogniser_model: BusinessModel | None = None  # the offline recogniser's, when built


def _language(tag: str) -> Language:
    """The business's BCP 47 tag as Pipecat names it ("en-US", else "en", else English)."""
    for candidate in (tag, tag.split("-", maxsplit=1)[0]):
        try:
            return Language(candidate)
        except ValueError:
            continue
    return Language.EN


def _websocket_url(base: str, path: str) -> str:
    """``https://host`` -> ``wss://host/path`` (and ``http`` -> ``ws``, for a local server)."""
    scheme, rest = base.rstrip("/").split("://", 1)
    return f"{'wss' if scheme == 'https' else 'ws'}://{rest}{path}"


def recogniser(speech: Speech, *, audio_downstream: bool = True) -> STTService:
    """The business's recogniser; ``audio_downstream`` False keeps the caller's audio from
    the processors after it (none of which use it unless the call is recorded)."""
    config, key = speech.config, speech.keys.stt
    language = _language(config.language)
    if config.stt_provider is SttProvider.DEEPGRAM and not installed("deepgram"):
        logger.warning("deepgram extra not installed, recognising with pocketsphinx")
    elif config.stt_provider is SttProvider.DEEPGRAM:
        from aicaller.voice.speech.deepgram import deepgram_recogniser  # noqa: PLC0415 (extra)

        return deepgram_recogniser(
            api_key=key or "", base_url=config.stt_base_url, model=config.stt_model,
            language=language, audio_passthrough=audio_downstream,
        )  # fmt: skip
    if config.stt_provider is SttProvider.OPENAI:
        return OpenAISTTService(
            api_key=key or "none",  # self-hosted servers often need none
            base_url=config.stt_base_url,
            settings=OpenAISTTService.Settings(
                model=config.stt_model or DEFAULT_STT_MODEL, language=language
            ),
            audio_passthrough=audio_downstream,
        )
    return PocketsphinxSTTService(model=speech.recogniser_model, audio_passthrough=audio_downstream)


def voice(speech: Speech) -> FrameProcessor:
    """The business's voice; a hosted one with eSpeak NG behind it, taking over for the rest
    of the call when the hosted voice cannot work (a key it refuses, an address where nothing
    answers), so the caller still hears the agent."""
    hosted = _hosted_voice(speech)
    if hosted is None:
        return _local_voice(speech)
    fallback = _espeak(speech.config, named=None)
    return ServiceSwitcher([hosted, fallback], strategy_type=VoiceFailover)


class VoiceFailover(ServiceSwitcherStrategyFailover):
    """Pipecat's failover, and also when the active voice cannot be reached: Pipecat counts a
    connection error as passing and would try again at every sentence while the caller hears
    nothing. A call cannot wait for a provider to come back, so it keeps eSpeak NG."""

    async def handle_error(self, error: ErrorFrame) -> FrameProcessor | None:
        failed = error.processor or self.active_service
        if error.category is ErrorCategory.CONNECTIVITY and failed is self.active_service:
            await failed.set_usable(False)
        return await super().handle_error(error)


def _hosted_voice(speech: Speech) -> TTSService | None:
    config, key = speech.config, speech.keys.tts
    if config.tts_provider is TtsProvider.CARTESIA:
        return _cartesia(config, key or "")
    if config.tts_provider is TtsProvider.ELEVENLABS:
        return _elevenlabs(config, key or "")
    if config.tts_provider is TtsProvider.OPENAI:
        return OpenAITTSService(
            api_key=key or "none",
            base_url=config.tts_base_url,
            settings=OpenAITTSService.Settings(
                model=config.tts_model or DEFAULT_TTS_MODEL,
                voice=config.tts_voice or DEFAULT_OPENAI_VOICE,
                speed=config.tts_speed,
            ),
        )
    return None


def _local_voice(speech: Speech) -> TTSService:
    config = speech.config
    piper = _piper(speech) if config.tts_provider is TtsProvider.PIPER else None
    if piper is not None:
        return piper
    # A Piper voice name means the Piper voice could not load: eSpeak NG speaks the language.
    return _espeak(
        config, named=config.tts_voice if config.tts_provider is TtsProvider.OFFLINE else None
    )


def _espeak(config: BusinessConfig, *, named: str | None) -> EspeakTTSService:
    """eSpeak NG: the voice ``named``, else the voice of the business's language."""
    return EspeakTTSService(
        voice=named or EspeakEngine.shared().voice_for(config.language),
        rate=round(DEFAULT_RATE * config.tts_speed),
    )


def _piper(speech: Speech) -> TTSService | None:
    """The business's Piper voice, or None (eSpeak NG speaks) when it cannot load here."""
    name = speech.config.tts_voice or DEFAULT_VOICE
    model = None if speech.voices is None else installed_voice(speech.voices, name)
    if model is None or not piper_available():
        logger.warning(
            "piper voice unavailable, speaking with espeak-ng",
            voice=name,
            reason="piper extra not installed" if model else f"voice not in {speech.voices}",
            hint=f"aicaller voices fetch {name}",
        )
        return None
    return PiperTTSService(model=model, speed=speech.config.tts_speed)


def _cartesia(config: BusinessConfig, key: str) -> TTSService:
    from pipecat.services.cartesia.tts import (  # noqa: PLC0415 (extra)
        CartesiaTTSService,
        GenerationConfig,
    )

    low, high = CARTESIA_SPEEDS
    settings = CartesiaTTSService.Settings(
        voice=config.tts_voice,
        language=_language(config.language),
        generation_config=GenerationConfig(speed=min(max(config.tts_speed, low), high)),
    )
    if config.tts_model is not None:
        settings.model = config.tts_model
    return CartesiaTTSService(
        api_key=key,
        url=_websocket_url(config.tts_base_url or CARTESIA_URL, "/tts/websocket"),
        settings=settings,
    )


def _elevenlabs(config: BusinessConfig, key: str) -> TTSService:
    from pipecat.services.elevenlabs.tts import ElevenLabsTTSService  # noqa: PLC0415 (extra)

    low, high = ELEVENLABS_SPEEDS
    settings = ElevenLabsTTSService.Settings(
        voice=config.tts_voice,
        language=_language(config.language),
        speed=min(max(config.tts_speed, low), high),
    )
    if config.tts_model is not None:
        settings.model = config.tts_model
    return ElevenLabsTTSService(
        api_key=key,
        url=_websocket_url(config.tts_base_url or ELEVENLABS_URL, ""),
        settings=settings,
    )
