"""The agent inside the pipeline: caller transcripts in, the agent's sentences out.

It sits between the recogniser and the voice. Each final transcript that is a real turn (not
a backchannel such as "yeah" or "mm-hm", not noise the recogniser made nothing of) runs one
turn of the conversation service; the reply is spoken sentence by sentence, each followed by
a Twilio ``mark`` so the pipeline learns what the caller actually heard. When the caller
starts speaking over the agent, the agent is interrupted (Pipecat's interruption, which the
Twilio serializer turns into ``clear``); if they said something, the stored agent turn keeps
only what was heard, and if it was a backchannel or noise the agent goes on (speaking.py).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

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
from aicaller.voice.speaking import Reply, is_backchannel, sentences

logger = get_logger(__name__)

GOODBYE_TIMEOUT_SECONDS = 20.0
# After a barge-in, how long the caller's silence waits for their words before the agent
# takes it that they said nothing (noise, a cough) and goes on with what it was saying.
RESUME_AFTER_SECONDS = 1.5
# The caller turn a key press for a person is recorded as (the agent reads it as such).
DTMF_REQUEST = "(pressed {digit}) I would like to speak to a person."


@dataclass(frozen=True, slots=True)
class CallControl:
    silence_seconds: float = 8.0  # caller silence before a prompt
    silence_prompts: int = 2  # prompts before the agent hangs up
    dtmf_person: str = "0"  # the key that asks for a person
    consent: str | None = None  # said before the greeting when the call is recorded


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
        self._speech: Reply | None = None
        self._interrupted: Reply | None = None  # set aside by a barge-in (speaking.py)
        self._resume_task: asyncio.Task[None] | None = None
        self._agent_audible = False
        self._caller_speaking = False
        self._ending = False
        self._marks = 0
        self._silence_task: asyncio.Task[None] | None = None
        self._goodbye_mark: str | None = None
        self._turn = asyncio.Lock()  # one turn of the call at a time (words, keypad, silence)
        self._goodbye_heard = asyncio.Event()
        self.transfer_to: str | None = None  # set when the agent handed the call to a person
        self.end_reason: str | None = None
        self.failure: str | None = None  # why the pipeline broke down (routes/sockets.py)

    # -- frames ---------------------------------------------------------------------------------
    async def process_frame(self, frame: Frame, direction: FrameDirection) -> None:
        await super().process_frame(frame, direction)
        if isinstance(frame, StartFrame):
            await self.push_frame(frame, direction)
            if self.control.consent:
                await self.push_frame(TTSSpeakFrame(self.control.consent))
            await self._speak(await self.bridge.greeting())
            return
        if isinstance(frame, (EndFrame, CancelFrame)):
            self._cancel_silence()
            self._cancel_resume()
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
            self._cancel_resume()
        elif isinstance(frame, VADUserStoppedSpeakingFrame):
            self._caller_speaking = False
            if self._interrupted is not None:
                self._resume_task = self.create_task(self._resume_after())
            else:
                self._arm_silence()  # recognised as nothing at all, it is silence too
        elif isinstance(frame, BotStartedSpeakingFrame):
            self._agent_audible = True
            self._cancel_silence()
        elif isinstance(frame, BotStoppedSpeakingFrame):
            self._agent_audible = False
            self._arm_silence()
        await self.push_frame(frame, direction)

    def _log(self, event: str) -> None:
        logger.debug("voice call event", voice_event=event, call_id=str(self.bridge.call_id))

    # -- turns ----------------------------------------------------------------------------------
    async def _caller_said(self, text: str) -> None:
        self._cancel_silence()
        self._cancel_resume()
        if self._ending or is_backchannel(text):
            if self._interrupted is not None and not self._caller_speaking:
                await self._resume()
            else:
                self._arm_silence()
            return
        self._log("caller_turn")
        await self._keep_heard()
        async with self._turn:
            spoken = await self.bridge.respond(text)
        if spoken is None:
            await self._end("agent_hangup")
            return
        await self._speak(spoken)

    async def _say(self, reply: Reply) -> str | None:
        """The sentences of ``reply`` not heard yet, each followed by a mark; the last mark."""
        self._speech = reply
        last_mark = None
        for index, part in enumerate(reply.sentences[reply.heard :], reply.heard):
            await self.push_frame(TTSSpeakFrame(part))
            if self._mark_message is not None:
                self._marks += 1
                last_mark = f"s{self._marks}"
                reply.marks[last_mark] = index
                await self.push_frame(OutputTransportMessageFrame(self._mark_message(last_mark)))
        return last_mark

    async def _speak(self, spoken: Spoken) -> None:
        parts = sentences(spoken.text)
        last_mark = await self._say(Reply(parts, spoken.turn_id))
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

    # -- barge-in -------------------------------------------------------------------------------
    def barge_in(self) -> bool:
        """The caller started speaking (``speaking.BargeIn``, before the recogniser): if the
        agent is talking, it is interrupted and its reply set aside as heard so far. Heard is
        what was counted until now: Twilio returns a mark once the audio before it has
        played, and after the ``clear`` returns the pending ones at once, unheard."""
        if not self._agent_audible or self._ending:
            return False
        self._log("barge_in")
        if self._speech is not None:
            self._interrupted, self._speech = self._speech, None
        return True

    async def _keep_heard(self) -> None:
        """A real turn followed the barge-in: the interrupted reply keeps only what was heard."""
        self._cancel_resume()
        reply, self._interrupted = self._interrupted, None
        if reply is None or reply.turn_id is None or not reply.unheard:
            return
        self._log(f"cut_short:{reply.heard}")
        await self.bridge.cut_short(reply.turn_id, " ".join(reply.sentences[: reply.heard]))

    async def _resume(self) -> None:
        """The barge-in was a backchannel or noise: go on from the first unheard sentence."""
        reply, self._interrupted = self._interrupted, None
        if reply is None or self._ending:
            return
        self._log(f"resume:{reply.heard}")
        if reply.unheard:
            await self._say(reply)
        else:
            self._arm_silence()

    async def _resume_after(self) -> None:
        await asyncio.sleep(RESUME_AFTER_SECONDS)
        self._resume_task = None
        await self._resume()

    def _cancel_resume(self) -> None:
        if self._resume_task is not None:
            self._resume_task.cancel()
            self._resume_task = None

    async def _transport_message(self, message: object) -> None:
        if not isinstance(message, dict):
            return
        if message.get("event") == "mark" and message.get("name") == self._goodbye_mark:
            self._goodbye_heard.set()
        if message.get("event") == "mark" and self._speech is not None:
            self._speech.mark_played(str(message.get("name")))
        elif message.get("event") == "stop":
            await self._end("caller_hangup")

    async def _dtmf(self, digit: str) -> None:
        self._log(f"dtmf:{digit}")
        if digit == self.control.dtmf_person and not self._ending:
            if self.barge_in():
                await self.broadcast_interruption()  # type: ignore[no-untyped-call]
            await self._keep_heard()
            async with self._turn:  # a keypress is a system frame: it may overtake a turn
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
            await self._keep_heard()
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
        self._log("silence")
        async with self._turn:
            spoken = await self.bridge.silence(self.control.silence_prompts)
        if spoken is None:
            await self._end("caller_silent")
            return
        if spoken.ended:
            self.end_reason = "caller_silent"
        await self._speak(spoken)
