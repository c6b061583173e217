"""The browser's audio socket: 16 kHz 16-bit mono PCM both ways, control messages as JSON.

Binary messages are the microphone's audio (any length up to ``MAX_AUDIO_BYTES``, an even
number of bytes); the agent's voice comes back as binary messages at 16 kHz. Text messages:
``{"type": "dtmf", "digit": "0"}`` (a keypad button in the console), ``{"type": "hangup"}``,
and ``{"type": "mark", "name": ...}`` echoing each mark the server sends once the audio before
it has been played (as Twilio does; the console's player knows when). The server also sends
``{"type": "clear"}`` when the caller interrupts: drop whatever is queued for playback.
Anything else closes the socket, as on a Media Stream.
"""

from __future__ import annotations

import json
from typing import Any

from pipecat.audio.dtmf.types import KeypadEntry
from pipecat.frames.frames import (
    AudioRawFrame,
    Frame,
    InputAudioRawFrame,
    InputDTMFFrame,
    InputTransportMessageFrame,
    InterruptionFrame,
    OutputTransportMessageFrame,
)
from pipecat.serializers.base_serializer import FrameSerializer

from aicaller.voice.serializer import MAX_MESSAGE_CHARS, StreamViolation

SAMPLE_RATE = 16_000
MAX_AUDIO_BYTES = 32_000  # one second


class BrowserPcmSerializer(FrameSerializer):
    def __init__(self) -> None:
        super().__init__()
        self.violation: str | None = None
        self.stopped = False

    def _refuse(self, reason: str) -> StreamViolation:
        self.violation = self.violation or reason
        return StreamViolation(reason)

    @staticmethod
    def mark(name: str) -> dict[str, object]:
        return {"type": "mark", "name": name}

    async def serialize(self, frame: Frame) -> str | bytes | None:
        if isinstance(frame, InterruptionFrame):
            return json.dumps({"type": "clear"})
        if isinstance(frame, AudioRawFrame):
            return frame.audio or None
        if isinstance(frame, OutputTransportMessageFrame):
            return json.dumps(frame.message)
        return None

    async def deserialize(self, data: str | bytes) -> Frame | None:
        if self.violation is not None or self.stopped:
            return None
        if isinstance(data, bytes):
            if len(data) > MAX_AUDIO_BYTES or len(data) % 2:
                raise self._refuse("audio must be 16-bit PCM, at most one second per message")
            if not data:
                return None
            return InputAudioRawFrame(audio=data, sample_rate=SAMPLE_RATE, num_channels=1)
        if len(data) > MAX_MESSAGE_CHARS:
            raise self._refuse("oversized message")
        try:
            message: Any = json.loads(data)
        except ValueError as exc:
            raise self._refuse("malformed message") from exc
        kind = message.get("type") if isinstance(message, dict) else None
        if kind == "hangup":
            self.stopped = True
            return InputTransportMessageFrame(message={"event": "stop"})
        if kind == "mark" and isinstance(message.get("name"), str):
            return InputTransportMessageFrame(message={"event": "mark", "name": message["name"]})
        if kind == "dtmf":
            try:
                return InputDTMFFrame(KeypadEntry(str(message.get("digit"))))
            except ValueError as exc:
                raise self._refuse("unknown keypad digit") from exc
        raise self._refuse("unknown message")
