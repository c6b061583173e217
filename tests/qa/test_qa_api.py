"""Scorecards and evaluations through the API: defaults, weights, overrides, bad input."""

from __future__ import annotations

from typing import Any

import httpx
from fastapi import FastAPI

from aicaller.database.models import Evaluation, Scorecard
from tests.factories import Tenant
from tests.helpers import count_rows

SCORECARDS = "/api/v1/qa/scorecards"
CRITERION: dict[str, Any] = {"key": "greeting", "label": "Greeting", "weight": 1}
CARD: dict[str, Any] = {
    "name": "Front desk",
    "criteria": [
        {"key": "greeting", "label": "Greeting", "weight": 1},
        {"key": "accuracy", "label": "Accuracy", "weight": 3},
        {"key": "privacy", "label": "Privacy", "weight": 1, "auto_fail": True},
    ],
}


async def _call(client: httpx.AsyncClient, tenant: Tenant) -> str:
    response = await client.post(
        "/api/v1/calls",
        json={"direction": "inbound", "from_number": "+14155550111",
              "to_number": "+14155550123", "status": "completed"},
        headers=tenant.headers(),
    )  # fmt: skip
    assert response.status_code == 201, response.text
    call_id: str = response.json()["id"]
    return call_id


async def test_every_business_has_a_default_scorecard(
    client: httpx.AsyncClient, tenant: Tenant, other_tenant: Tenant
) -> None:
    cards = (await client.get(SCORECARDS, headers=tenant.headers("viewer"))).json()
    assert [(c["name"], c["is_default"]) for c in cards] == [("AI call quality", True)]
    assert [c["key"] for c in cards[0]["criteria"]] == [
        "greeted_properly",
        "answered_from_knowledge",
        "no_unanswered_questions",
        "escalated_appropriately",
        "polite_close",
    ]
    theirs = (await client.get(SCORECARDS, headers=other_tenant.headers())).json()
    assert theirs[0]["id"] != cards[0]["id"]


async def test_a_new_default_replaces_the_old_one(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    created = await client.post(
        SCORECARDS, json={**CARD, "is_default": True}, headers=tenant.headers("supervisor")
    )
    assert created.status_code == 201, created.text
    cards = (await client.get(SCORECARDS, headers=tenant.headers())).json()
    assert [(c["name"], c["is_default"]) for c in cards] == [
        ("Front desk", True),
        ("AI call quality", False),
    ]
    back = await client.patch(
        f"{SCORECARDS}/{cards[1]['id']}", json={"is_default": True}, headers=tenant.headers()
    )
    assert back.json()["is_default"] is True
    cards = (await client.get(SCORECARDS, headers=tenant.headers())).json()
    assert [c["name"] for c in cards if c["is_default"]] == ["AI call quality"]


async def test_bad_scorecards_are_refused(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant
) -> None:
    await client.get(SCORECARDS, headers=tenant.headers())
    before = await count_rows(app.state.database, Scorecard)
    bad: list[dict[str, Any]] = [
        {**CARD, "criteria": []},
        {**CARD, "criteria": [CRITERION, CRITERION]},
        {**CARD, "criteria": [{**CRITERION, "weight": 0}]},
        {**CARD, "criteria": [{**CRITERION, "weight": "NaN"}]},
        {**CARD, "criteria": [{**CRITERION, "key": "Has Spaces"}]},
        {**CARD, "name": ""},
        {**CARD, "colour": "red"},
    ]
    for body in bad:
        response = await client.post(SCORECARDS, json=body, headers=tenant.headers())
        assert response.status_code == 422, (body, response.text)
    agent = await client.post(SCORECARDS, json=CARD, headers=tenant.headers("agent"))
    assert agent.status_code == 403
    cards = (await client.get(SCORECARDS, headers=tenant.headers())).json()
    unset = await client.patch(
        f"{SCORECARDS}/{cards[0]['id']}", json={"is_default": False}, headers=tenant.headers()
    )
    assert unset.status_code == 422
    assert await count_rows(app.state.database, Scorecard) == before


async def test_a_supervisor_evaluation_overrides_the_ai_and_both_are_kept(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant, other_tenant: Tenant
) -> None:
    call_id = await _call(client, tenant)
    card = (await client.post(SCORECARDS, json=CARD, headers=tenant.headers())).json()
    url = f"/api/v1/calls/{call_id}/evaluations"
    body: dict[str, Any] = {
        "scorecard_id": card["id"],
        "results": [
            {"key": "greeting", "result": "pass"},
            {"key": "accuracy", "result": "fail", "explanation": "Quoted the old price"},
            {"key": "privacy", "result": "na"},
        ],
        "comment": "Needs the new price list.",
    }
    created = await client.post(url, json=body, headers=tenant.headers("supervisor"))
    assert created.status_code == 201, created.text
    human = created.json()
    assert (human["evaluator"], human["score"], human["auto_failed"]) == ("human", 25.0, False)
    assert human["evaluator_user_id"] == str(tenant.users["supervisor"])
    assert human["results"][1] == {
        "key": "accuracy", "label": "Accuracy", "weight": 3.0, "auto_fail": False,
        "result": "fail", "explanation": "Quoted the old price",
    }  # fmt: skip

    failed = {**body, "results": [*body["results"][:2], {"key": "privacy", "result": "fail"}]}
    second = (await client.post(url, json=failed, headers=tenant.headers())).json()
    assert (second["score"], second["auto_failed"]) == (0.0, True)

    listed = (await client.get(url, headers=tenant.headers("viewer"))).json()["items"]
    assert [(e["id"], e["effective"]) for e in listed] == [
        (second["id"], True),
        (human["id"], False),
    ]
    hidden = await client.get(url, headers=other_tenant.headers())
    assert hidden.status_code == 404


async def test_incomplete_or_unknown_results_are_refused(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant
) -> None:
    call_id = await _call(client, tenant)
    url = f"/api/v1/calls/{call_id}/evaluations"
    missing = {"results": [{"key": "greeted_properly", "result": "pass"}]}
    response = await client.post(url, json=missing, headers=tenant.headers())
    assert response.status_code == 422
    assert response.json()["code"] == "evaluation_incomplete"
    assert {"loc": ["body", "results"], "msg": "missing polite_close"} in response.json()["errors"]
    bad: list[dict[str, Any]] = [
        {"results": [{"key": "greeted_properly", "result": "maybe"}]},
        {"results": []},
        {"scorecard_id": "not-a-uuid", "results": [{"key": "a", "result": "pass"}]},
    ]
    for body in bad:
        assert (await client.post(url, json=body, headers=tenant.headers())).status_code == 422
    agent = await client.post(url, json=missing, headers=tenant.headers("agent"))
    assert agent.status_code == 403
    assert await count_rows(app.state.database, Evaluation) == 0
