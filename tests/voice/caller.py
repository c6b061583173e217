"""A simulated Twilio caller: Twilio's side of a Media Stream, in real time.

It speaks synthesised caller speech (eSpeak NG, resampled to 8 kHz mu-law) as 20 ms ``media``
messages paced by the clock, and silence in between (Twilio streams the line continuously).
It plays what the agent sends on a simulated speaker: a ``mark`` comes back when the audio
before it has been played, and ``clear`` empties the speaker and returns every pending mark at
once, as Twilio does. Everything seen is kept with its time for the tests and the benchmark.
"""

from __future__ import annotations

import asyncio
import base64
import json
import time
from contextlib import suppress
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import soxr  # type: ignore[import-untyped]
import wsproto.events
from anyio import ClosedResourceError
from httpx_ws import AsyncWebSocketSession, WebSocketDisconnect
from wsproto.utilities import LocalProtocolError

from aicaller.voice.speech.espeak import EspeakEngine

RATE = 8000
FRAME = 160  # 20 ms at 8 kHz, one byte per sample
SILENCE = b"\xff" * FRAME  # mu-law silence
STREAM_SID = "MZ" + "12" * 16


def _mulaw(pcm: np.ndarray) -> bytes:
    """16-bit PCM to G.711 mu-law (the same formula Twilio's codec implements)."""
    bias, clip = 0x84, 32635
    x = np.clip(pcm.astype(np.int32), -clip, clip)
    sign = (x < 0).astype(np.int32) << 7
    x = np.abs(x) + bias
    exponent = np.floor(np.log2(x)).astype(np.int32) - 7
    exponent = np.clip(exponent, 0, 7)
    mantissa = (x >> (exponent + 3)) & 0x0F
    return (~(sign | (exponent << 4) | mantissa) & 0xFF).astype(np.uint8).tobytes()


def speech(text: str, *, rate: int = 160) -> bytes:
    """``text`` spoken by eSpeak NG as 8 kHz mu-law."""
    engine = EspeakEngine.shared()
    pcm = np.frombuffer(engine.synthesize(text, rate=rate), dtype=np.int16)
    resampled = soxr.resample(pcm, engine.sample_rate, RATE)
    return _mulaw(resampled)


@dataclass
class SimulatedCaller:
    ws: AsyncWebSocketSession
    stream_sid: str = STREAM_SID
    call_sid: str = "CA" + "ab" * 16
    events: list[tuple[float, str, Any]] = field(default_factory=list)
    agent_audio: bytearray = field(default_factory=bytearray)
    closed: asyncio.Event = field(default_factory=asyncio.Event)
    close_code: int | None = None
    _outgoing: asyncio.Queue[bytes] = field(default_factory=asyncio.Queue)
    _play_until: float = 0.0
    _marks: list[tuple[float, str]] = field(default_factory=list)
    _tasks: list[asyncio.Task[None]] = field(default_factory=list)
    _sequence: int = 0
    _starts: list[int] = field(default_factory=list)  # frames of each queued utterance
    _left: int = 0  # frames of the utterance being sent still to send

    # -- protocol -------------------------------------------------------------------------------
    async def send(self, message: dict[str, Any]) -> None:
        """Send a message; after the server closed the socket, nothing (as Twilio)."""
        self._sequence += 1
        try:
            await self.ws.send_text(json.dumps({"sequenceNumber": str(self._sequence), **message}))
        except (LocalProtocolError, WebSocketDisconnect):
            await asyncio.wait_for(self.closed.wait(), 5)

    async def start(self, token: str, *, media_format: dict[str, Any] | None = None) -> None:
        self._tasks = [asyncio.create_task(self._receive())]
        await self.send({"event": "connected", "protocol": "Call", "version": "1.0.0"})
        fmt = media_format or {"encoding": "audio/x-mulaw", "sampleRate": RATE, "channels": 1}
        start = {"streamSid": self.stream_sid, "accountSid": "AC" + "01" * 16,
                 "callSid": self.call_sid, "tracks": ["inbound"],
                 "customParameters": {"token": token}, "mediaFormat": fmt}  # fmt: skip
        await self.send({"event": "start", "start": start, "streamSid": self.stream_sid})
        if not self.closed.is_set():
            self._tasks.append(asyncio.create_task(self._stream_audio()))

    def media(self, frame: bytes | None) -> str | bytes:
        """One 20 ms message: ``frame``, or silence."""
        payload = base64.b64encode(frame or SILENCE).decode()
        message = {"event": "media", "streamSid": self.stream_sid, "media": {"payload": payload}}
        self._sequence += 1
        return json.dumps({"sequenceNumber": str(self._sequence), **message})

    def mark_reply(self, name: str) -> dict[str, Any]:
        return {"event": "mark", "streamSid": self.stream_sid, "mark": {"name": name}}

    def frames(self, text: str) -> list[bytes]:
        """``text`` spoken, in 20 ms frames of the stream's format (8 kHz mu-law)."""
        audio = speech(text)
        return [audio[i : i + FRAME].ljust(FRAME, b"\xff") for i in range(0, len(audio), FRAME)]

    async def say(self, text: str) -> float:
        """Queue ``text`` as speech; returns when its last frame has been sent (the clock)."""
        return await self.send_frames(self.frames(text), text)

    async def play_audio(self, audio: bytes, what: str = "audio") -> float:
        """Queue 8 kHz mu-law ``audio`` (noise, say) as ``say`` queues speech."""
        frames = [audio[i : i + FRAME].ljust(FRAME, b"\xff") for i in range(0, len(audio), FRAME)]
        return await self.send_frames(frames, what)

    async def send_frames(self, frames: list[bytes], what: str) -> float:
        """Queue ``frames``; returns when the last has been sent. The first one's sending is
        recorded as ``caller_started``."""
        self._starts.append(len(frames))
        for frame in frames:
            await self._outgoing.put(frame)
        await self._outgoing.join()
        ended = time.monotonic()
        self.events.append((ended, "caller_stopped", what))
        return ended

    async def dtmf(self, digit: str) -> None:
        await self.send({"event": "dtmf", "streamSid": self.stream_sid,
                         "dtmf": {"track": "inbound_track", "digit": digit}})  # fmt: skip

    async def hang_up(self) -> None:
        stop = {"accountSid": "AC" + "01" * 16, "callSid": self.call_sid}
        await self.send({"event": "stop", "streamSid": self.stream_sid, "stop": stop})

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with suppress(asyncio.CancelledError, WebSocketDisconnect):
                await task

    # -- what happened --------------------------------------------------------------------------
    def times(self, kind: str) -> list[float]:
        return [at for at, what, _ in self.events if what == kind]

    async def wait_for(self, kind: str, *, after: float = 0.0, within: float = 10.0) -> float:
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            found = [at for at in self.times(kind) if at >= after]
            if found:
                return found[0]
            if self.closed.is_set():
                break
            await asyncio.sleep(0.01)
        raise AssertionError(f"no {kind} after {after} within {within}s: {self.summary()}")

    async def wait_quiet(self, seconds: float = 0.6, within: float = 15.0) -> None:
        """Until the agent has finished speaking (its audio played, nothing new arriving)."""
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            audio = self.times("agent_audio")
            now = time.monotonic()
            if now >= self._play_until and (not audio or now - audio[-1] >= seconds):
                return
            await asyncio.sleep(0.02)
        raise AssertionError(f"the agent kept talking: {self.summary()}")

    def summary(self) -> list[str]:
        return [what for _, what, _ in self.events if what != "agent_audio"][-20:]

    # -- loops ----------------------------------------------------------------------------------
    async def _stream_audio(self) -> None:
        """One 20 ms frame per 20 ms, caller speech when queued, else silence."""
        next_at = time.monotonic()
        while True:
            frame: bytes | None
            try:
                frame = self._outgoing.get_nowait()
            except asyncio.QueueEmpty:
                frame = None
            else:
                self._sent_speech()
            message = self.media(frame)
            try:
                if isinstance(message, bytes):
                    await self.ws.send_bytes(message)
                else:
                    await self.ws.send_text(message)
            except (LocalProtocolError, WebSocketDisconnect):
                await asyncio.wait_for(self.closed.wait(), 5)
            if frame is not None:
                self._outgoing.task_done()
            self._return_marks(time.monotonic())
            next_at += FRAME / RATE
            await asyncio.sleep(max(0.0, next_at - time.monotonic()))

    def _sent_speech(self) -> None:
        """Count a speech frame about to be sent; the first of an utterance is its start."""
        if self._left == 0 and self._starts:
            self._left = self._starts.pop(0)
            self.events.append((time.monotonic(), "caller_started", None))
        self._left -= 1

    def _return_marks(self, now: float) -> None:
        due = [name for at, name in self._marks if at <= now]
        self._marks = [(at, name) for at, name in self._marks if at > now]
        for name in due:
            self.events.append((now, "mark_played", name))
            self._tasks.append(asyncio.create_task(self.send(self.mark_reply(name))))

    async def _receive(self) -> None:
        try:
            while True:
                received = await self.ws.receive()
                now = time.monotonic()
                if isinstance(received, wsproto.events.BytesMessage):
                    self.play(bytes(received.data), now)
                elif isinstance(received, wsproto.events.TextMessage):
                    self._handle(json.loads(received.data), now)
        except WebSocketDisconnect as closed:
            self.close_code = closed.code
            self.events.append((time.monotonic(), "close_reason", closed.reason))
            self.events.append((time.monotonic(), "closed", closed.code))
            self.closed.set()
        except ClosedResourceError:  # our own side closed the socket first
            self.closed.set()

    def play(self, audio: bytes, now: float, bytes_per_second: int = RATE) -> None:
        """The agent's audio on the simulated speaker: it plays after what is queued."""
        self.agent_audio += audio
        self._play_until = max(self._play_until, now) + len(audio) / bytes_per_second
        self.events.append((now, "agent_audio", len(audio)))

    def _handle(self, message: dict[str, Any], now: float) -> None:
        event = message.get("event")
        assert message.get("streamSid") == self.stream_sid, message
        if event == "media":
            self.play(base64.b64decode(message["media"]["payload"]), now)
        elif event == "mark":
            self._marks.append((max(self._play_until, now), message["mark"]["name"]))
            self.events.append((now, "mark_sent", message["mark"]["name"]))
        elif event == "clear":
            self._play_until = now
            self.events.append((now, "clear", None))
            pending, self._marks = self._marks, []
            for _, name in pending:
                self._return_marks_now(name, now)
        else:
            self.events.append((now, f"other:{event}", message))

    def _return_marks_now(self, name: str, now: float) -> None:
        self.events.append((now, "mark_cleared", name))
        self._tasks.append(asyncio.create_task(self.send(self.mark_reply(name))))
