"""A carrier that places no real calls: the default, for development, demos and tests.

Calls are answered at once, so a simulated call can be ended or transferred right after it is
placed. What it was asked to do is kept (bounded) for inspection in tests and the demo.
"""

from __future__ import annotations

import asyncio
import uuid
from collections import deque
from dataclasses import dataclass
from typing import Any

from aicaller.calls.actions.carrier import PlacedCall, ProviderCallStatus

# Twilio's documented test number, so simulated calls look like carrier calls.
DEFAULT_CALLER_ID = "+15005550006"
HISTORY = 1000


@dataclass(frozen=True, slots=True)
class SimulatedAction:
    action: str  # "place", "end" or "transfer"
    provider_call_id: str
    to_number: str | None = None


class SimulatedProvider:
    name = "simulated"

    def __init__(self) -> None:
        self.actions: deque[SimulatedAction] = deque(maxlen=HISTORY)
        self._live: dict[str, ProviderCallStatus] = {}
        self._lock = asyncio.Lock()

    def count(self, action: str) -> int:
        return sum(1 for entry in self.actions if entry.action == action)

    async def place_call(
        self,
        *,
        business_id: uuid.UUID,
        call_id: uuid.UUID,
        to_number: str,
        from_number: str | None,
        metadata: dict[str, Any],
    ) -> PlacedCall:
        provider_call_id = f"SIM{uuid.uuid4().hex}"
        async with self._lock:
            self._live[provider_call_id] = ProviderCallStatus.IN_PROGRESS
            self.actions.append(SimulatedAction("place", provider_call_id, to_number))
        return PlacedCall(
            provider_call_id, ProviderCallStatus.IN_PROGRESS, from_number or DEFAULT_CALLER_ID
        )

    async def end_call(self, provider_call_id: str, *, business_id: uuid.UUID) -> None:
        # Ids placed before a restart are unknown here; ending them is still fine.
        async with self._lock:
            self._live.pop(provider_call_id, None)
            self.actions.append(SimulatedAction("end", provider_call_id))

    async def transfer_call(
        self,
        provider_call_id: str,
        to_number: str,
        *,
        business_id: uuid.UUID,
        call_id: uuid.UUID | None = None,
    ) -> None:
        async with self._lock:
            self._live.pop(provider_call_id, None)
            self.actions.append(SimulatedAction("transfer", provider_call_id, to_number))
