"""A business adds the words its callers use for what its pages say otherwise, and search
finds the page by them; bad groups are refused with nothing stored; another tenant's groups
are neither seen nor used."""

from __future__ import annotations

import httpx
import pytest

from aicaller.database.models import SearchSynonym
from aicaller.database.session import Database
from tests.factories import Tenant
from tests.helpers import count_rows

SYNONYMS = "/api/v1/knowledge/synonyms"
SEARCH = "/api/v1/knowledge/search"
BOOKING = b"""# Booking

## Same-day appointments
We keep some same-day appointments every morning: phone at 8am to get one.
"""
OTHER = b"""# Parking

## Where to park
Free parking behind the building.
"""


async def _upload(client: httpx.AsyncClient, tenant: Tenant, name: str, data: bytes) -> None:
    response = await client.post(
        "/api/v1/knowledge/documents", files={"file": (name, data)}, headers=tenant.headers()
    )
    assert response.status_code == 201, response.text


async def _titles(client: httpx.AsyncClient, tenant: Tenant, question: str) -> list[str]:
    found = await client.get(SEARCH, params={"q": question}, headers=tenant.headers("agent"))
    assert found.status_code == 200, found.text
    return [result["title"] for result in found.json()["results"]]


async def test_a_group_finds_the_page_by_the_callers_words(
    client: httpx.AsyncClient, tenant: Tenant, other_tenant: Tenant
) -> None:
    for owner in (tenant, other_tenant):
        await _upload(client, owner, "booking.md", BOOKING)
        await _upload(client, owner, "parking.md", OTHER)
    question = "do you take walk-ins"
    assert await _titles(client, tenant, question) == []  # a search cached before the group

    created = await client.post(
        SYNONYMS, json={"words": ["Walk-in", "same day appointment"]}, headers=tenant.headers()
    )
    assert created.status_code == 201, created.text
    assert created.json()["words"] == ["walk in", "same day appointment"]
    assert await _titles(client, tenant, question) == ["Booking"]
    assert await _titles(client, other_tenant, question) == []  # its own groups only

    listed = await client.get(SYNONYMS, headers=other_tenant.headers("viewer"))
    assert listed.json()["items"] == []
    mine = await client.get(SYNONYMS, headers=tenant.headers("viewer"))
    assert [item["id"] for item in mine.json()["items"]] == [created.json()["id"]]

    gone = await client.delete(f"{SYNONYMS}/{created.json()['id']}", headers=other_tenant.headers())
    assert gone.status_code == 404  # another tenant's group
    gone = await client.delete(f"{SYNONYMS}/{created.json()['id']}", headers=tenant.headers())
    assert gone.status_code == 204
    assert await _titles(client, tenant, question) == []


@pytest.mark.parametrize(
    "body",
    [
        {"words": ["alone"]},
        {"words": ["same", "Same"]},  # one entry twice
        {"words": ["ok", "!!!"]},
        {"words": ["one two three four five", "six"]},
        {"words": [f"w{index}" for index in range(11)]},
        {"words": ["a" * 81, "b"]},
        {"words": "walkin sameday"},
        {"words": ["walkin", "sameday"], "extra": True},
    ],
)
async def test_bad_groups_are_refused_with_nothing_stored(
    client: httpx.AsyncClient, tenant: Tenant, database: Database, body: dict[str, object]
) -> None:
    response = await client.post(SYNONYMS, json=body, headers=tenant.headers())
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert await count_rows(database, SearchSynonym) == 0
