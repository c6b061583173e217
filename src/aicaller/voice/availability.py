"""Whether this process can run the streamed pipeline (its engines load), checked once.

A webhook of a business on the ``stream`` transport falls back to ``gather`` when they do
not, so a broken install still answers its calls.
"""

from __future__ import annotations

import functools

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
