"""Local stand-ins for hosted speech providers, speaking their WebSocket protocols as the
providers document them (and as their Pipecat services and SDKs read them).

``FakeDeepgram`` is ``/v1/listen``: binary linear16 audio in; ``KeepAlive``, ``Finalize`` and
``CloseStream`` JSON messages; ``Results`` out. Like Deepgram it finalises part of a long
utterance on its own (``early``, once it has heard enough speech) and answers ``Finalize`` with
the rest (``from_finalize``). ``FakeCartesia`` is ``/tts/websocket``: a generation request per
text (``context_id``, ``transcript``, ``continue``), answered with ``chunk`` messages (base64
PCM at the requested rate, a 400 Hz square wave so the test can tell it from any other voice),
``timestamps``, and ``done`` once the context is closed with ``continue: false``.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any, Self
from urllib.parse import parse_qs, urlsplit

import numpy as np
from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.http11 import Request, Response

SQUARE = 8000  # amplitude of the fake voice's square wave
SQUARE_PERIOD = 20  # samples: 400 Hz at 8 kHz
SPEECH_LEVEL = 2000  # a 16-bit sample above this is speech (the caller's), not silence


@dataclass
class Handshake:
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]


class _Peer:
    def __init__(self) -> None:
        self.handshakes: list[Handshake] = []
        self._server: Server | None = None

    @property
    def url(self) -> str:
        assert self._server is not None
        host, port = next(iter(self._server.sockets)).getsockname()[:2]
        return f"http://{host}:{port}"

    async def __aenter__(self) -> Self:
        self._server = await serve(self._handle, "127.0.0.1", 0, process_request=self._check)
        return self

    refuse: HTTPStatus | None = None  # answer every handshake so (a key it does not know)

    def _check(self, connection: ServerConnection, request: Request) -> Response | None:
        if self.refuse is None:
            return None
        split = urlsplit(request.path)
        headers = {name.lower(): value for name, value in request.headers.raw_items()}
        self.handshakes.append(Handshake(split.path, parse_qs(split.query), headers))
        return connection.respond(self.refuse, "refused\n")

    async def __aexit__(self, *exc_info: object) -> None:
        assert self._server is not None
        self._server.close()
        await self._server.wait_closed()

    async def _handle(self, connection: ServerConnection) -> None:
        request = connection.request
        assert request is not None
        split = urlsplit(request.path)
        headers = {name.lower(): value for name, value in request.headers.raw_items()}
        self.handshakes.append(Handshake(split.path, parse_qs(split.query), headers))
        await self.serve(connection)

    async def serve(self, connection: ServerConnection) -> None:
        raise NotImplementedError


@dataclass
class FakeDeepgram(_Peer):
    early: str  # finalised on its own once enough speech was heard
    rest: str  # the answer to Finalize
    speech_bytes_before_early: int = 16000 * 2 // 3  # a third of a second at 16 kHz
    controls: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__()

    async def serve(self, connection: ServerConnection) -> None:
        heard = 0
        rest_said = False
        async for message in connection:
            if isinstance(message, bytes):
                samples = np.frombuffer(message, dtype=np.int16)
                if samples.size and int(np.abs(samples).max()) > SPEECH_LEVEL:
                    heard += len(message)
                    if heard >= self.speech_bytes_before_early and heard - len(message) < (
                        self.speech_bytes_before_early
                    ):
                        await connection.send(results(self.early, from_finalize=False))
                continue
            kind = json.loads(message)["type"]
            self.controls.append(kind)
            if kind == "Finalize":
                # The rest is transcribed once: a Finalize after a later blip of audio (the
                # pipeline may send two for one utterance) gets only what is new, nothing.
                words = "" if rest_said or not heard else self.rest
                rest_said = rest_said or bool(words)
                await connection.send(results(words, from_finalize=True))
                heard = 0
            elif kind == "CloseStream":
                return


def results(transcript: str, *, from_finalize: bool) -> str:
    alternative = {"transcript": transcript, "confidence": 0.98, "words": []}
    return json.dumps({
        "type": "Results", "channel_index": [0, 1], "duration": 1.0, "start": 0.0,
        "is_final": True, "speech_final": from_finalize, "from_finalize": from_finalize,
        "channel": {"alternatives": [alternative]},
        "metadata": {"request_id": "req-1", "model_uuid": "uuid-1",
                     "model_info": {"name": "nova-3", "version": "1", "arch": "nova-3"}},
    })  # fmt: skip


@dataclass
class FakeCartesia(_Peer):
    requests: list[dict[str, Any]] = field(default_factory=list)
    refuse: HTTPStatus | None = None

    def __post_init__(self) -> None:
        super().__init__()

    async def serve(self, connection: ServerConnection) -> None:
        async for message in connection:
            request = json.loads(message)
            self.requests.append(request)
            context = request["context_id"]
            if request.get("cancel"):
                continue
            words = str(request.get("transcript", "")).split()
            if words:
                rate = int(request["output_format"]["sample_rate"])
                await connection.send(json.dumps({
                    "type": "chunk", "context_id": context, "done": False,
                    "data": base64.b64encode(square(rate, 0.08 * len(words))).decode(),
                }))  # fmt: skip
                starts = [0.08 * index for index in range(len(words))]
                await connection.send(json.dumps({
                    "type": "timestamps", "context_id": context,
                    "word_timestamps": {"words": words, "start": starts,
                                        "end": [start + 0.08 for start in starts]},
                }))  # fmt: skip
            if request.get("continue") is False:
                await connection.send(json.dumps({"type": "done", "context_id": context}))

    @property
    def spoken(self) -> list[str]:
        return [str(r["transcript"]) for r in self.requests if str(r.get("transcript", "")).strip()]


def square(rate: int, seconds: float) -> bytes:
    """16-bit PCM: a square wave of amplitude ``SQUARE``."""
    samples = np.arange(int(rate * seconds))
    wave = np.where((samples // (SQUARE_PERIOD // 2)) % 2 == 0, SQUARE, -SQUARE)
    return wave.astype(np.int16).tobytes()


@dataclass
class FakeElevenLabs(_Peer):
    """``/v1/text-to-speech/{voice}/multi-stream-input``: JSON messages per ``context_id``
    (a context opens with ``text: " "`` and the voice settings, then ``text`` to speak,
    ``flush``, ``close_context``; ``text: ""`` alone keeps the socket alive), answered with
    ``audio`` (base64 PCM at the rate ``output_format`` names) and ``isFinal`` once a context
    is closed."""

    messages: list[dict[str, Any]] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__()

    async def serve(self, connection: ServerConnection) -> None:
        query = self.handshakes[-1].query
        rate = int(query["output_format"][0].removeprefix("pcm_"))
        async for message in connection:
            request = json.loads(message)
            self.messages.append(request)
            context = request.get("context_id")
            words = str(request.get("text", "")).split()
            if words:
                await connection.send(json.dumps({
                    "audio": base64.b64encode(square(rate, 0.08 * len(words))).decode(),
                    "contextId": context, "isFinal": None, "alignment": None,
                }))  # fmt: skip
            if request.get("close_context"):
                await connection.send(json.dumps({"isFinal": True, "contextId": context}))

    @property
    def spoken(self) -> list[str]:
        return [str(m["text"]) for m in self.messages if str(m.get("text", "")).strip()]
