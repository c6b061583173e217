"""In-process fan-out of "these jobs were committed": wakes runners, feeds the queue dispatcher.

Listeners attach to an engine (the process's ``Database.engine``); ``aicaller.worker.enqueue``
publishes to the engine its session is bound to, only after the transaction committed. A
notification is only a hint: runners poll and workers scan the table, so a lost one delays a
job by at most one poll interval and never loses it.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from weakref import WeakKeyDictionary

from sqlalchemy import Engine
from sqlalchemy.ext.asyncio import AsyncEngine

from aicaller.core.logging import get_logger

logger = get_logger(__name__)


@dataclass(frozen=True, slots=True)
class JobRef:
    """What a dispatcher needs to know about a job that became runnable."""

    id: uuid.UUID
    attempts: int
    run_at: datetime


Listener = Callable[[Sequence[JobRef]], None]

_listeners: WeakKeyDictionary[Engine, list[Listener]] = WeakKeyDictionary()


def _sync(engine: AsyncEngine | Engine) -> Engine:
    return engine.sync_engine if isinstance(engine, AsyncEngine) else engine


def attach(engine: AsyncEngine | Engine, listener: Listener) -> None:
    """Call ``listener`` (in the event loop's thread) with jobs committed through ``engine``."""
    _listeners.setdefault(_sync(engine), []).append(listener)


def detach(engine: AsyncEngine | Engine, listener: Listener) -> None:
    listeners = _listeners.get(_sync(engine), [])
    if listener in listeners:
        listeners.remove(listener)


def publish(engine: AsyncEngine | Engine, refs: Sequence[JobRef]) -> None:
    """Tell every listener of ``engine`` about ``refs``; a failing listener is logged, not fatal."""
    if not refs:
        return
    for listener in list(_listeners.get(_sync(engine), [])):
        try:
            listener(refs)
        except Exception as exc:
            logger.warning("job_notify_failed", listener=repr(listener), error=repr(exc))
