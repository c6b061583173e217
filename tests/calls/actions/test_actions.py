"""Placing, ending and transferring calls through the (simulated) telephony provider."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from aicaller.calls.actions.carrier import PlacedCall, TelephonyError
from aicaller.database.models import Call, TranscriptTurn
from aicaller.telephony.simulated import DEFAULT_CALLER_ID, SimulatedProvider
from tests.factories import Tenant
from tests.helpers import count_rows

CALLS = "/api/v1/calls"
TARGET = "+14155550199"


async def _initiate(client: httpx.AsyncClient, tenant: Tenant, **body: Any) -> dict[str, Any]:
    response = await client.post(
        f"{CALLS}/initiate", json={"to_number": TARGET, **body}, headers=tenant.headers()
    )
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


def _provider(app: FastAPI) -> SimulatedProvider:
    provider: SimulatedProvider = app.state.telephony
    return provider


async def test_initiate_places_an_outbound_call(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant, cleared_tags: list[tuple[str, ...]]
) -> None:
    call = await _initiate(client, tenant, metadata={"campaign": "renewals"})

    assert call["direction"] == "outbound"
    assert call["to_number"] == TARGET
    assert call["from_number"] == DEFAULT_CALLER_ID
    assert call["status"] == "in_progress"  # the simulated carrier answers at once
    assert call["answered_at"] is not None
    assert call["provider"] == "simulated"
    assert call["provider_call_id"].startswith("SIM")
    assert call["metadata"] == {"campaign": "renewals"}
    assert _provider(app).count("place") == 1
    assert cleared_tags == [(f"analytics:{tenant.business_id}",)]
    listed = (await client.get(CALLS, headers=tenant.headers("viewer"))).json()["items"]
    assert [item["id"] for item in listed] == [call["id"]]


async def test_initiate_with_a_caller_id(client: httpx.AsyncClient, tenant: Tenant) -> None:
    call = await _initiate(client, tenant, from_number="+442071838750")
    assert call["from_number"] == "+442071838750"


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"to_number": "4155550199"},  # not E.164
        {"to_number": "+1415555019"},  # too short to be valid
        {"to_number": "+1 415 555 0199"},  # E.164 has no spaces
        {"to_number": TARGET, "from_number": "nope"},
        {"to_number": TARGET, "metadata": ["not", "an", "object"]},
        {"to_number": TARGET, "direction": "inbound"},  # unknown field
    ],
)
async def test_initiate_rejects_bad_input(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant, body: dict[str, Any]
) -> None:
    response = await client.post(f"{CALLS}/initiate", json=body, headers=tenant.headers())
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert await count_rows(app.state.database, Call) == 0
    assert _provider(app).count("place") == 0


class RefusingProvider(SimulatedProvider):
    async def place_call(
        self,
        *,
        business_id: uuid.UUID,
        call_id: uuid.UUID,
        to_number: str,
        from_number: str | None,
        metadata: dict[str, Any],
    ) -> PlacedCall:
        raise TelephonyError("The carrier refused the call")


async def test_a_refused_call_leaves_no_record(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant
) -> None:
    app.state.telephony = RefusingProvider()
    headers = {**tenant.headers(), "Idempotency-Key": "refused-once"}
    response = await client.post(f"{CALLS}/initiate", json={"to_number": TARGET}, headers=headers)
    assert response.status_code == 502
    assert response.json()["code"] == "telephony_error"
    assert await count_rows(app.state.database, Call) == 0

    # The failed attempt did not burn the key: the retry places the call.
    app.state.telephony = SimulatedProvider()
    retried = await client.post(f"{CALLS}/initiate", json={"to_number": TARGET}, headers=headers)
    assert retried.status_code == 201, retried.text
    assert await count_rows(app.state.database, Call) == 1


class FailingLineProvider(SimulatedProvider):
    async def end_call(self, provider_call_id: str, *, business_id: uuid.UUID) -> None:
        raise TelephonyError("The carrier is unreachable")

    async def transfer_call(
        self,
        provider_call_id: str,
        to_number: str,
        *,
        business_id: uuid.UUID,
        call_id: uuid.UUID | None = None,
    ) -> None:
        raise TelephonyError("The carrier is unreachable")


async def test_a_carrier_failure_changes_nothing(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant
) -> None:
    call = await _initiate(client, tenant)
    app.state.telephony = FailingLineProvider()
    for action, body in (("end", {}), ("transfer", {"to_number": TARGET})):
        response = await client.post(
            f"{CALLS}/{call['id']}/{action}", json=body, headers=tenant.headers()
        )
        assert response.status_code == 502
        assert response.json()["code"] == "telephony_error"
    detail = (await client.get(f"{CALLS}/{call['id']}", headers=tenant.headers())).json()
    assert detail == call
    assert await count_rows(app.state.database, TranscriptTurn) == 0


async def test_end_an_answered_call(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant
) -> None:
    call = await _initiate(client, tenant)
    response = await client.post(f"{CALLS}/{call['id']}/end", headers=tenant.headers())
    assert response.status_code == 200, response.text
    ended = response.json()
    assert ended["status"] == "completed"
    assert ended["end_reason"] == "agent_hangup"
    assert ended["ended_at"] is not None
    assert ended["duration_seconds"] is not None
    assert _provider(app).count("end") == 1

    again = await client.post(
        f"{CALLS}/{call['id']}/end", json={"end_reason": "caller_hangup"}, headers=tenant.headers()
    )
    assert again.status_code == 409
    assert again.json()["code"] == "call_not_active"
    detail = (await client.get(f"{CALLS}/{call['id']}", headers=tenant.headers())).json()
    assert detail == ended
    assert _provider(app).count("end") == 1


async def test_end_with_a_reason(client: httpx.AsyncClient, tenant: Tenant) -> None:
    call = await _initiate(client, tenant)
    response = await client.post(
        f"{CALLS}/{call['id']}/end", json={"end_reason": "max_duration"}, headers=tenant.headers()
    )
    assert response.json()["end_reason"] == "max_duration"
    bad = await client.post(
        f"{CALLS}/{call['id']}/end", json={"end_reason": "Not A Token!"}, headers=tenant.headers()
    )
    assert bad.status_code == 422


async def test_transfer_to_the_first_escalation_number(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant
) -> None:
    configured = await client.patch(
        "/api/v1/config",
        json={"escalation_numbers": ["+442071838750", "+14155550100"]},
        headers=tenant.headers(),
    )
    assert configured.status_code == 200
    call = await _initiate(client, tenant)
    response = await client.post(
        f"{CALLS}/{call['id']}/transfer",
        json={"reason": "Wants a person"},
        headers=tenant.headers("supervisor"),
    )
    assert response.status_code == 200, response.text
    moved = response.json()
    assert moved["status"] == "completed"
    assert moved["end_reason"] == "transferred"
    assert moved["metadata"]["transferred_to"] == "+442071838750"
    assert moved["transcript"][-1]["speaker"] == "system"
    assert moved["transcript"][-1]["text"] == "Transferred to +442071838750: Wants a person"
    assert [a.to_number for a in _provider(app).actions if a.action == "transfer"] == [
        "+442071838750"
    ]


async def test_transfer_needs_a_target_and_a_live_call(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant
) -> None:
    call = await _initiate(client, tenant)
    no_target = await client.post(f"{CALLS}/{call['id']}/transfer", headers=tenant.headers())
    assert no_target.status_code == 422
    assert no_target.json()["code"] == "no_transfer_target"
    assert await count_rows(app.state.database, TranscriptTurn) == 0

    explicit = await client.post(
        f"{CALLS}/{call['id']}/transfer", json={"to_number": TARGET}, headers=tenant.headers()
    )
    assert explicit.status_code == 200
    after = await client.post(
        f"{CALLS}/{call['id']}/transfer", json={"to_number": TARGET}, headers=tenant.headers()
    )
    assert after.status_code == 409
    assert after.json()["code"] == "call_not_in_progress"
    assert _provider(app).count("transfer") == 1


async def test_imported_records_cannot_be_controlled(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant
) -> None:
    imported = await client.post(
        CALLS,
        json={
            "direction": "inbound",
            "from_number": TARGET,
            "to_number": "+442071838750",
            "status": "in_progress",
        },
        headers=tenant.headers(),
    )
    call_id = imported.json()["id"]
    for action in ("end", "transfer"):
        response = await client.post(
            f"{CALLS}/{call_id}/{action}", json={}, headers=tenant.headers()
        )
        assert response.status_code == 409
        assert response.json()["code"] == "call_not_controllable"
    detail = (await client.get(f"{CALLS}/{call_id}", headers=tenant.headers())).json()
    assert detail["status"] == "in_progress"
    assert len(_provider(app).actions) == 0


async def test_actions_on_another_tenants_call_are_404(
    client: httpx.AsyncClient, tenant: Tenant, other_tenant: Tenant
) -> None:
    call = await _initiate(client, tenant)
    for action in ("end", "transfer"):
        response = await client.post(
            f"{CALLS}/{call['id']}/{action}",
            json={"to_number": TARGET} if action == "transfer" else {},
            headers=other_tenant.headers(),
        )
        assert response.status_code == 404
    detail = (await client.get(f"{CALLS}/{call['id']}", headers=tenant.headers())).json()
    assert detail["status"] == "in_progress"


async def test_agents_and_viewers_cannot_act_on_calls(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    for role in ("agent", "viewer"):
        response = await client.post(
            f"{CALLS}/initiate", json={"to_number": TARGET}, headers=tenant.headers(role)
        )
        assert response.status_code == 403
