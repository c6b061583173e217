"""What a JSON request body must be before anything parses it: JSON by media type, UTF-8, and
nested at most ``MAX_JSON_DEPTH`` levels.

The checks run on the raw bytes with C-speed primitives (regex, ``bytes.translate``), so a
refused body is never parsed and a deep one never reaches a recursive parser or validator.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from email.message import Message
from itertools import accumulate

MAX_JSON_DEPTH = 64
"""Arrays and objects inside one another; real payloads stay far below it."""

# A JSON string, escapes included: brackets inside strings are text, not nesting.
_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_OTHER_BYTES = bytes(b for b in range(256) if b not in b"[]{}")
_AS_SQUARE = bytes.maketrans(b"{}", b"[]")
_STEP = [0] * 256
_STEP[ord("[")], _STEP[ord("]")] = 1, -1
_UTF8 = frozenset({"utf-8", "utf-8-sig"})


@dataclass(frozen=True, slots=True)
class BodyProblem:
    status: int
    code: str
    detail: str


def is_json_media_type(content_type: str) -> bool:
    """``application/json`` or a ``+json`` type, parameters allowed (what FastAPI parses)."""
    message = Message()
    message["content-type"] = content_type
    subtype = message.get_content_subtype()
    return message.get_content_maintype() == "application" and (
        subtype == "json" or subtype.endswith("+json")
    )


def too_deep(body: bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether arrays and objects nest more than ``limit`` deep (an unterminated string's
    brackets count too: such a body is invalid anyway)."""
    brackets = _STRING.sub(b"", body).translate(_AS_SQUARE, _OTHER_BYTES)
    if brackets.count(b"[") <= limit:
        return False
    if b"[" * (limit + 1) in brackets:
        return True
    return max(accumulate(map(_STEP.__getitem__, brackets))) > limit


def json_body_problem(body: bytes) -> BodyProblem | None:
    """Why ``body`` (from a JSON media type) must be refused unparsed, if it must."""
    try:
        body.decode()
    except UnicodeDecodeError:
        return BodyProblem(400, "bad_request", "The request body is not UTF-8 encoded JSON")
    # Valid UTF-8 can still be UTF-16 or UTF-32 without a byte order mark ("{\x00..."), which
    # json.loads would detect and decode.
    if json.detect_encoding(body) not in _UTF8:
        return BodyProblem(400, "bad_request", "The request body is not UTF-8 encoded JSON")
    if too_deep(body):
        detail = f"The JSON body is nested more than {MAX_JSON_DEPTH} levels deep"
        return BodyProblem(400, "json_too_deep", detail)
    return None
