"""A text test call in the browser, followed live from the Live page in a second tab."""

from __future__ import annotations

from playwright.async_api import BrowserContext, Page, expect

from tests.console.browser.conftest import PHONE, LiveServer, screenshot, sign_in


async def test_a_test_call_is_held_and_followed_live(
    page: Page, context: BrowserContext, live_server: LiveServer
) -> None:
    tenant = await live_server.tenant("Browser Live")
    await sign_in(page, tenant.emails["supervisor"])
    await page.get_by_role("navigation", name="Main").get_by_role("link", name="Test call").click()
    await page.get_by_role("button", name="Start a test call").click()
    conversation = page.locator("#conversation")
    await expect(conversation.locator(".turn.agent")).to_have_count(1)  # the greeting

    watcher = await context.new_page()
    await watcher.set_viewport_size(PHONE)
    await watcher.goto("/app/live")
    live = watcher.locator("[data-live-events]")
    await expect(live.locator(".turn.agent")).to_have_count(1)
    await expect(watcher.locator("[data-live-status]")).to_have_text("live")

    await page.get_by_label("You say").fill("What are your opening hours?")
    await page.get_by_role("button", name="Send").click()
    # No reload: the caller's turn and the agent's answer arrive over the event stream.
    await expect(conversation.locator(".turn.caller")).to_contain_text(
        "What are your opening hours?"
    )
    await expect(conversation.locator(".turn.agent")).to_have_count(2)
    await expect(conversation.locator(".turn.agent .tag").last).not_to_be_empty()
    await expect(page.get_by_label("You say")).to_have_value("")
    await expect(live.locator(".turn.caller")).to_contain_text("What are your opening hours?")
    await screenshot(page, "test-call")
    await screenshot(watcher, "live-phone")

    await page.get_by_role("button", name="Hang up").click()
    await expect(page.get_by_role("button", name="Start another test call")).to_be_visible()
    await expect(watcher.locator("[data-live-status]")).to_contain_text("ended")
