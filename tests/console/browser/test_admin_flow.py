"""An admin in the browser at 1280 px: change the greeting, the trade and the safety
instructions, and hear the greeting on the next test call; create an API key (shown once) and
revoke it, export calls as CSV; a supervisor sees no Team menu entry and gets a 403 page at its
address."""

from __future__ import annotations

import re

from playwright.async_api import Page, expect

from tests.console.browser.conftest import LiveServer, screenshot, sign_in
from tests.console.calls_data import make_call


async def test_an_admin_sets_up_the_business(page: Page, live_server: LiveServer) -> None:
    tenant = await live_server.tenant("Browser Admin")
    async with live_server.client() as api:
        await make_call(api, tenant, summary="Exported call")
    await sign_in(page, tenant.emails["admin"])
    menu = page.get_by_role("navigation", name="Main")

    await menu.get_by_role("link", name="Settings").click()
    await page.get_by_label("Greeting").fill("Thanks for calling Browser Admin, I am listening.")
    await page.get_by_label("Monday").fill("08:00-18:00")
    await page.get_by_label("Trade").select_option(label="Electrician")
    await page.get_by_label("Safety instructions").fill("Keep away from the panel.")
    await page.get_by_role("button", name="Save settings").click()
    await expect(page.get_by_role("status").filter(has_text="Saved.")).to_be_visible()
    await expect(page.get_by_label("Trade")).to_have_value("electrical")
    await expect(page.get_by_label("Safety instructions")).to_have_value(
        "Keep away from the panel."
    )
    await screenshot(page, "settings")
    await menu.get_by_role("link", name="Test call").click()
    await page.get_by_role("button", name="Start a test call").click()
    await expect(page.locator("#conversation .turn.agent").first).to_contain_text(
        "Thanks for calling Browser Admin, I am listening."
    )

    await menu.get_by_role("link", name="Team").click()
    await page.locator("#keys").get_by_label("Name").fill("CRM")
    await page.get_by_label("calls:read").check()
    await page.get_by_role("button", name="Create key").click()
    key = await page.locator("#new-key").inner_text()
    assert key.startswith("ak_")
    await screenshot(page, "team")
    async with live_server.client() as api:
        headers = {"Authorization": f"Bearer {key}"}
        assert (await api.get("/api/v1/calls", headers=headers)).status_code == 200
        await page.goto("/app/team")
        await expect(page.locator("#new-key")).to_have_count(0)
        await page.locator("#keys tbody tr").first.get_by_role("button", name="Revoke").click()
        await expect(page.locator("#keys tbody tr").first).to_contain_text("revoked")
        assert (await api.get("/api/v1/calls", headers=headers)).status_code == 401

    await menu.get_by_role("link", name="Exports").click()
    async with page.expect_download() as download_info:
        await page.get_by_role("button", name="Download").click()
    download = await download_info.value
    assert re.fullmatch(r"calls-\d{8}T\d{6}Z\.csv", download.suggested_filename)
    content = (await download.path()).read_text(encoding="utf-8")
    assert "Exported call" in content


async def test_a_supervisor_has_no_team_page(page: Page, live_server: LiveServer) -> None:
    tenant = await live_server.tenant("Browser Supervisor")
    await sign_in(page, tenant.emails["supervisor"])
    menu = page.get_by_role("navigation", name="Main")
    await expect(menu.get_by_role("link", name="Team")).to_have_count(0)
    response = await page.goto("/app/team")
    assert response is not None
    assert response.status == 403
    await expect(page.get_by_role("heading", name="Not allowed")).to_be_visible()
