"""A local neural voice: Piper (``piper-tts``, the ``piper`` extra, GPL-3.0), on a voice
fetched into the data directory by ``aicaller voices fetch``.

Pipecat's own Piper service downloads a missing voice from a model hub at call time and loads
the model in its constructor, on the event loop, for every call. Here a voice is only ever
read from disk, loaded once per process (in a thread) and shared by every call that uses it
(an ONNX session serves concurrent runs); its speaking rate is Piper's length scale.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncGenerator
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from pipecat.frames.frames import ErrorFrame, Frame, StartFrame
from pipecat.services.tts_service import TTSService

if TYPE_CHECKING:
    from piper import PiperVoice


class PiperVoices:
    """The Piper voices this process has loaded, by model file."""

    _loaded: ClassVar[dict[Path, PiperVoice]] = {}
    _lock: ClassVar[threading.Lock] = threading.Lock()

    @classmethod
    def load(cls, model: Path) -> PiperVoice:
        from piper import PiperVoice  # noqa: PLC0415 (optional extra)

        with cls._lock:
            voice = cls._loaded.get(model)
            if voice is None:
                voice = cls._loaded[model] = PiperVoice.load(model)
            return voice


# Piper phonemizes through its own eSpeak NG, one global engine whose voice is set before each
# text: two calls at once could phonemize in each other's language. The model itself already
# uses every core, so serialising synthesis costs the calls little.
_SYNTHESIS = threading.Lock()


def synthesize(voice: PiperVoice, text: str, speed: float = 1.0) -> list[bytes]:
    """16-bit mono PCM at the voice's sample rate, a chunk per sentence."""
    from piper import SynthesisConfig  # noqa: PLC0415 (optional extra)

    # Piper's length scale stretches every phoneme: a faster voice is a shorter one.
    config = SynthesisConfig(length_scale=voice.config.length_scale / speed)
    with _SYNTHESIS:
        return [chunk.audio_int16_bytes for chunk in voice.synthesize(text, syn_config=config)]


class PiperTTSService(TTSService):
    """Pipecat TTS on a Piper voice model file (``NAME.onnx`` beside ``NAME.onnx.json``)."""

    def __init__(self, *, model: Path, speed: float = 1.0, **kwargs: Any) -> None:
        super().__init__(push_start_frame=True, push_stop_frames=True, **kwargs)
        self._model = model
        self._speed = speed
        self._voice: PiperVoice | None = None

    def can_generate_metrics(self) -> bool:
        return True

    async def start(self, frame: StartFrame) -> None:
        await super().start(frame)
        self.create_task(self._loaded())  # the first call's voice loads before its greeting

    async def _loaded(self) -> PiperVoice:
        if self._voice is None:
            self._voice = await asyncio.to_thread(PiperVoices.load, self._model)
        return self._voice

    async def run_tts(self, text: str, context_id: str) -> AsyncGenerator[Frame | None, None]:
        try:
            voice = await self._loaded()
            pcm = await asyncio.to_thread(synthesize, voice, text, self._speed)
        except (OSError, ValueError, RuntimeError) as exc:
            yield ErrorFrame(error=f"Piper could not speak: {exc}")
            return

        async def chunks() -> AsyncGenerator[bytes, None]:
            for chunk in pcm:
                yield chunk

        async for frame in self._stream_audio_frames_from_iterator(
            chunks(), in_sample_rate=voice.config.sample_rate, context_id=context_id
        ):
            await self.stop_ttfb_metrics()
            yield frame
