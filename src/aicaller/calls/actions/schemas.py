"""Call actions as the API takes them."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from aicaller.calls.schemas import Metadata, Token
from aicaller.core.schemas import PhoneNumber, RequestModel


class CallInitiate(RequestModel):
    """Place an outbound call through the configured telephony provider."""

    to_number: PhoneNumber
    from_number: PhoneNumber | None = Field(
        default=None, description="Caller ID; the provider's default number when omitted"
    )
    metadata: Metadata = {}


class CallEnd(RequestModel):
    end_reason: Token = "agent_hangup"


class CallTransfer(RequestModel):
    to_number: PhoneNumber | None = Field(
        default=None, description="Defaults to the business's first escalation number"
    )
    reason: Annotated[str, Field(min_length=1, max_length=500)] | None = None
