"""Business configuration: strict validation, admin-only writes."""

from __future__ import annotations

import httpx
import pytest

from aicaller.businesses.schemas import Trade
from tests.factories import Tenant

VALID_PATCH = {
    "name": "Acme Plumbing & Heating",
    "timezone": "Europe/Paris",
    "greeting": "Bonjour, Acme Plumbing.",
    "business_hours": {
        "monday": [{"open": "13:00", "close": "18:00"}, {"open": "08:00", "close": "12:00"}],
        "saturday": [{"open": "09:00", "close": "12:30"}],
    },
    "escalation_numbers": ["+33142685300", "+14155550123"],
    "agent_instructions": "Offer an emergency visit for leaks.",
    "language": "fr-FR",
    "max_call_duration_seconds": 900,
}


async def test_admin_updates_config_and_everyone_reads_it(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    response = await client.patch("/api/v1/config", json=VALID_PATCH, headers=tenant.headers())
    assert response.status_code == 200, response.text
    body = response.json()
    # Intervals come back sorted by opening time.
    assert body["business_hours"]["monday"] == [
        {"open": "08:00", "close": "12:00"},
        {"open": "13:00", "close": "18:00"},
    ]
    for role in ("supervisor", "agent", "viewer"):
        read = await client.get("/api/v1/config", headers=tenant.headers(role))
        assert read.status_code == 200
        assert read.json()["timezone"] == "Europe/Paris"
        assert read.json()["escalation_numbers"] == VALID_PATCH["escalation_numbers"]


async def test_partial_update_changes_only_given_fields(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    before = (await client.get("/api/v1/config", headers=tenant.headers())).json()
    response = await client.patch(
        "/api/v1/config", json={"greeting": "Hi there"}, headers=tenant.headers()
    )
    after = response.json()
    assert after["greeting"] == "Hi there"
    ignore = {"greeting", "updated_at"}
    assert {k: v for k, v in after.items() if k not in ignore} == {
        k: v for k, v in before.items() if k not in ignore
    }


BAD_PATCHES: list[dict[str, object]] = [
    {"timezone": "Mars/Olympus_Mons"},
    {"timezone": "EST5EDT/../../etc"},
    {"escalation_numbers": ["0142685300"]},
    {"escalation_numbers": ["+1 415 555 0123"]},
    {"escalation_numbers": ["+999123"]},
    {"escalation_numbers": "+14155550123"},
    {"business_hours": {"monday": [{"open": "18:00", "close": "09:00"}]}},
    {"business_hours": {"monday": [{"open": "9am", "close": "17:00"}]}},
    {"business_hours": {"monday": [{"open": "25:00", "close": "26:00"}]}},
    {"business_hours": {"funday": [{"open": "09:00", "close": "17:00"}]}},
    {
        "business_hours": {
            "monday": [{"open": "09:00", "close": "13:00"}, {"open": "12:00", "close": "17:00"}]
        }
    },
    {"business_hours": {"monday": [{"open": "09:00", "close": "17:00", "note": "x"}]}},
    {"name": None},
    {"name": ""},
    {"max_call_duration_seconds": 5},
    {"max_call_duration_seconds": "long"},
    {"language": "english please"},
    {"greeting": "x" * 1001},
    {"owner": "me"},
    {"id": "00000000-0000-0000-0000-000000000000"},
    {"agent_mode": "psychic"},
    {"agent_mode": None},
    {"phone_numbers": ["+14155550123", "+14155550123"]},
    {"phone_numbers": ["555-0123"]},
    {"phone_numbers": None},
    {"emergency_phrases": ["x"]},
    {"emergency_phrases": ["gas leak", "Gas Leak"]},
    {"trade": "astrology"},
    {"trade": None},
    {"safety_instructions": "x" * 2001},
    {"contact_email": "not an email"},
    {"website": "javascript:alert(1)"},
    {"twilio_account_sid": "not-a-sid"},
    {"twilio_auth_token": "short"},
    {"llm_model": ""},
]


@pytest.mark.parametrize("patch", BAD_PATCHES)
async def test_bad_config_is_422_problem_and_changes_nothing(
    client: httpx.AsyncClient, tenant: Tenant, patch: dict[str, object]
) -> None:
    before = (await client.get("/api/v1/config", headers=tenant.headers())).json()
    response = await client.patch(
        "/api/v1/config", json={"greeting": "changed", **patch}, headers=tenant.headers()
    )
    assert response.status_code == 422, patch
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["code"] == "validation_error"
    assert problem["errors"]
    after = (await client.get("/api/v1/config", headers=tenant.headers())).json()
    assert after == before


async def test_malformed_json_is_a_422_problem(client: httpx.AsyncClient, tenant: Tenant) -> None:
    response = await client.patch(
        "/api/v1/config",
        content=b"{not json",
        headers={**tenant.headers(), "Content-Type": "application/json"},
    )
    assert response.status_code == 422
    assert response.json()["code"] == "validation_error"


@pytest.mark.parametrize("role", ["supervisor", "agent", "viewer"])
async def test_only_admins_write_config(
    client: httpx.AsyncClient, tenant: Tenant, role: str
) -> None:
    response = await client.patch(
        "/api/v1/config", json={"greeting": "hacked"}, headers=tenant.headers(role)
    )
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden_role"


async def test_agent_settings_round_trip_and_the_twilio_token_is_write_only(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    patch = {
        "emergency_phrases": ["gas leak", "flooding"],
        "trade": "plumbing_hvac",
        "safety_instructions": "Leave the building and call the gas company.",
        "phone_numbers": ["+14155550123", "+33142685300"],
        "contact_email": "office@acme.example",
        "address": "1 Pipe Street",
        "website": "https://acme.example",
        "twilio_account_sid": "AC" + "a" * 32,
        "twilio_auth_token": "b" * 32,
    }
    response = await client.patch("/api/v1/config", json=patch, headers=tenant.headers())
    assert response.status_code == 200, response.text
    body = response.json()
    assert {k: body[k] for k in patch if k != "twilio_auth_token"} == {
        k: v for k, v in patch.items() if k != "twilio_auth_token"
    }
    assert body["twilio_auth_token_set"] is True
    assert "b" * 32 not in response.text
    read = (await client.get("/api/v1/config", headers=tenant.headers("viewer"))).json()
    assert read == body
    cleared = await client.patch(
        "/api/v1/config",
        json={"twilio_account_sid": None, "twilio_auth_token": None, "website": None},
        headers=tenant.headers(),
    )
    assert cleared.json()["twilio_auth_token_set"] is False
    assert cleared.json()["website"] is None


async def test_an_admin_can_pick_every_trade_and_it_is_kept(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    # The trade is a plain string column: the trades added after migration 0017 (ADR 0035)
    # are stored and read back like the first ones.
    for trade in Trade:
        response = await client.patch(
            "/api/v1/config", json={"trade": trade.value}, headers=tenant.headers()
        )
        assert response.status_code == 200, response.text
        read = await client.get("/api/v1/config", headers=tenant.headers("viewer"))
        assert read.json()["trade"] == trade.value


async def test_half_a_set_of_twilio_credentials_is_refused(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    response = await client.patch(
        "/api/v1/config", json={"twilio_account_sid": "AC" + "a" * 32}, headers=tenant.headers()
    )
    assert response.status_code == 422
    assert response.json()["code"] == "incomplete_twilio_credentials"
    assert (await client.get("/api/v1/config", headers=tenant.headers())).json()[
        "twilio_account_sid"
    ] is None


async def test_a_number_answers_for_one_business_only(
    client: httpx.AsyncClient, tenant: Tenant, other_tenant: Tenant
) -> None:
    mine = await client.patch(
        "/api/v1/config", json={"phone_numbers": ["+14155550123"]}, headers=tenant.headers()
    )
    assert mine.status_code == 200
    taken = await client.patch(
        "/api/v1/config",
        json={"phone_numbers": ["+14155550188", "+14155550123"], "greeting": "Hi"},
        headers=other_tenant.headers(),
    )
    assert taken.status_code == 409
    assert taken.json()["code"] == "phone_number_taken"
    theirs = (await client.get("/api/v1/config", headers=other_tenant.headers())).json()
    assert (theirs["phone_numbers"], theirs["greeting"]) == (
        [],
        "Hello, thanks for calling. How can I help you today?",
    )
    # Giving a number up frees it.
    await client.patch("/api/v1/config", json={"phone_numbers": []}, headers=tenant.headers())
    moved = await client.patch(
        "/api/v1/config", json={"phone_numbers": ["+14155550123"]}, headers=other_tenant.headers()
    )
    assert moved.json()["phone_numbers"] == ["+14155550123"]
