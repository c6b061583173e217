"""What an agent is given for a turn and what it answers with.

An agent is stateless: everything it knows about the call so far comes from the transcript
(each turn carries the intent the agent read or acted on), so any worker can run the next turn
of any call, and a restart loses nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from aicaller.businesses.schemas import BusinessConfig
from aicaller.database.models.transcript_turn import TurnIntent
from aicaller.knowledge.search.backend import SearchHit


class AgentAction(StrEnum):
    CONTINUE = "continue"
    ESCALATE = "escalate"  # an escalation record and a callback promise; the call goes on
    TRANSFER = "transfer"  # hand the call to a person now
    END = "end"  # say goodbye and hang up


Intent = TurnIntent  # the intents are part of the transcript; see the model
_INTENT_VALUES = frozenset(intent.value for intent in TurnIntent)


def intent_of(value: str | None) -> Intent | None:
    """A stored turn's intent (None for imported turns or unknown values)."""
    return Intent(value) if value is not None and value in _INTENT_VALUES else None


@dataclass(frozen=True, slots=True)
class PastTurn:
    speaker: str  # caller, agent, human, system
    text: str
    intent: str | None = None


class Meaning(Protocol):
    """How close in meaning a question is to sentences (an embeddings endpoint)."""

    async def similarities(self, question: str, sentences: list[str]) -> list[float] | None:
        """One cosine per sentence, in order; None when it cannot be told now."""
        ...


@dataclass(frozen=True, slots=True)
class KnowledgeAnswer:
    """The words searched for and the best chunks, best first; ``equivalents`` are the words
    the search added for a term (its synonyms: "warranty" for "guarantee"), which stand for
    that term when the agent weighs what a passage says; ``meaning``, when the business has
    an embeddings endpoint, weighs sentences by meaning too."""

    terms: list[str]
    hits: list[SearchHit]
    equivalents: dict[str, tuple[str, ...]] = field(default_factory=dict)
    meaning: Meaning | None = None


class KnowledgeLookup(Protocol):
    async def search(self, question: str, limit: int) -> KnowledgeAnswer: ...


@dataclass(frozen=True, slots=True)
class TurnContext:
    config: BusinessConfig
    history: Sequence[PastTurn]
    utterance: str
    now: datetime  # aware; the agent converts to the business's timezone
    knowledge: KnowledgeLookup


@dataclass(frozen=True, slots=True)
class AgentReply:
    text: str  # what to say, plain speakable text
    intent: Intent
    action: AgentAction = AgentAction.CONTINUE
    confidence: float = 1.0
    sources: tuple[str, ...] = ()  # knowledge used: page URLs or "document:<id>"
    caller_intent: Intent | None = None  # how the caller's utterance was read
    escalation_reason: str | None = None
    escalation_priority: str = "normal"
    transfer_to: str | None = None
    unanswered_question: str | None = None  # recorded as a knowledge gap
    end_reason: str | None = None  # for END: why (default agent_hangup)
    agent: str = "offline"  # which agent produced the reply (the LLM agent may fall back)
    notes: tuple[str, ...] = field(default_factory=tuple)  # why, for logs and tests


class ConversationAgent(Protocol):
    name: str

    def greet(self, config: BusinessConfig) -> AgentReply:
        """The first thing said on a call."""
        ...

    async def reply(self, context: TurnContext) -> AgentReply:
        """The next turn after the caller said ``context.utterance``."""
        ...
