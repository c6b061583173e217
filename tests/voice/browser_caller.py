"""A browser on ``WS /api/v1/calls/{id}/audio``: the simulated caller's clock and speaker,
with the console's messages (16 kHz PCM both ways, JSON marks, keypad and hang-up)."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import numpy as np
import soxr  # type: ignore[import-untyped]

from aicaller.voice.speech.espeak import EspeakEngine
from tests.voice.caller import SimulatedCaller

RATE = 16_000
FRAME_BYTES = 640  # 20 ms of 16-bit samples
SILENCE = b"\x00" * FRAME_BYTES


class BrowserCaller(SimulatedCaller):
    async def send(self, message: dict[str, Any]) -> None:
        await self.ws.send_text(json.dumps(message))

    async def start(self, token: str = "", *, media_format: dict[str, Any] | None = None) -> None:
        self._tasks = [
            asyncio.create_task(self._receive()),
            asyncio.create_task(self._stream_audio()),
        ]

    def frames(self, text: str) -> list[bytes]:
        engine = EspeakEngine.shared()
        pcm = np.frombuffer(engine.synthesize(text, rate=160), dtype=np.int16)
        audio = soxr.resample(pcm, engine.sample_rate, RATE).astype(np.int16).tobytes()
        return [
            audio[i : i + FRAME_BYTES].ljust(FRAME_BYTES, b"\x00")
            for i in range(0, len(audio), FRAME_BYTES)
        ]

    def media(self, frame: bytes | None) -> bytes:
        return frame or SILENCE

    def mark_reply(self, name: str) -> dict[str, Any]:
        return {"type": "mark", "name": name}

    def play(self, audio: bytes, now: float, bytes_per_second: int = RATE * 2) -> None:
        super().play(audio, now, bytes_per_second)

    async def dtmf(self, digit: str) -> None:
        await self.send({"type": "dtmf", "digit": digit})

    async def hang_up(self) -> None:
        await self.send({"type": "hangup"})

    def _handle(self, message: dict[str, Any], now: float) -> None:
        kind = message.get("type")
        if kind in ("mark", "clear"):  # the same handling, Twilio's message shape
            name = {"mark": {"name": message.get("name")}}
            super()._handle({"event": kind, "streamSid": self.stream_sid, **name}, now)
        else:
            self.events.append((now, f"other:{kind}", message))
