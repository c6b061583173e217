"""Deepgram's streaming recogniser (the ``deepgram`` extra), one transcript per utterance.

Pipecat's ``DeepgramSTTService`` streams the call's audio to Deepgram's ``/v1/listen`` and
asks for the rest of the utterance (``Finalize``) when the VAD says the caller stopped. Deepgram
also finalises stretches of a long utterance on its own while the caller is still speaking;
every one would be a turn of its own for the agent (answering the first half of a question).
So final text is held while the caller speaks and joined with the answer to ``Finalize``; when
that answer is empty (Deepgram had already finalised everything) what is held goes on after a
short wait.
"""

from __future__ import annotations

import asyncio
from typing import Any

from pipecat.frames.frames import (
    Frame,
    TranscriptionFrame,
    VADUserStartedSpeakingFrame,
    VADUserStoppedSpeakingFrame,
)
from pipecat.processors.frame_processor import FrameDirection
from pipecat.services.deepgram.stt import DeepgramSTTService
from pipecat.transcriptions.language import Language

# How long to wait for the answer to Finalize before passing on what is held: Pipecat passes
# no empty answer on, so nothing else tells that Deepgram had nothing more. Long enough for
# Deepgram's answer, short enough that the caller does not wonder whether they were heard.
FINALIZE_WAIT = 1.0


class DeepgramRecogniser(DeepgramSTTService):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._held: list[TranscriptionFrame] = []
        self._caller_speaking = False
        self._release: asyncio.Task[None] | None = None

    async def process_frame(self, frame: Frame, direction: FrameDirection) -> None:
        if isinstance(frame, VADUserStartedSpeakingFrame):
            self._caller_speaking = True
            await self._cancel_release()
        elif isinstance(frame, VADUserStoppedSpeakingFrame):
            self._caller_speaking = False
        await super().process_frame(frame, direction)
        if isinstance(frame, VADUserStoppedSpeakingFrame) and self._held:
            self._schedule_release()

    def _schedule_release(self) -> None:
        self._release = self.create_task(self._release_after_wait(), "deepgram_release")

    async def push_frame(
        self, frame: Frame, direction: FrameDirection = FrameDirection.DOWNSTREAM
    ) -> None:
        if not isinstance(frame, TranscriptionFrame):
            await super().push_frame(frame, direction)
            return
        self._held.append(frame)
        if self._caller_speaking:
            return
        if getattr(frame.result, "from_finalize", False):
            await self._cancel_release()
            await self._push_held()
        elif self._release is None:
            self._schedule_release()

    async def _release_after_wait(self) -> None:
        await asyncio.sleep(FINALIZE_WAIT)
        self._release = None
        await self._push_held()

    async def _cancel_release(self) -> None:
        if self._release is not None:
            task, self._release = self._release, None
            await self.cancel_task(task)

    async def _push_held(self) -> None:
        if not self._held:
            return
        held, self._held = self._held, []
        last = held[-1]
        last.text = " ".join(part.text.strip() for part in held if part.text.strip())
        await super().push_frame(last, FrameDirection.DOWNSTREAM)


def deepgram_recogniser(
    *,
    api_key: str,
    base_url: str | None,
    model: str | None,
    language: Language,
    audio_passthrough: bool = True,
) -> DeepgramRecogniser:
    settings = DeepgramRecogniser.Settings(language=language)
    if model is not None:
        settings.model = model
    return DeepgramRecogniser(
        api_key=api_key,
        base_url=base_url or "",
        settings=settings,
        audio_passthrough=audio_passthrough,
    )
