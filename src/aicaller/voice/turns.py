"""The end of the caller's turn judged by Pipecat's smart-turn model (``turn_detection``
``smart_turn``; ADR 0014).

With the VAD alone a turn ends after half a second of silence, so a caller who pauses in the
middle of a sentence ("I need to cancel my appointment because... I'm ill") is answered
half-way. With this gate the VAD reports a pause sooner (0.2 s) and the model, which hears
the whole utterance, judges whether the sentence was finished: if so the pause goes on to the
recogniser and the agent answers; if not the pause is held back and the caller's next words
continue the same turn (one transcript, one answer). A held pause is let through when the
silence lasts the model's ``stop_secs`` after all, so a misjudged sentence costs the caller a
wait, never an answer.

The model is Pipecat's ``LocalSmartTurnAnalyzerV3`` (the ONNX file inside pipecat-ai's wheel)
used through its public interface: each analyzer keeps one call's audio and runs its inference
on a thread of its own (ONNX Runtime releases the GIL), so one call's inference does not stall
the event loop that carries the other calls' audio.
"""

from __future__ import annotations

import asyncio

from pipecat.audio.turn.base_turn_analyzer import EndOfTurnState
from pipecat.audio.turn.smart_turn.base_smart_turn import SmartTurnParams
from pipecat.audio.turn.smart_turn.local_smart_turn_v3 import LocalSmartTurnAnalyzerV3
from pipecat.frames.frames import (
    CancelFrame,
    EndFrame,
    Frame,
    InputAudioRawFrame,
    VADUserStartedSpeakingFrame,
    VADUserStoppedSpeakingFrame,
)
from pipecat.processors.frame_processor import (
    FrameDirection,
    FrameProcessor,
    FrameProcessorSetup,
)

from aicaller.core.logging import get_logger

logger = get_logger(__name__)

# The VAD's pause before the model is asked (Pipecat's recommended stop_secs with smart-turn).
VAD_STOP_SECONDS = 0.2
# The longest the agent waits after a sentence the model judged unfinished: the cost of a
# wrong verdict, so well under the silence before a prompt, and enough for a caller looking
# for a word.
HOLD_SECONDS = 2.0


def analyzer() -> LocalSmartTurnAnalyzerV3:
    """A fresh analyzer for one call (loading the model is a blocking call: use a thread)."""
    return LocalSmartTurnAnalyzerV3(params=SmartTurnParams(stop_secs=HOLD_SECONDS))


async def make_analyzer() -> LocalSmartTurnAnalyzerV3:
    return await asyncio.to_thread(analyzer)


class SmartTurnGate(FrameProcessor):
    """Between the barge-in and the recogniser: passes the VAD's pause on only when the model
    judges the caller's sentence finished, or the silence outlasted ``HOLD_SECONDS``."""

    def __init__(self, model: LocalSmartTurnAnalyzerV3) -> None:
        super().__init__()
        self._model = model
        self._speaking = False
        self._held: VADUserStoppedSpeakingFrame | None = None

    async def setup(self, setup: FrameProcessorSetup) -> None:  # type: ignore[override]
        await super().setup(setup)
        self._model.set_sample_rate(setup.audio_in_sample_rate)  # the pipeline's input rate

    async def process_frame(self, frame: Frame, direction: FrameDirection) -> None:
        await super().process_frame(frame, direction)
        if isinstance(frame, InputAudioRawFrame):
            await self.push_frame(frame, direction)
            state = self._model.append_audio(frame.audio, self._speaking)
            if state is EndOfTurnState.COMPLETE and self._held is not None:
                await self._release()
            return
        elif isinstance(frame, VADUserStartedSpeakingFrame):
            self._model.update_vad_start_secs(frame.start_secs)
            self._speaking = True
            if self._held is not None:
                self._held = None  # the caller goes on: still the same turn downstream
                return
        elif isinstance(frame, VADUserStoppedSpeakingFrame):
            self._speaking = False
            if not await self._finished():
                self._held = frame
                return
        elif isinstance(frame, (EndFrame, CancelFrame)):
            await self._model.cleanup()  # type: ignore[no-untyped-call]
        await self.push_frame(frame, direction)

    async def _finished(self) -> bool:
        state, _metrics = await self._model.analyze_end_of_turn()
        finished = state is EndOfTurnState.COMPLETE
        logger.debug("smart turn verdict", finished=finished)
        return finished

    async def _release(self) -> None:
        """The silence after an unfinished sentence lasted: the turn ends after all."""
        held, self._held = self._held, None
        if held is not None:
            await self.push_frame(held)
