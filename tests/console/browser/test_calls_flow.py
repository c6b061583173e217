"""The calls pages in a real browser: sign in, filter, open a call, add a note, override the
QA score (1280 px); hostile text stays text and viewers get no controls (375 px)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import httpx
import pytest
from playwright.async_api import Page, expect

from tests.console.browser.conftest import PHONE, LiveServer, screenshot, sign_in
from tests.console.calls_data import hostile_call, make_call


@pytest.fixture
async def api(live_server: LiveServer) -> AsyncIterator[httpx.AsyncClient]:
    async with live_server.client() as client:
        yield client


async def test_a_supervisor_finds_a_call_notes_it_and_overrides_its_score(
    page: Page, live_server: LiveServer, api: httpx.AsyncClient
) -> None:
    tenant = await live_server.tenant("Browser Plumbing")
    conversation = [
        ("caller", "Hi, my boiler is making a banging noise. Can someone come out?"),
        ("agent", "I can book an engineer visit. Is this for 12 Elm Road?"),
        ("caller", "Yes, and how much is the call-out?"),
        ("agent", "The call-out is sixty pounds, including the first half hour."),
    ]
    wanted = await make_call(
        api,
        tenant,
        summary="Boiler repair quote for Mrs Jones",
        sentiment="positive",
        resolved_by_ai=True,
        transcript=[
            {"speaker": who, "text": text, "offset_ms": 4000 * i}
            | ({"sources": ["https://docs.example.com/prices"]} if who == "agent" else {})
            for i, (who, text) in enumerate(conversation)
        ],
    )
    for summary in ("Leaking tap", "Opening hours"):
        await make_call(api, tenant, summary=summary)

    await sign_in(page, tenant.emails["supervisor"])
    await expect(page).to_have_url(re.compile(r"/app/overview$"))
    await screenshot(page, "overview")
    await page.get_by_role("navigation", name="Main").get_by_role("link", name="Calls").click()
    # A Tab pressed while the overview is still the document lands on the overview's own links
    # and the calls page then opens with nothing focused: wait until the calls page has loaded.
    await expect(page).to_have_url(re.compile(r"/app/calls$"))
    await expect(page.locator("table.calls tbody tr")).to_have_count(3)
    await page.wait_for_load_state("load")
    await page.keyboard.press("Tab")
    await expect(page.locator(".skip")).to_be_focused()  # the first stop skips to the content
    await page.keyboard.press("Enter")
    await expect(page.locator("#main")).to_be_focused()
    await screenshot(page, "calls")

    await page.get_by_label("Search summaries and transcripts").fill("boiler")
    await page.get_by_role("button", name="Apply").click()
    await expect(page.locator("table.calls tbody tr")).to_have_count(1)
    await expect(page).to_have_url(re.compile(r"/app/calls\?q=boiler&"))
    await page.locator("table.calls tbody a").first.click()
    await expect(page).to_have_url(re.compile(wanted["id"]))

    await page.get_by_label("Add a note").fill("Send the quote by Friday")
    await page.get_by_role("button", name="Add note").click()
    await expect(page.locator("#notes")).to_contain_text("Send the quote by Friday")

    await page.get_by_text("Override the score").click()
    await page.locator("fieldset.criterion").first.get_by_label("fail").check()
    await page.get_by_label("Comment").fill("Did not confirm the address")
    await page.get_by_role("button", name="Save evaluation").click()
    await expect(page.locator("#qa .evaluation.effective")).to_contain_text("by human")
    await expect(page.locator("#qa")).to_contain_text("Did not confirm the address")
    await screenshot(page, "call-detail")


async def test_hostile_text_does_not_run_and_viewers_get_no_controls_on_a_phone(
    page: Page, live_server: LiveServer, api: httpx.AsyncClient
) -> None:
    tenant = await live_server.tenant("Browser Hostile")
    call = await hostile_call(api, tenant)
    await page.set_viewport_size(PHONE)
    await sign_in(page, tenant.emails["viewer"])
    await page.goto(f"/app/calls/{call['id']}")
    await expect(page.locator("#transcript")).to_contain_text("<script>window.pwned = 1</script>")
    await expect(page.locator("#notes")).to_contain_text('<img src="x" onerror=')
    assert await page.evaluate("typeof window.pwned") == "undefined"
    assert await page.locator("#transcript a[href^='javascript:']").count() == 0
    await page.get_by_text("click</a>").first.click()  # shown as text: clicking runs nothing
    assert await page.evaluate("typeof window.pwned") == "undefined"

    for control in ("Add note", "Save evaluation", "End call"):
        await expect(page.get_by_role("button", name=control)).to_have_count(0)
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]  # nothing overflows sideways at 375 px
    csrf = await page.locator('meta[name="csrf-token"]').get_attribute("content")
    refused = await page.request.post(
        f"/app/calls/{call['id']}/notes", form={"body": "hi", "csrf_token": csrf or ""}
    )
    assert refused.status == 403

    await page.get_by_text("Menu").click()  # the phone layout folds the navigation away
    menu = page.get_by_role("navigation", name="Main")
    await expect(menu.get_by_role("link", name="Calls")).to_be_visible()
    await menu.get_by_role("link", name="Calls").click()
    await expect(page.locator("table.calls")).to_be_visible()
    assert await page.evaluate("typeof window.pwned") == "undefined"
    await screenshot(page, "calls-phone")
