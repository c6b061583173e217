"""What the agent is saying, and the caller talking over it (barge-in).

A barge-in is decided by the VAD alone, at the start of the caller's speech: waiting for the
recogniser's words would cost a second or more, and nothing in the first few hundred
milliseconds tells a real interruption from "yeah" or "mm-hm". So the agent stops at once
(``clear``), and keeps the reply it was saying aside: if the caller's words turn out to be a
backchannel, or nothing the recogniser could make out (a cough, a noise the VAD took for
speech), the agent goes on from the first sentence the caller had not heard. Only a real turn
cuts the stored reply short to what was heard.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from typing import Protocol

from pipecat.frames.frames import Frame, VADUserStartedSpeakingFrame
from pipecat.processors.frame_processor import FrameDirection, FrameProcessor

# Words a listener says to show they are listening; alone, they are not a turn.
BACKCHANNELS = frozenset(
    {"yeah", "yes", "yep", "uh", "huh", "uh-huh", "mm", "mhm", "mm-hm", "hmm", "ok", "okay"}
    | {"right", "sure", "ah", "oh", "um", "er", "i", "a", "the"}
)
MAX_BACKCHANNEL_WORDS = 2
_SENTENCE = re.compile(r"(?<=[.!?])\s+")
_WORDS = re.compile(r"[a-z'-]+")


def is_backchannel(text: str) -> bool:
    words = _WORDS.findall(text.lower())
    return not words or (
        len(words) <= MAX_BACKCHANNEL_WORDS and all(word in BACKCHANNELS for word in words)
    )


def sentences(text: str) -> list[str]:
    return [part.strip() for part in _SENTENCE.split(text) if part.strip()]


@dataclass
class Reply:
    """The agent's reply being played: its sentences and which of them the caller heard."""

    sentences: list[str]
    turn_id: uuid.UUID | None
    heard: int = 0
    marks: dict[str, int] = field(default_factory=dict)  # mark name -> sentence index

    def mark_played(self, name: str) -> None:
        index = self.marks.get(name)
        if index is not None:
            self.heard = max(self.heard, index + 1)

    @property
    def unheard(self) -> list[str]:
        return self.sentences[self.heard :]


class Interruptible(Protocol):
    def barge_in(self) -> bool:
        """The caller started speaking: whether that interrupts the agent (it is talking)."""
        ...


class BargeIn(FrameProcessor):
    """Between the VAD and the recogniser: the interruption goes out as soon as the VAD says
    the caller speaks over the agent, ahead of the recogniser (whose start of an utterance
    is a hop to a thread that can queue behind other calls' decoding) and of the agent."""

    def __init__(self, agent: Interruptible) -> None:
        super().__init__()
        self._agent = agent

    async def process_frame(self, frame: Frame, direction: FrameDirection) -> None:
        await super().process_frame(frame, direction)
        if isinstance(frame, VADUserStartedSpeakingFrame) and self._agent.barge_in():
            await self.broadcast_interruption()  # type: ignore[no-untyped-call]
        await self.push_frame(frame, direction)
