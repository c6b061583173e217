"""Structured logging: JSON in production, readable console in development, PII redacted.

Every record, whether it comes from structlog or the standard library (uvicorn, SQLAlchemy), goes
through the same processor chain, so redaction cannot be bypassed by logging the "wrong" way.
"""

from __future__ import annotations

import logging
import re
import sys
import traceback
from collections.abc import Mapping, MutableMapping
from types import TracebackType
from typing import Any, TextIO

import structlog
from asgi_correlation_id import correlation_id
from sqlalchemy.exc import StatementError

REDACTED = "[REDACTED]"

# Keys whose values are never written: secrets and conversation content.
_SECRET_KEY_PARTS = (
    "password",
    "passwd",
    "secret",
    "token",
    "authorization",
    "api_key",
    "apikey",
    "cookie",
    "transcript",
    "note",
    "body",
    "utterance",
)

# Phone-like digit runs: with a leading "+" from 7 digits, without one from 9 (national numbers
# have 9-11). That leaves dates (2026-11-26, 8 digits), clock times, durations and UUID groups
# alone while masking every number a caller could have, URL-encoded ones (%2B...) too.
# Over-masking an id is the safe error.
_SEP = r"[\s().-]{0,2}"
_PHONE_RE = re.compile(
    rf"(?:(?<=%2[Bb])|(?<![\w.+-]))(?:\+\(?\d(?:{_SEP}\d){{6,14}}|\(?\d(?:{_SEP}\d){{8,14}})(?![\w:])"
)


def mask_phone_numbers(text: str) -> str:
    """Replace every phone-like digit run by ``***`` plus its last four digits."""

    def _mask(match: re.Match[str]) -> str:
        digits = re.sub(r"\D", "", match.group(0))
        return "***" + digits[-4:]

    return _PHONE_RE.sub(_mask, text)


def _is_secret_key(key: str) -> bool:
    lowered = key.lower()
    if lowered.endswith(("_id", "_ids")):  # identifiers (api_key_id) are not secrets
        return False
    return any(part in lowered for part in _SECRET_KEY_PARTS)


def _redact_value(value: Any) -> Any:
    if isinstance(value, str):
        return mask_phone_numbers(value)
    if isinstance(value, Mapping):
        return {
            k: REDACTED if _is_secret_key(str(k)) else _redact_value(v) for k, v in value.items()
        }
    if isinstance(value, list | tuple | set):
        return [_redact_value(v) for v in value]
    return value


def redact_event(
    _logger: Any, _method: str, event_dict: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    """structlog processor: drop secret fields and mask phone numbers everywhere."""
    for key in list(event_dict):
        if key in {"timestamp", "level", "logger"}:
            continue
        if _is_secret_key(key):
            event_dict[key] = REDACTED
        else:
            event_dict[key] = _redact_value(event_dict[key])
    return event_dict


def add_correlation_id(
    _logger: Any, _method: str, event_dict: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    request_id = correlation_id.get()
    if request_id:
        event_dict.setdefault("request_id", request_id)
    return event_dict


def _drop_color_message(
    _logger: Any, _method: str, event_dict: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    # uvicorn duplicates its message with ANSI codes in "color_message".
    event_dict.pop("color_message", None)
    return event_dict


# Database drivers quote written values in their messages ("invalid input for query argument
# $1: '...'", "DETAIL:  Key (email)=(...) already exists"), so a database error is logged by
# its class, SQLSTATE and statement (placeholders only; the engine hides bound parameters).
_DATABASE_MODULES = (
    "asyncpg",
    "sqlite3",
    "aiosqlite",
    "psycopg",
    "sqlalchemy.dialects",
    "sqlalchemy.connectors",
)
_WITHHELD = "[message withheld: database errors can quote written values]"
_MAX_STATEMENT_CHARS = 500
_CAUSE = "\nThe above exception was the direct cause of the following exception:\n\n"
_CONTEXT = "\nDuring handling of the above exception, another exception occurred:\n\n"


def _is_database_error(exc: BaseException) -> bool:
    module = type(exc).__module__
    return isinstance(exc, StatementError) or module.startswith(_DATABASE_MODULES)


def safe_message(exc: BaseException) -> str:
    """``str(exc)``, except for database errors, whose messages may quote written values."""
    if not _is_database_error(exc):
        return str(exc)
    orig = getattr(exc, "orig", None)
    sqlstate = getattr(exc, "sqlstate", None) or getattr(orig, "sqlstate", None)
    text = f"{_WITHHELD} SQLSTATE {sqlstate}" if sqlstate else _WITHHELD
    if isinstance(exc, StatementError) and exc.statement:
        text += f"\n[SQL: {exc.statement[:_MAX_STATEMENT_CHARS]}]"
    return text


def describe_exception(exc: BaseException) -> str:
    """``repr(exc)`` for log fields, with database errors' messages withheld."""
    if not _is_database_error(exc):
        return repr(exc)
    return f"{type(exc).__name__}({safe_message(exc)!r})"


def format_exception(
    exc_info: tuple[type[BaseException], BaseException, TracebackType | None]
    | tuple[None, None, None],
) -> str:
    """The traceback as Python prints it (causes and contexts included), with
    ``safe_message`` in place of each exception's message."""
    exc = exc_info[1]
    if exc is None:
        return ""
    chain: list[tuple[BaseException, str]] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    link = ""
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        chain.append((current, link))
        if current.__cause__ is not None:
            current, link = current.__cause__, _CAUSE
        elif current.__context__ is not None and not current.__suppress_context__:
            current, link = current.__context__, _CONTEXT
        else:
            current = None
    parts: list[str] = []
    for error, separator in reversed(chain):
        if error.__traceback__ is not None:
            parts.append("Traceback (most recent call last):\n")
            parts.extend(traceback.format_tb(error.__traceback__))
        kind = type(error)
        name = (
            kind.__qualname__
            if kind.__module__ == "builtins"
            else f"{kind.__module__}.{kind.__qualname__}"
        )
        message = safe_message(error)
        parts.append(f"{name}: {message}\n" if message else f"{name}\n")
        parts.append(separator)
    return "".join(parts).rstrip("\n")


def _render_exception_then_redact() -> list[Any]:
    # Exceptions are rendered to text first so their messages are redacted too.
    return [structlog.processors.ExceptionRenderer(format_exception), redact_event]


def build_formatter(*, json: bool) -> structlog.stdlib.ProcessorFormatter:
    """The formatter every handler uses; tests attach it to capture exactly what is written."""
    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        add_correlation_id,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        structlog.stdlib.ExtraAdder(),
    ]
    renderer: Any = (
        structlog.processors.JSONRenderer()
        if json
        else structlog.dev.ConsoleRenderer(colors=sys.stderr.isatty())
    )
    return structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=shared,
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            _drop_color_message,
            *_render_exception_then_redact(),
            renderer,
        ],
    )


class StderrHandler(logging.StreamHandler[TextIO]):
    """Writes to ``sys.stderr`` as it is when a record is emitted, as the standard library's
    last-resort handler does: a stream captured when logging was set up may be closed since (a
    test's capture, a replaced stderr), and a thread logging to it lost every line."""

    def __init__(self) -> None:
        logging.Handler.__init__(self)  # not StreamHandler's, which would keep today's stderr

    @property
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, value: TextIO) -> None:
        raise AttributeError("StderrHandler writes to sys.stderr; replace sys.stderr instead")


def configure_logging(*, level: str = "INFO", json: bool = False) -> None:
    """Route structlog and the standard library through one redacting formatter on stderr."""
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.stdlib.filter_by_level,
            structlog.stdlib.add_log_level,
            structlog.stdlib.add_logger_name,
            add_correlation_id,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    handler = StderrHandler()
    handler.setFormatter(build_formatter(json=json))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # We log each request once ourselves (with redaction); uvicorn's access log would repeat it
    # with raw query strings.
    for name in ("uvicorn", "uvicorn.error"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True
    logging.getLogger("uvicorn.access").disabled = True
    # httpx logs every outbound URL with its query string at INFO; those can carry tokens.
    logging.getLogger("httpx").setLevel(logging.WARNING)


def get_logger(name: str) -> structlog.stdlib.BoundLogger:
    """A structured logger; bind context with keyword arguments."""
    logger: structlog.stdlib.BoundLogger = structlog.get_logger(name)
    return logger
