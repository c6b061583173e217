"""The offline fallback voice: eSpeak NG, from the ``espeakng-loader`` wheel.

Pipecat has no eSpeak service, and the Python bindings on PyPI either shell out to an
``espeak-ng`` binary (a Debian package the README's Python-only setup does not install) or are
unmaintained. ``espeakng-loader`` ships the library and its data inside a wheel, so this module
binds the four calls of eSpeak NG's C API it needs with ctypes: initialise with synchronous
output, set the voice and rate, synthesise into a callback. The library is one global engine,
so synthesis is serialised by a lock and run in a thread.
"""

from __future__ import annotations

import asyncio
import ctypes
import threading
from collections.abc import AsyncGenerator
from typing import Any, ClassVar

import espeakng_loader  # type: ignore[import-untyped]
from pipecat.frames.frames import ErrorFrame, Frame
from pipecat.services.tts_service import TTSService

AUDIO_OUTPUT_SYNCHRONOUS = 2
POS_CHARACTER = 1
ESPEAK_RATE = 1
DEFAULT_RATE = 175  # words per minute, eSpeak's own default
_CALLBACK = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p
)


class EspeakError(RuntimeError):
    """The eSpeak NG library could not be loaded or refused a request."""


class EspeakEngine:
    """The process's one eSpeak NG engine (the C library keeps global state)."""

    _instance: ClassVar[EspeakEngine | None] = None
    _create_lock: ClassVar[threading.Lock] = threading.Lock()

    def __init__(self) -> None:
        self._lib = ctypes.CDLL(espeakng_loader.get_library_path())
        data = espeakng_loader.get_data_path().encode()
        self.sample_rate = int(self._lib.espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, data, 0))
        if self.sample_rate <= 0:
            raise EspeakError("eSpeak NG did not initialise")
        self._lock = threading.Lock()
        self._chunks: list[bytes] = []
        self._callback = _CALLBACK(self._collect)  # kept referenced while the library holds it
        self._lib.espeak_SetSynthCallback(self._callback)

    @classmethod
    def shared(cls) -> EspeakEngine:
        with cls._create_lock:
            if cls._instance is None:
                cls._instance = cls()
            return cls._instance

    def _collect(self, wav: Any, samples: int, _events: Any) -> int:
        if wav and samples > 0:
            self._chunks.append(ctypes.string_at(wav, samples * 2))
        return 0

    def voice_for(self, language: str) -> str:
        """The voice of a BCP 47 tag: "pt-BR" -> "pt-br", "fr-FR" -> "fr" (eSpeak NG has no
        "fr-fr"), a language it lacks -> "en-us"."""
        with self._lock:
            for name in (language.lower(), language.split("-", maxsplit=1)[0].lower()):
                if self._lib.espeak_SetVoiceByName(name.encode()) == 0:
                    return name
        return "en-us"

    def synthesize(self, text: str, *, voice: str = "en-us", rate: int = DEFAULT_RATE) -> bytes:
        """16-bit mono PCM at ``sample_rate`` for ``text``."""
        encoded = text.encode()
        with self._lock:
            self._chunks = []
            if self._lib.espeak_SetVoiceByName(voice.lower().encode()) != 0:
                raise EspeakError(f"eSpeak NG has no voice {voice!r}")
            self._lib.espeak_SetParameter(ESPEAK_RATE, rate, 0)
            status = self._lib.espeak_Synth(
                encoded, len(encoded) + 1, 0, POS_CHARACTER, 0, 0, None, None
            )
            self._lib.espeak_Synchronize()
            if status != 0:
                raise EspeakError(f"eSpeak NG refused the text (status {status})")
            return b"".join(self._chunks)


class EspeakTTSService(TTSService):
    """Pipecat TTS on eSpeak NG: robotic, but offline, instant and in every install."""

    def __init__(self, *, voice: str = "en-us", rate: int = DEFAULT_RATE, **kwargs: Any) -> None:
        super().__init__(push_start_frame=True, push_stop_frames=True, **kwargs)
        self._engine = EspeakEngine.shared()
        self._voice_name = voice
        self._rate = rate

    def can_generate_metrics(self) -> bool:
        return True

    async def run_tts(self, text: str, context_id: str) -> AsyncGenerator[Frame | None, None]:
        try:
            pcm = await asyncio.to_thread(
                self._engine.synthesize, text, voice=self._voice_name, rate=self._rate
            )
        except EspeakError as exc:
            yield ErrorFrame(error=str(exc))
            return

        async def chunks() -> AsyncGenerator[bytes, None]:
            yield pcm

        async for frame in self._stream_audio_frames_from_iterator(
            chunks(), in_sample_rate=self._engine.sample_rate, context_id=context_id
        ):
            await self.stop_ttfb_metrics()
            yield frame
