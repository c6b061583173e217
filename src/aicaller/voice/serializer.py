"""Twilio Media Streams messages, checked before Pipecat's serializer reads them.

``TwilioFrameSerializer`` trusts what arrives (a malformed message raises deep inside it) and
ignores ``mark`` and ``stop``. This subclass, through the serializer's public interface only,
refuses malformed or out-of-order messages, another stream's messages, oversized messages and
frames, and hands marks and the stop on to the pipeline as transport messages. A refusal is
recorded in ``violation`` and raised, which ends the transport's receive loop: the stream is
closed and the call ended with that reason.

Media is decoded here too, with a low-latency resampler: Pipecat's default stream resampler
(SoX "very high quality") holds back about 100 ms and hands it on in bursts, which every
barge-in and every end of turn would wait for. SoX's quick cubic interpolation gives each
20 ms frame's 16 kHz audio at once; the band above 4 kHz is empty on a phone line anyway.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from pipecat.audio.resamplers.soxr_stream_resampler import SOXRStreamAudioResampler
from pipecat.audio.utils import ulaw_to_pcm
from pipecat.frames.frames import Frame, InputAudioRawFrame, InputTransportMessageFrame
from pipecat.processors.frame_processor import FrameProcessorSetup
from pipecat.serializers.twilio import TwilioFrameSerializer

MAX_MESSAGE_CHARS = 8_192
MAX_MEDIA_BYTES = 1_600  # 200 ms of 8 kHz mu-law; Twilio sends 20 ms
EVENTS = frozenset({"media", "mark", "dtmf", "stop"})
TWILIO_RATE = 8000


class StreamViolation(Exception):
    """A message no Twilio Media Stream sends; the stream is closed."""


class CheckedTwilioSerializer(TwilioFrameSerializer):
    def __init__(self, stream_sid: str, **kwargs: Any) -> None:
        super().__init__(stream_sid, **kwargs)
        self.stream_sid = stream_sid
        self.violation: str | None = None
        self.stopped = False
        self._in_rate = TWILIO_RATE
        self._resampler = SOXRStreamAudioResampler(quality="QQ", clear_after_secs=None)

    async def setup(self, setup: FrameProcessorSetup) -> None:  # type: ignore[override]
        await super().setup(setup)
        self._in_rate = setup.audio_in_sample_rate  # the pipeline's (the recogniser's) rate

    def _refuse(self, reason: str) -> StreamViolation:
        self.violation = self.violation or reason
        return StreamViolation(reason)

    def mark(self, name: str) -> dict[str, object]:
        return {"event": "mark", "streamSid": self.stream_sid, "mark": {"name": name}}

    async def deserialize(self, data: str | bytes) -> Frame | None:
        if self.violation is not None or self.stopped:
            return None
        if not isinstance(data, str):
            raise self._refuse("binary message")
        if len(data) > MAX_MESSAGE_CHARS:
            raise self._refuse("oversized message")
        try:
            message = json.loads(data)
        except ValueError as exc:
            raise self._refuse("malformed message") from exc
        if not isinstance(message, dict) or not isinstance(message.get("event"), str):
            raise self._refuse("malformed message")
        event = message["event"]
        if event in ("connected", "start"):
            raise self._refuse(f"out-of-order {event} message")
        if event not in EVENTS:
            raise self._refuse("unknown event")
        if message.get("streamSid") != self.stream_sid:
            raise self._refuse("message of another stream")
        if event == "media":
            return await self._audio(self._check_media(message.get("media")))
        frame = self._control(event, message)
        if frame is not None:
            return frame
        return await super().deserialize(data)

    async def _audio(self, ulaw: bytes) -> Frame | None:
        pcm = await ulaw_to_pcm(ulaw, TWILIO_RATE, self._in_rate, self._resampler)
        if not pcm:
            return None
        return InputAudioRawFrame(audio=pcm, num_channels=1, sample_rate=self._in_rate)

    def _control(self, event: str, message: dict[str, Any]) -> Frame | None:
        """A mark or the stop as a transport message; DTMF checked, left to Pipecat."""
        if event == "mark":
            mark = message.get("mark")
            name = mark.get("name") if isinstance(mark, dict) else None
            if not isinstance(name, str):
                raise self._refuse("malformed mark")
            return InputTransportMessageFrame(message={"event": "mark", "name": name})
        elif event == "stop":
            self.stopped = True
            return InputTransportMessageFrame(message={"event": "stop"})
        elif not isinstance(message.get("dtmf"), dict):
            raise self._refuse("malformed dtmf")
        return None

    def _check_media(self, media: object) -> bytes:
        payload = media.get("payload") if isinstance(media, dict) else None
        if not isinstance(payload, str):
            raise self._refuse("malformed media")
        if len(payload) > MAX_MEDIA_BYTES * 4 // 3 + 4:
            raise self._refuse("oversized media frame")
        try:
            raw = base64.b64decode(payload, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise self._refuse("media payload is not base64") from exc
        if not raw:
            raise self._refuse("empty media frame")
        return raw
