"""What the calls domain needs from a carrier, whichever carrier it is.

Providers speak in their own call ids and report the status a call is in after each action; the
calls domain owns the record and validates every status change (``calls.service``).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol

from aicaller.config import Settings
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
    name: str

    async def place_call(
        self, *, to_number: str, from_number: str | None, metadata: dict[str, Any]
    ) -> PlacedCall:
        """Start an outbound call; ``from_number=None`` means the provider's default number."""
        ...

    async def end_call(self, provider_call_id: str) -> None:
        """Hang up, or cancel if not answered yet (the record knows which it was)."""
        ...

    async def transfer_call(self, provider_call_id: str, to_number: str) -> None:
        """Hand the live call to ``to_number``; the agent leaves the call."""
        ...


def create_provider(settings: Settings) -> TelephonyProvider:
    """The provider named by ``AICALLER_TELEPHONY_PROVIDER``."""
    from aicaller.telephony.simulated import SimulatedProvider  # noqa: PLC0415 - one of several

    if settings.telephony_provider == "simulated":
        return SimulatedProvider()
    raise ValueError(f"unknown telephony provider {settings.telephony_provider!r}")
