"""A small OpenAI-compatible chat-completions server on 127.0.0.1, scripted per test.

Each request takes the next scripted answer: streamed text, streamed tool calls, a complete
(non-streamed) message, an HTTP error, a late answer, or a stream of hand-written events
(malformed chunks). Every request body is kept, so tests can check exactly what the agent sent.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from types import EllipsisType
from typing import Any

from tests.core.http_peer import LocalPeer, Reply


@dataclass(frozen=True)
class ToolCall:
    name: str
    arguments: str  # sent in pieces, as real servers stream them


@dataclass(frozen=True)
class Answer:
    text: str = ""
    tool_calls: tuple[ToolCall, ...] = ()
    status: int = 200
    delay: float = 0.0
    streamed: bool = True
    raw: bytes | None = None  # sent as it is (malformed answers)
    events: tuple[str, ...] | None = None  # sent as server-sent events' data, as they are
    finish: str | None = None  # the finish reason when not "stop" / "tool_calls" ("length")


def chunk_data(
    delta: dict[str, Any] | EllipsisType | None, finish: str | None = None, **choice: Any
) -> str:
    """A chat.completion.chunk's JSON; ``...`` leaves the delta out, ``choice`` overrides the
    choice's other fields (or leaves them out, given ``...``)."""
    fields = {"index": 0, "delta": delta, "finish_reason": finish, **choice}
    body = {
        "id": "chatcmpl-test",
        "object": "chat.completion.chunk",
        "created": 1_764_576_000,
        "model": "test-model",
        "choices": [{k: v for k, v in fields.items() if v is not ...}],
    }
    return json.dumps(body)


def _chunk(delta: dict[str, Any], finish: str | None = None) -> bytes:
    return b"data: " + chunk_data(delta, finish).encode() + b"\n\n"


def _stream(answer: Answer) -> bytes:
    parts = [_chunk({"role": "assistant", "content": ""})]
    words = answer.text.split(" ") if answer.text else []
    parts += [
        _chunk({"content": word + (" " if i < len(words) - 1 else "")})
        for i, word in enumerate(words)
    ]
    for index, call in enumerate(answer.tool_calls):
        head = {"index": index, "id": f"call_{index}", "type": "function",
                "function": {"name": call.name, "arguments": ""}}  # fmt: skip
        parts.append(_chunk({"tool_calls": [head]}))
        middle = len(call.arguments) // 2
        for piece in (call.arguments[:middle], call.arguments[middle:]):
            parts.append(
                _chunk({"tool_calls": [{"index": index, "function": {"arguments": piece}}]})
            )
    parts.append(_chunk({}, answer.finish or ("tool_calls" if answer.tool_calls else "stop")))
    return b"".join(parts) + b"data: [DONE]\n\n"


def _message(answer: Answer) -> bytes:
    body = {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "created": 1_764_576_000,
        "model": "test-model",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": answer.text},
                "finish_reason": "stop",
            }
        ],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    }
    return json.dumps(body).encode()


class OpenAIPeer(LocalPeer):
    PATH = "/v1/chat/completions"

    def __init__(self) -> None:
        super().__init__()
        self.script: list[Answer] = []
        self.bodies: list[dict[str, Any]] = []

    @property
    def base_url(self) -> str:
        return self.url("/v1")

    def reset(self) -> None:
        super().reset()
        self.script.clear()
        self.bodies.clear()

    def answer(self, *answers: Answer) -> None:
        self.script.extend(answers)

    def _next_reply(self, path: str) -> Reply:
        if path != self.PATH:
            return Reply(404, body=b"no such route")
        self.bodies.append(json.loads(self.requests[-1].body))
        answer = self.script.pop(0) if self.script else Answer(status=500)
        if answer.status != 200:
            error = {"error": {"message": "scripted failure", "type": "server_error"}}
            return Reply(
                answer.status, {"Content-Type": "application/json"}, json.dumps(error).encode()
            )
        if answer.events is not None:
            events = b"".join(b"data: " + event.encode() + b"\n\n" for event in answer.events)
            return Reply(200, {"Content-Type": "text/event-stream"}, events, delay=answer.delay)
        if answer.raw is not None:
            return Reply(200, {"Content-Type": "application/json"}, answer.raw, delay=answer.delay)
        if answer.streamed:
            headers = {"Content-Type": "text/event-stream"}
            return Reply(200, headers, _stream(answer), delay=answer.delay)
        return Reply(
            200, {"Content-Type": "application/json"}, _message(answer), delay=answer.delay
        )
