"""Text that no UTF-8 encoder accepts: lone UTF-16 surrogates.

JSON may spell one (``"\\ud800"``) and Python decodes it into a ``str`` that cannot be encoded
again. The API refuses them on input; these helpers keep any that were stored before from
breaking a read or an export (they become U+FFFD, the replacement character).
"""

from __future__ import annotations

import json
import re
from typing import Any

LONE_SURROGATE = re.compile("[\ud800-\udfff]")
# How a JSON text spells a surrogate (a pair decodes to one ordinary character).
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
REPLACEMENT = "\ufffd"


def utf8(text: str) -> bytes:
    """``text`` as UTF-8, a lone surrogate as U+FFFD."""
    try:
        return text.encode()
    except UnicodeEncodeError:
        return LONE_SURROGATE.sub(REPLACEMENT, text).encode()


def _repair(value: Any) -> Any:
    if isinstance(value, str):
        return LONE_SURROGATE.sub(REPLACEMENT, value)
    if isinstance(value, dict):
        return {_repair(key): _repair(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_repair(item) for item in value]
    return value


def load_json(text: str | bytes) -> Any:
    """``json.loads`` whose strings never hold a lone surrogate (the database's JSON reader)."""
    value = json.loads(text)
    raw = text if isinstance(text, str) else text.decode(errors="replace")
    if _SURROGATE_ESCAPE.search(raw) is None:
        return value
    return _repair(value)
