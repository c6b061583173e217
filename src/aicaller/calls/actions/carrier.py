"""What call actions need from a carrier, whichever carrier it is (``aicaller.telephony``
implements it; ``main.py`` hands the configured one to the app).

Carriers speak in their own call ids and report the status a call is in after each action; the
calls domain owns the record and validates every status change (``calls.service``).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol

from aicaller.core.errors import ExternalServiceError


class ProviderCallStatus(StrEnum):
    """The statuses a provider reports right after an action (Twilio's names)."""

    QUEUED = "queued"
    RINGING = "ringing"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    CANCELED = "canceled"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class PlacedCall:
    provider_call_id: str
    status: ProviderCallStatus
    from_number: str


class TelephonyError(ExternalServiceError):
    """The carrier refused or could not be reached; nothing was placed or changed (502)."""

    code = "telephony_error"


class TelephonyProvider(Protocol):
    """A carrier. ``business_id`` says whose account an action goes through (a business may
    have its own carrier credentials); ``call_id`` is our record, for the carrier's webhooks."""

    name: str

    async def place_call(
        self,
        *,
        business_id: uuid.UUID,
        call_id: uuid.UUID,
        to_number: str,
        from_number: str | None,
        metadata: dict[str, Any],
    ) -> PlacedCall:
        """Start an outbound call; ``from_number=None`` means the provider's default number."""
        ...

    async def end_call(self, provider_call_id: str, *, business_id: uuid.UUID) -> None:
        """Hang up, or cancel if not answered yet (the record knows which it was)."""
        ...

    async def transfer_call(
        self,
        provider_call_id: str,
        to_number: str,
        *,
        business_id: uuid.UUID,
        call_id: uuid.UUID | None = None,
    ) -> None:
        """Hand the live call to ``to_number``; the agent leaves the call. With ``call_id``
        (a warm transfer) the caller hears a hold message and the person who answers hears
        the call's summary (the carrier asks our whisper webhook) before being connected."""
        ...
