"""The agent inside the pipeline: caller transcripts in, the agent's sentences out.

It sits between the recogniser and the voice. Each final transcript that is a real turn (not
a backchannel such as "yeah" or "mm-hm", not noise the recogniser made nothing of) runs one
turn of the conversation service; the reply is spoken sentence by sentence, each followed by
a Twilio ``mark`` so the pipeline learns what the caller actually heard. When the caller
starts speaking over the agent, the agent is interrupted (Pipecat's interruption, which the
Twilio serializer turns into ``clear``) and the stored agent turn keeps only what was heard.
"""

from __future__ import annotations

import asyncio
import re
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from pipecat.frames.frames import (
    BotStartedSpeakingFrame,
    BotStoppedSpeakingFrame,
    CancelFrame,
    CancelWorkerFrame,
    EndFrame,
    EndWorkerFrame,
    Frame,
    InputDTMFFrame,
    InputTransportMessageFrame,
    OutputTransportMessageFrame,
    StartFrame,
    TranscriptionFrame,
    TTSSpeakFrame,
    VADUserStartedSpeakingFrame,
    VADUserStoppedSpeakingFrame,
)
from pipecat.processors.frame_processor import FrameDirection, FrameProcessor

from aicaller.core.logging import get_logger
from aicaller.voice.bridge import CallBridge, Spoken

logger = get_logger(__name__)

# Words a listener says to show they are listening; alone, they are not a turn.
BACKCHANNELS = frozenset(
    {"yeah", "yes", "yep", "uh", "huh", "uh-huh", "mm", "mhm", "mm-hm", "hmm", "ok", "okay"}
    | {"right", "sure", "ah", "oh", "um", "er", "i", "a", "the"}
)
MAX_BACKCHANNEL_WORDS = 2
GOODBYE_TIMEOUT_SECONDS = 20.0
# The caller turn a key press for a person is recorded as (the agent reads it as such).
DTMF_REQUEST = "(pressed {digit}) I would like to speak to a person."
_SENTENCE = re.compile(r"(?<=[.!?])\s+")
_WORDS = re.compile(r"[a-z'-]+")


def is_backchannel(text: str) -> bool:
    words = _WORDS.findall(text.lower())
    return not words or (
        len(words) <= MAX_BACKCHANNEL_WORDS and all(word in BACKCHANNELS for word in words)
    )


def sentences(text: str) -> list[str]:
    return [part.strip() for part in _SENTENCE.split(text) if part.strip()]


@dataclass(frozen=True, slots=True)
class CallControl:
    silence_seconds: float = 8.0  # caller silence before a prompt
    silence_prompts: int = 2  # prompts before the agent hangs up
    dtmf_person: str = "0"  # the key that asks for a person


@dataclass
class _Speech:
    """The agent's reply being played: its sentences and which of them the caller heard."""

    sentences: list[str]
    turn_id: uuid.UUID | None
    heard: int = 0
    marks: dict[str, int] = field(default_factory=dict)  # mark name -> sentence index


class CallAgentProcessor(FrameProcessor):
    def __init__(
        self,
        bridge: CallBridge,
        *,
        control: CallControl,
        send_mark: Callable[[str], dict[str, object]] | None,
        on_end: Callable[[str], Awaitable[None]] | None = None,
    ) -> None:
        super().__init__()
        self.bridge = bridge
        self.control = control
        self._mark_message = send_mark
        self._on_end = on_end
        self._speech: _Speech | None = None
        self._agent_audible = False
        self._caller_speaking = False
        self._ending = False
        self._marks = 0
        self._silence_task: asyncio.Task[None] | None = None
        self._goodbye_mark: str | None = None
        self._goodbye_heard = asyncio.Event()
        self.transfer_to: str | None = None  # set when the agent handed the call to a person
        self.end_reason: str | None = None
        self.events: list[tuple[float, str]] = []  # (monotonic time, what) for tests/benchmarks

    # -- frames ---------------------------------------------------------------------------------
    async def process_frame(self, frame: Frame, direction: FrameDirection) -> None:
        await super().process_frame(frame, direction)
        if isinstance(frame, StartFrame):
            await self.push_frame(frame, direction)
            await self._speak(await self.bridge.greeting())
            return
        if isinstance(frame, (EndFrame, CancelFrame)):
            self._cancel_silence()
        if isinstance(frame, TranscriptionFrame):
            await self._caller_said(frame.text)
            return
        if isinstance(frame, InputTransportMessageFrame):
            await self._transport_message(frame.message)
            return
        if isinstance(frame, InputDTMFFrame):
            await self._dtmf(str(frame.button.value))
            return
        if isinstance(frame, VADUserStartedSpeakingFrame):
            self._caller_speaking = True
            self._cancel_silence()
            if self._agent_audible and not self._ending:
                self.events.append((time.monotonic(), "barge_in"))
                await self.broadcast_interruption()  # type: ignore[no-untyped-call]
                await self._keep_heard()
        elif isinstance(frame, VADUserStoppedSpeakingFrame):
            self._caller_speaking = False
            self._arm_silence()  # recognised as nothing at all, it is silence too
        elif isinstance(frame, BotStartedSpeakingFrame):
            self._agent_audible = True
            self._cancel_silence()
        elif isinstance(frame, BotStoppedSpeakingFrame):
            self._agent_audible = False
            self._arm_silence()
        await self.push_frame(frame, direction)

    # -- turns ----------------------------------------------------------------------------------
    async def _caller_said(self, text: str) -> None:
        self._cancel_silence()
        if self._ending or is_backchannel(text):
            self._arm_silence()
            return
        self.events.append((time.monotonic(), "caller_turn"))
        spoken = await self.bridge.respond(text)
        if spoken is None:
            await self._end("agent_hangup")
            return
        await self._speak(spoken)

    async def _speak(self, spoken: Spoken) -> None:
        parts = sentences(spoken.text)
        self._speech = _Speech(parts, spoken.turn_id)
        last_mark = None
        for index, part in enumerate(parts):
            await self.push_frame(TTSSpeakFrame(part))
            if self._mark_message is not None:
                self._marks += 1
                last_mark = f"s{self._marks}"
                self._speech.marks[last_mark] = index
                await self.push_frame(OutputTransportMessageFrame(self._mark_message(last_mark)))
        if spoken.ended:
            self._ending = True
            self._cancel_silence()
            self.end_reason = self.end_reason or "agent_hangup"
            self.transfer_to = spoken.transfer_to
            self._goodbye_mark = last_mark
            self.create_task(self._end_after_goodbye())
        elif not parts:
            self._arm_silence()

    async def _end_after_goodbye(self) -> None:
        """Hang up once the goodbye has been heard: its last mark came back (no dangling
        silence, no goodbye cut off), or at once on a transport without marks."""
        if self._goodbye_mark is not None:
            try:
                await asyncio.wait_for(self._goodbye_heard.wait(), GOODBYE_TIMEOUT_SECONDS)
            except TimeoutError:
                logger.warning("goodbye not acknowledged", call_id=str(self.bridge.call_id))
        await self.push_frame(EndWorkerFrame(), FrameDirection.UPSTREAM)

    async def _keep_heard(self) -> None:
        """After a barge-in: the interrupted turn keeps only the sentences whose marks came
        back before the clear (Twilio returns a mark once the audio before it has played, and
        after a ``clear`` returns the pending ones at once: those were not heard)."""
        speech, self._speech = self._speech, None
        if speech is None or speech.turn_id is None or speech.heard >= len(speech.sentences):
            return
        heard = " ".join(speech.sentences[: speech.heard])
        self.events.append((time.monotonic(), f"cut_short:{speech.heard}"))
        await self.bridge.cut_short(speech.turn_id, heard)

    async def _transport_message(self, message: object) -> None:
        if not isinstance(message, dict):
            return
        if message.get("event") == "mark" and message.get("name") == self._goodbye_mark:
            self._goodbye_heard.set()
        if message.get("event") == "mark" and self._speech is not None:
            index = self._speech.marks.get(str(message.get("name")))
            if index is not None:
                self._speech.heard = max(self._speech.heard, index + 1)
        elif message.get("event") == "stop":
            await self._end("caller_hangup")

    async def _dtmf(self, digit: str) -> None:
        self.events.append((time.monotonic(), f"dtmf:{digit}"))
        if digit == self.control.dtmf_person and not self._ending:
            if self._agent_audible:
                await self.broadcast_interruption()  # type: ignore[no-untyped-call]
            spoken = await self.bridge.respond(DTMF_REQUEST.format(digit=digit))
            if spoken is not None:
                await self._speak(spoken)

    async def _end(self, reason: str) -> None:
        """The line is gone (the caller hung up) or the call takes no more turns: stop at
        once, nothing queued is worth playing to nobody."""
        if not self._ending:
            self._ending = True
            self.end_reason = reason
            self._cancel_silence()
            await self.bridge.hang_up(reason)
            if self._on_end is not None:
                await self._on_end(reason)
        await self.push_frame(CancelWorkerFrame(reason=reason), FrameDirection.UPSTREAM)

    # -- silence --------------------------------------------------------------------------------
    def _arm_silence(self) -> None:
        self._cancel_silence()
        if self._ending or self._caller_speaking or self._agent_audible:
            return
        self._silence_task = self.create_task(self._silence_after())

    def _cancel_silence(self) -> None:
        if self._silence_task is not None:
            self._silence_task.cancel()
            self._silence_task = None

    async def _silence_after(self) -> None:
        await asyncio.sleep(self.control.silence_seconds)
        self._silence_task = None
        self.events.append((time.monotonic(), "silence"))
        spoken = await self.bridge.silence(self.control.silence_prompts)
        if spoken is None:
            await self._end("caller_silent")
            return
        if spoken.ended:
            self.end_reason = "caller_silent"
        await self._speak(spoken)
