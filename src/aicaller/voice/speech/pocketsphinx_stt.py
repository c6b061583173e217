"""The offline recogniser: PocketSphinx with the en-US model inside its PyPI wheel.

Pipecat has no PocketSphinx service. Its ``SegmentedSTTService`` would decode a whole
utterance once the caller stops, so the caller would wait for the decode of everything they
said; this service instead feeds the decoder while the caller speaks (from a short pre-roll
kept before the VAD fired) and only finishes the utterance when the VAD says they stopped.
Decoding is CPU-bound C code that releases the GIL, so it runs in a thread, one call's chunks
in order. With the business's own language model (``business_lm.py``, ADR 0034) the call gets
a decoder of its own on that model and its small dictionary; without one (not built yet), a
pooled decoder on the general model.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator
from typing import Any

from pipecat.frames.frames import (
    Frame,
    StartFrame,
    TranscriptionFrame,
    VADUserStartedSpeakingFrame,
    VADUserStoppedSpeakingFrame,
)
from pipecat.processors.frame_processor import FrameDirection
from pipecat.services.stt_service import STTService
from pipecat.utils.time import time_now_iso8601
from pocketsphinx import Decoder  # type: ignore[import-untyped]

from aicaller.core.logging import get_logger
from aicaller.voice.speech.business_lm import BusinessModel

logger = get_logger(__name__)

SAMPLE_RATE = 16_000  # the en-US model's rate
PRE_ROLL_SECONDS = 0.4  # speech before the VAD fired (it fires after its start_secs)
FEED_SECONDS = 0.1
# A single forward pass with narrow beams: about a fifth of the default search's CPU for a
# few points of word error rate (benchmarks/voice.py); a call must decode faster than real
# time on a shared core, or the caller waits for a backlog.
DECODER_SETTINGS: dict[str, Any] = {
    "samprate": SAMPLE_RATE,
    "fwdflat": False,
    "bestpath": False,
    "beam": 1e-30,
    "wbeam": 1e-20,
    "maxhmmpf": 2000,
    "maxwpf": 10,
    "loglevel": "FATAL",
}  # decode in chunks this long: fewer thread hops than one per 20 ms frame
# With a business's model (a few thousand words, not 72,000) wider beams cost little: on the
# same model they heard the tuning set's longer questions clearly better than the narrow
# beams (the 50 short sentences the same, within the noise) for about a quarter more CPU,
# still less than the general model's; still a single pass, so nothing is added after the
# caller stops. ADR 0034.
BUSINESS_DECODER_SETTINGS: dict[str, Any] = {
    **DECODER_SETTINGS,
    "beam": 1e-40,
    "wbeam": 1e-30,
    "maxhmmpf": 5000,
}


def business_decoder(model: BusinessModel) -> Any:
    """A decoder on the business's model (some 25 ms: the dictionary is small)."""
    return Decoder(**BUSINESS_DECODER_SETTINGS, lm=str(model.lm), dict=str(model.dictionary))


class _DecoderPool:
    """Loaded decoders kept for the next call: loading the model takes a while and the same
    decoder serves any number of utterances, one call at a time."""

    def __init__(self, keep: int = 16) -> None:
        self._idle: list[Any] = []
        self._keep = keep

    async def acquire(self) -> Any:
        """A loaded decoder. Loading one holds the GIL for about a second even in a thread
        (every call's audio waits), hence ``preload`` and reuse."""
        if self._idle:
            return self._idle.pop()
        return await asyncio.to_thread(Decoder, **DECODER_SETTINGS)

    def preload(self, count: int) -> None:
        """Load ``count`` decoders now (at start, before any call: see ``acquire``)."""
        while len(self._idle) < min(count, self._keep):
            self._idle.append(Decoder(**DECODER_SETTINGS))

    def release(self, decoder: Any) -> None:
        if len(self._idle) < self._keep:
            self._idle.append(decoder)


_POOL = _DecoderPool()


class PocketsphinxSTTService(STTService):
    def __init__(
        self, *, language: str = "en-US", model: BusinessModel | None = None, **kwargs: Any
    ) -> None:
        super().__init__(sample_rate=SAMPLE_RATE, **kwargs)
        self._language = language
        self._model = model
        self._pooled = False
        self._decoder: Any = None
        self._speaking = False
        self._pending = bytearray()
        self._pre_roll = bytearray()
        self._lock = asyncio.Lock()
        self._acquiring = asyncio.Lock()

    def can_generate_metrics(self) -> bool:
        return True

    async def _ensure_decoder(self) -> Any:
        async with self._acquiring:
            if self._decoder is None and self._model is not None:
                self._decoder = await self._business_decoder(self._model)
            if self._decoder is None:
                self._decoder = await _POOL.acquire()
                self._pooled = True
        return self._decoder

    @staticmethod
    async def _business_decoder(model: BusinessModel) -> Any:
        """None (the general model then) when the files cannot be read: a model removed by
        a newer build in between, a disk error."""
        try:
            return await asyncio.to_thread(business_decoder, model)
        except (RuntimeError, OSError) as exc:
            logger.warning("business language model not loaded", lm=str(model.lm), error=str(exc))
            return None

    async def start(self, frame: StartFrame) -> None:
        await super().start(frame)
        self.create_task(self._ensure_decoder())  # loaded while the greeting plays

    async def cleanup(self) -> None:
        await super().cleanup()  # type: ignore[no-untyped-call]
        decoder, self._decoder = self._decoder, None
        if decoder is not None and self._pooled and not self._speaking:
            _POOL.release(decoder)

    async def run_stt(self, audio: bytes) -> AsyncGenerator[Frame | None, None]:
        """One input frame: decoded while the caller speaks, else kept as pre-roll."""
        if not self._speaking:
            self._pre_roll += audio
            keep = int(PRE_ROLL_SECONDS * SAMPLE_RATE) * 2
            del self._pre_roll[:-keep]
        else:
            self._pending += audio
            if len(self._pending) >= int(FEED_SECONDS * SAMPLE_RATE) * 2:
                await self._decode_pending()
        yield None

    async def process_frame(self, frame: Frame, direction: FrameDirection) -> None:
        if isinstance(frame, VADUserStartedSpeakingFrame):
            await self._begin_utterance()
        await super().process_frame(frame, direction)
        if isinstance(frame, VADUserStoppedSpeakingFrame):
            await self._end_utterance()

    async def _begin_utterance(self) -> None:
        decoder = await self._ensure_decoder()
        async with self._lock:
            if self._speaking:
                return
            await asyncio.to_thread(decoder.start_utt)
            self._speaking = True
            self._pending = bytearray(self._pre_roll)
            self._pre_roll.clear()

    async def _decode_pending(self) -> None:
        chunk, self._pending = bytes(self._pending), bytearray()
        async with self._lock:
            if self._speaking and chunk:
                await asyncio.to_thread(self._decoder.process_raw, chunk, False, False)

    async def _end_utterance(self) -> None:
        if not self._speaking:
            return
        await self._decode_pending()
        async with self._lock:
            self._speaking = False
            decoder = self._decoder
            await asyncio.to_thread(decoder.end_utt)
            hypothesis = decoder.hyp()
        text = (hypothesis.hypstr if hypothesis is not None else "").strip()
        if text:
            await self.push_frame(
                TranscriptionFrame(text, self._user_id, time_now_iso8601(), finalized=True)
            )


def preload_decoders(count: int) -> None:
    _POOL.preload(count)
