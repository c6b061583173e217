"""A caller's words find pages written in other words ("how much" finds the fee schedule),
and an added word widens a search without ever being required."""

from __future__ import annotations

import httpx
import pytest

from aicaller.knowledge.search.plan import Query, query_tiers
from aicaller.knowledge.search.synonyms import expansions
from tests.factories import Tenant

FEES = b"""# Our fees

## Estate planning
A simple will: $350 per person. Power of attorney: $150.
"""
WILLS = b"""# Wills and estates

## Wills
A will says who receives what you own. Without a will, the law decides. We draft wills,
update old wills and help families through probate after a death.
"""


PRICE = ["price", "cost", "fee", "charge", "rate"]
SPEED = ["performance", "optimization"]


@pytest.mark.parametrize(
    ("question", "terms", "added"),
    [
        ("how much is a basic will", ["basic", "will"], ["price", "cost", "fee", "charge", "rate"]),
        ("what do you charge for a will", ["charge", "will"], ["price", "cost", "fee", "rate"]),
        ("is there a guarantee on repairs", ["guarantee", "repairs"], ["warranty"]),
        ("when are you open on saturday", ["open", "saturday"], ["hours"]),
        ("can I speak to a lawyer", ["speak", "lawyer"], ["attorney"]),
        ("where do I park", ["park"], []),
        ("what's that gonna run me", ["run"], ["price", "cost", "fee", "charge", "rate"]),
        ("can I put it on my Amex", ["put", "amex"], ["payment", "pay"]),
        ("how much do you want up front", ["much", "front"], [*PRICE, "deposit"]),
        ("who runs the company now", ["runs", "company"], ["team", "owner"]),
        ("who's your guy for generators", ["guy", "generators"], ["team", "owner"]),
        ("how do I write my own template filter", ["write", "template", "filter"], ["custom"]),
        ("who wrote this commit", ["wrote", "commit"], []),
        (
            "we have an old database full of tables",
            ["old", "database", "full", "tables"],
            ["legacy"],
        ),
        ("what's the quick way to insert rows", ["quick", "insert", "rows"], [*SPEED]),
        ("can it remember my password", ["remember", "password"], ["store", "cache", "record"]),
        ("where do I save the cache", ["save", "cache"], []),
    ],
)
def test_spoken_words_add_the_written_ones(
    question: str, terms: list[str], added: list[str]
) -> None:
    assert expansions(question, terms) == added


def test_added_words_are_never_required() -> None:
    tiers = query_tiers(["simple", "will", "fee"], [3, 5, 2], required=2)
    assert tiers[0] == Query(["simple", "will"], every=True)
    assert tiers[1] == Query(["fee", "simple", "will"], every=False)


async def test_how_much_finds_the_fee_schedule(client: httpx.AsyncClient, tenant: Tenant) -> None:
    for name, data in (("wills.md", WILLS), ("fees.md", FEES)):
        response = await client.post(
            "/api/v1/knowledge/documents", files={"file": (name, data)}, headers=tenant.headers()
        )
        assert response.status_code == 201, response.text
    found = await client.get(
        "/api/v1/knowledge/search",
        params={"q": "um, how much would it be to get my will done and my husband's will"},
        headers=tenant.headers("agent"),
    )
    assert found.status_code == 200, found.text
    assert found.json()["results"][0]["title"] == "Our fees"


POLICIES = b"""# Policies

## Payment
Payment is due when the work is done. We take all major credit cards, cash and checks.
"""
PANELS = b"""# Panels

We replace fuse boxes with breaker panels, and put in new circuits for kitchens and shops.
"""


async def test_a_named_card_finds_the_payment_policy(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    """ "Amex" is on no page: without the payment group, only "put" would be searched."""
    for name, data in (("panels.md", PANELS), ("policies.md", POLICIES)):
        response = await client.post(
            "/api/v1/knowledge/documents", files={"file": (name, data)}, headers=tenant.headers()
        )
        assert response.status_code == 201, response.text
    found = await client.get(
        "/api/v1/knowledge/search",
        params={"q": "can I put it on my Amex?"},
        headers=tenant.headers("agent"),
    )
    assert found.status_code == 200, found.text
    assert found.json()["results"][0]["title"] == "Policies"
