"""Whether this process can run the streamed pipeline (its engines load), checked once.

A webhook of a business on the ``stream`` transport falls back to ``gather`` when they do
not, so a broken install still answers its calls.
"""

from __future__ import annotations

import functools
import sys

from aicaller.core.logging import get_logger

logger = get_logger(__name__)


@functools.cache
def voice_available() -> bool:
    try:
        from aicaller.voice import pipeline  # noqa: F401, PLC0415 - the import is the check
        from aicaller.voice.speech.espeak import EspeakEngine  # noqa: PLC0415

        EspeakEngine.shared()
    except (ImportError, OSError, RuntimeError) as exc:
        logger.exception("voice pipeline unavailable; phone calls use gather", error=str(exc))
        return False
    return True


def configure_pipecat_logging(level: str) -> None:
    """Pipecat logs through loguru at DEBUG by default, several lines per caller turn; keep
    its lines at the app's level and above (INFO by default) on stderr."""
    from loguru import logger as loguru_logger  # noqa: PLC0415 - pipecat's logger

    wanted = level.upper() if level.upper() in _LEVELS else "INFO"
    loguru_logger.remove()
    loguru_logger.add(sys.stderr, level=max(wanted, "INFO", key=_LEVELS.index))


_LEVELS = ["TRACE", "DEBUG", "INFO", "SUCCESS", "WARNING", "ERROR", "CRITICAL"]
