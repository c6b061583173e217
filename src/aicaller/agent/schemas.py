"""Test calls as the API takes and returns them."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Annotated

from pydantic import AfterValidator, BaseModel, Field

from aicaller.agent.protocol import AgentAction
from aicaller.calls.schemas import CallDetail, Metadata, TurnOut
from aicaller.core.schemas import RequestModel

if TYPE_CHECKING:
    from aicaller.agent.conversation import TurnResult

MAX_UTTERANCE = 2000


class TestCallStart(RequestModel):
    metadata: Metadata = {}


def _spoken(value: str) -> str:
    if not value.strip():
        raise ValueError("say something: the text is blank")
    return value.strip()


class CallerMessage(RequestModel):
    text: Annotated[str, Field(min_length=1, max_length=MAX_UTTERANCE), AfterValidator(_spoken)] = (
        Field(description="What the caller says")
    )


class AgentTurnOut(BaseModel):
    text: str
    action: AgentAction
    intent: str
    confidence: float
    sources: list[str]

    @classmethod
    def from_result(cls, result: TurnResult) -> AgentTurnOut:
        reply = result.reply
        return cls(
            text=reply.text,
            action=reply.action,
            intent=reply.intent.value,
            confidence=reply.confidence,
            sources=list(reply.sources),
        )


class TurnResponse(BaseModel):
    """The agent's turn and the call's state after it."""

    call_id: uuid.UUID
    status: str
    end_reason: str | None
    reply: AgentTurnOut
    turns: list[TurnOut] = Field(description="The turns this request added, in order")

    @classmethod
    def from_result(cls, result: TurnResult) -> TurnResponse:
        return cls(
            call_id=result.call.id,
            status=result.call.status,
            end_reason=result.call.end_reason,
            reply=AgentTurnOut.from_result(result),
            turns=[TurnOut.model_validate(turn) for turn in result.turns],
        )


class TestCallStarted(BaseModel):
    call: CallDetail
    greeting: AgentTurnOut
