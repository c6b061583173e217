"""Settings: the business configuration (admins) and QA scorecards (managers)."""

from __future__ import annotations

import re

import httpx
from fastapi import FastAPI

from aicaller.businesses.schemas import Trade
from tests.console.conftest import console_client, csrf_of
from tests.factories import Tenant


async def _config(client: httpx.AsyncClient, tenant: Tenant) -> dict[str, object]:
    response = await client.get("/api/v1/config", headers=tenant.headers())
    config: dict[str, object] = response.json()
    return config


async def test_an_admin_changes_the_greeting_and_the_next_test_call_uses_it(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant
) -> None:
    async with console_client(app, tenant, "admin") as console:
        csrf = csrf_of(console, app)
        page = await console.get("/app/settings")
        assert 'name="greeting"' in page.text
        saved = await console.post(
            "/app/settings",
            data={
                "csrf_token": csrf,
                "greeting": "Hello from <Acme>, how can I help?",
                "timezone": "Europe/London",
                "hours_monday": "09:00-12:00, 13:00-17:00",
                "hours_sunday": "",
                "escalation_numbers": "+442071838750\n+14155550100",
                "contact_email": "",
            },
        )
        assert saved.status_code == 303
        config = await _config(client, tenant)
        assert config["greeting"] == "Hello from <Acme>, how can I help?"
        assert config["timezone"] == "Europe/London"
        assert config["escalation_numbers"] == ["+442071838750", "+14155550100"]
        assert config["business_hours"]["monday"] == [  # type: ignore[index]
            {"open": "09:00", "close": "12:00"},
            {"open": "13:00", "close": "17:00"},
        ]
        shown = await console.get("/app/settings")
        assert "Hello from &lt;Acme&gt;, how can I help?" in shown.text
        assert 'value="09:00-12:00, 13:00-17:00"' in shown.text

        bad = await console.post(
            "/app/settings",
            data={"csrf_token": csrf, "timezone": "Mars/Olympus", "greeting": "Changed"},
        )
        assert bad.status_code == 422
        assert "timezone" in bad.text
        assert (await _config(client, tenant))["greeting"] == "Hello from <Acme>, how can I help?"

        started = await console.post("/app/test-call", data={"csrf_token": csrf})
        call = await console.get(started.headers["location"])
    assert "Hello from &lt;Acme&gt;, how can I help?" in call.text


async def test_only_admins_change_the_configuration(app: FastAPI, tenant: Tenant) -> None:
    async with console_client(app, tenant, "supervisor") as console:
        page = await console.get("/app/settings")
        assert "Only admins change these settings." in page.text
        assert "<fieldset disabled>" in page.text
        refused = await console.post(
            "/app/settings", data={"csrf_token": csrf_of(console, app), "greeting": "Hacked"}
        )
    assert refused.status_code == 403


async def test_managers_create_and_edit_scorecards(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant
) -> None:
    async with console_client(app, tenant, "supervisor") as console:
        csrf = csrf_of(console, app)
        page = await console.get("/app/settings")
        default = re.search(r'action="/app/settings/scorecards/([0-9a-f-]{36})"', page.text)
        assert default is not None
        created = await console.post(
            "/app/settings/scorecards",
            data={
                "csrf_token": csrf,
                "rows": "3",
                "name": "Sales",
                "key_0": "greets",
                "label_0": "Greets the caller",
                "weight_0": "2",
                "key_1": "closes",
                "weight_1": "3",
                "auto_fail_1": "on",
                "key_2": "",
            },
        )
        assert created.status_code == 303
        bad = await console.post(
            "/app/settings/scorecards",
            data={"csrf_token": csrf, "rows": "1", "name": "Bad", "key_0": "Not A Key"},
        )
        assert bad.status_code == 422
        edited = await console.post(
            f"/app/settings/scorecards/{default.group(1)}",
            data={
                "csrf_token": csrf,
                "rows": "1",
                "name": "Only politeness",
                "key_0": "polite",
                "label_0": "Polite",
                "weight_0": "5",
            },
        )
        assert edited.status_code == 303
    cards = (await client.get("/api/v1/qa/scorecards", headers=tenant.headers())).json()
    by_name = {card["name"]: card for card in cards}
    assert [(c["key"], c["weight"], c["auto_fail"]) for c in by_name["Sales"]["criteria"]] == [
        ("greets", 2.0, False),
        ("closes", 3.0, True),
    ]
    assert [c["key"] for c in by_name["Only politeness"]["criteria"]] == ["polite"]
    assert by_name["Only politeness"]["is_default"] is True
    async with console_client(app, tenant, "viewer") as console:
        page = await console.get("/app/settings")
        assert "Only politeness" in page.text
        assert "Create scorecard" not in page.text


async def test_an_admin_picks_the_trade_and_writes_safety_instructions_the_agent_says_first(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant
) -> None:
    safety = "Stay away from the panel & don't touch it; if there is smoke, get out and call 911."
    async with console_client(app, tenant, "admin") as console:
        csrf = csrf_of(console, app)
        page = await console.get("/app/settings")
        offered = set(re.findall(r'<option value="([a-z_]+)"', page.text))
        assert {t.value for t in Trade} <= offered  # every trade can be picked
        assert '<option value="general" selected>' in page.text
        saved = await console.post(
            "/app/settings",
            data={"csrf_token": csrf, "trade": "electrical", "safety_instructions": safety},
        )
        assert saved.status_code == 303
        config = await _config(client, tenant)
        assert (config["trade"], config["safety_instructions"]) == ("electrical", safety)
        shown = await console.get("/app/settings")
        assert '<option value="electrical" selected>' in shown.text
        assert "Stay away from the panel &amp; don&#39;t touch it" in shown.text

        # The electrician's own situation, which a business of no trade does not know.
        started = await console.post("/app/test-call", data={"csrf_token": csrf})
        call_url = started.headers["location"]
        said = await console.post(
            f"{call_url}/say",
            data={"csrf_token": csrf, "text": "The breaker panel is buzzing and hot to the touch"},
        )
        assert said.status_code == 303
        call = await console.get(call_url)
        assert "Stay away from the panel &amp; don&#39;t touch it" in call.text

        bad = await console.post(
            "/app/settings", data={"csrf_token": csrf, "trade": "astrology", "greeting": "Hi"}
        )
        assert bad.status_code == 422
        assert "trade" in bad.text
        cleared = await console.post(
            "/app/settings", data={"csrf_token": csrf, "safety_instructions": "  "}
        )
        assert cleared.status_code == 303
    config = await _config(client, tenant)
    # The refused form changed nothing (not even its valid greeting); emptied, the
    # instructions are cleared and the trade stays.
    assert (config["trade"], config["safety_instructions"]) == ("electrical", "")
    assert config["greeting"] != "Hi"
