"""Reading one streamed chat completion without trusting its shape.

The SDK parses each server-sent event's JSON but does not validate it, so a provider's
malformed chunk (``"delta": null``, ``"choices": "..."``, a cut-off JSON line) would surface as
an ``AttributeError`` or ``JSONDecodeError`` deep in the agent. Each chunk is validated here
against the few fields the agent reads; anything else makes the whole answer unusable
(``LlmUnusable``), which the agent answers with its offline fallback. A choice without a delta
(some providers send ``"delta": null`` with the finish reason) is skipped.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterable
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError


class LlmUnusable(Exception):
    """The endpoint answered with something that cannot be said or done."""


class _Loose(BaseModel):
    model_config = ConfigDict(extra="ignore")


class _Function(_Loose):
    name: str | None = None
    arguments: str | None = None


class _ToolCallDelta(_Loose):
    index: int = 0
    id: str | None = None
    function: _Function | None = None


class _Delta(_Loose):
    content: str | None = None
    tool_calls: list[_ToolCallDelta] | None = None


class _Choice(_Loose):
    delta: _Delta | None = None
    finish_reason: str | None = None


class _Chunk(_Loose):
    choices: list[_Choice] | None = None


@dataclass
class ToolCall:
    id: str = ""
    name: str = ""
    arguments: str = ""


@dataclass
class Completion:
    text: str = ""
    calls: list[ToolCall] = field(default_factory=list)
    finish_reason: str | None = None  # "length": cut off by max_tokens


def _validated(chunk: object) -> _Chunk:
    dump = getattr(chunk, "model_dump", None)
    if dump is None:  # the SDK hands over whatever JSON came: a list, a string, a number
        raise LlmUnusable(f"a stream chunk is a {type(chunk).__name__}, not an object")
    try:
        return _Chunk.model_validate(dump(warnings=False, exclude_unset=True))
    except ValidationError as exc:
        raise LlmUnusable(f"a malformed stream chunk ({exc.error_count()} errors)") from exc


async def read_completion(stream: AsyncIterable[object]) -> Completion:
    """The streamed answer's text and tool calls (in index order)."""
    text: list[str] = []
    calls: dict[int, ToolCall] = {}
    finish: str | None = None
    try:
        async for raw in stream:
            for choice in (_validated(raw).choices or ())[:1]:
                finish = choice.finish_reason or finish
                if choice.delta is None:
                    continue
                if choice.delta.content:
                    text.append(choice.delta.content)
                for piece in choice.delta.tool_calls or ():
                    call = calls.setdefault(piece.index, ToolCall())
                    call.id = piece.id or call.id
                    if piece.function is not None:
                        call.name += piece.function.name or ""
                        call.arguments += piece.function.arguments or ""
    except ValueError as exc:  # a cut-off JSON line (JSONDecodeError), bytes that are no UTF-8
        raise LlmUnusable(f"an unreadable stream ({type(exc).__name__})") from exc
    return Completion("".join(text).strip(), [calls[i] for i in sorted(calls)], finish)


def tool_arguments(call: ToolCall) -> dict[str, Any]:
    """A tool call's arguments; LlmUnusable when they are not a JSON object."""
    try:
        arguments = json.loads(call.arguments or "{}")
    except json.JSONDecodeError as exc:
        raise LlmUnusable(f"tool {call.name} got arguments that are not JSON") from exc
    if not isinstance(arguments, dict):
        raise LlmUnusable(f"tool {call.name} got arguments that are not an object")
    return arguments
