"""Search finds the chunk that answers a caller's question, on SQLite FTS5 and PostgreSQL."""

from __future__ import annotations

import httpx
import pytest

from tests.factories import Tenant

SEARCH = "/api/v1/knowledge/search"
FAQ = b"""# Demo Dental Clinic FAQ

## Opening hours
We are open Monday to Friday from 8am to 5pm, and on Saturday mornings from 9am to noon.
We are closed on Sundays and public holidays.

## Parking and directions
Free parking is available behind the building. Take the lift to the second floor; the
clinic is above the pharmacy on Main Street.

## Insurance
We are in network for Delta Dental PPO, Cigna and MetLife. Bring your insurance card to
every visit so we can confirm your coverage.

## Billing and refunds
If you were charged twice or overpaid, we refund the difference to your card within 14 days.
Payment plans are available for treatment over $500.

## Dental emergencies
If you have severe tooth pain, swelling of the face or a knocked-out tooth, call us right
away: emergency appointments are kept free every day.

## Teeth whitening
Professional whitening takes about an hour and lasts up to two years.
"""
QUESTIONS = [
    ("what time do you open on saturday", "Opening hours"),
    ("is there somewhere to park my car", "Parking and directions"),
    ("do you accept delta dental insurance", "Insurance"),
    ("I got charged twice, how do I get my money refunded", "Billing and refunds"),
    ("my tooth hurts really badly and my face is swollen", "Dental emergencies"),
    ("how long does whitening last", "Teeth whitening"),
    ("are you open on sundays", "Opening hours"),
    ("which floor is the clinic on", "Parking and directions"),
]


async def _upload(client: httpx.AsyncClient, tenant: Tenant, name: str, data: bytes) -> str:
    response = await client.post(
        "/api/v1/knowledge/documents", files={"file": (name, data)}, headers=tenant.headers()
    )
    assert response.status_code == 201, response.text
    document_id: str = response.json()["id"]
    return document_id


async def _search(
    client: httpx.AsyncClient, tenant: Tenant, q: str, **params: int
) -> httpx.Response:
    return await client.get(SEARCH, params={"q": q, **params}, headers=tenant.headers("agent"))


@pytest.mark.parametrize(("question", "section"), QUESTIONS)
async def test_questions_find_the_answering_section(
    client: httpx.AsyncClient, tenant: Tenant, question: str, section: str
) -> None:
    await _upload(client, tenant, "faq.md", FAQ)
    await _upload(client, tenant, "other.md", b"# Team\n\n## Dentists\nDr. Patel and Dr. Ruiz.")
    response = await _search(client, tenant, question)
    assert response.status_code == 200, response.text
    results = response.json()["results"]
    assert results, question
    best = results[0]
    assert best["heading_path"] == f"Demo Dental Clinic FAQ > {section}"
    assert best["score"] == 1.0
    assert [r["score"] for r in results] == sorted((r["score"] for r in results), reverse=True)
    assert best["content"].startswith(best["heading_path"] + "\n\n")
    assert "**" in best["snippet"]  # matched words are marked
    assert best["title"] == "Demo Dental Clinic FAQ"


@pytest.mark.parametrize(
    "question",
    [
        '"AND OR NOT * ( ) : ^ - NEAR(a b)',
        "tenant:anything ref:c123",
        "parking' OR 1=1 --",
        "\u00e9t\u00e9 \u65e5\u672c \U0001f600",
        "a" * 500,
        "what is the",
    ],
)
async def test_any_input_is_safe(client: httpx.AsyncClient, tenant: Tenant, question: str) -> None:
    await _upload(client, tenant, "faq.md", FAQ)
    response = await _search(client, tenant, question)
    assert response.status_code == 200, response.text
    if question == "what is the":
        assert response.json() == {"query": question, "terms": [], "results": []}


async def test_injection_style_input_still_searches_its_words(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    await _upload(client, tenant, "faq.md", FAQ)
    body = (await _search(client, tenant, "parking' OR 1=1 --")).json()
    assert body["terms"] == ["parking", "1"]  # "or" is a common word, not an operator
    assert body["results"][0]["heading_path"].endswith("Parking and directions")


async def test_bad_parameters(client: httpx.AsyncClient, tenant: Tenant) -> None:
    cases: list[dict[str, str | int]] = [
        {"q": ""},
        {"q": "x" * 501},
        {"q": "parking", "limit": 0},
        {"limit": 5},
    ]
    for params in cases:
        response = await client.get(SEARCH, params=params, headers=tenant.headers())
        assert response.status_code == 422, params


async def test_results_belong_to_the_business(
    client: httpx.AsyncClient, tenant: Tenant, other_tenant: Tenant
) -> None:
    await _upload(client, tenant, "faq.md", FAQ)
    theirs = await client.get(SEARCH, params={"q": "parking"}, headers=other_tenant.headers())
    assert theirs.json()["results"] == []


async def test_limit_and_deletion(client: httpx.AsyncClient, tenant: Tenant) -> None:
    document_id = await _upload(client, tenant, "faq.md", FAQ)
    many = (await _search(client, tenant, "clinic dental floor open", limit=2)).json()
    assert len(many["results"]) == 2
    await client.delete(f"/api/v1/knowledge/documents/{document_id}", headers=tenant.headers())
    assert (await _search(client, tenant, "parking")).json()["results"] == []


async def test_new_knowledge_is_found_at_once_despite_the_cache(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    await _upload(client, tenant, "faq.md", FAQ)
    first = await _search(client, tenant, "invisalign aligners")
    assert first.json()["results"] == []
    cold = await _search(client, tenant, "parking car")
    warm = await _search(client, tenant, "parking car")
    assert warm.json() == cold.json()
    # The repeat is served from the cache: only the version lookup touches the database.
    assert int(warm.headers["x-query-count"]) < int(cold.headers["x-query-count"])
    await _upload(client, tenant, "aligners.md", b"# Aligners\n\nWe offer Invisalign aligners.")
    after = (await _search(client, tenant, "invisalign aligners")).json()["results"]
    assert [r["title"] for r in after] == ["Aligners"]


async def test_snippets_show_matches_deep_in_long_chunks(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    """A code block is never split, so a chunk can be long; its snippet still shows the match."""
    lines = "\n".join(f"setting_{index} = {index}" for index in range(400))
    body = f"# Config\n\n## Reference\n\n```\n{lines}\nzebrafish_mode = True\n```\n"
    assert len(body) > 6000
    await _upload(client, tenant, "config.md", body.encode())
    results = (await _search(client, tenant, "zebrafish")).json()["results"]
    assert results
    assert "zebrafish" in results[0]["snippet"].lower()
    assert "**" in results[0]["snippet"]
