"""The Live page with more calls in progress than it streams: the newest four follow their
transcripts live (a browser opens at most six connections to a site over HTTP/1.1, and each
stream holds one), the others offer to be opened, and the page stays usable meanwhile."""

from __future__ import annotations

from playwright.async_api import Page, expect

from tests.agent.clinic import say, start_call
from tests.console.browser.conftest import LiveServer, screenshot, sign_in

CALLS = 7


async def test_the_live_page_follows_four_of_seven_calls_and_opens_any(
    page: Page, live_server: LiveServer
) -> None:
    tenant = await live_server.tenant("Browser Busy Line")
    async with live_server.client() as api:
        started = [(await start_call(api, tenant))["call"]["id"] for _ in range(CALLS)]
        newest_first = started[::-1]
        await sign_in(page, tenant.emails["supervisor"])
        await page.goto("/app/live")
        streams = page.locator("[data-live-events]")
        await expect(page.locator(".live-grid > section")).to_have_count(CALLS)
        await expect(streams).to_have_count(4)
        for index in range(4):
            await expect(streams.nth(index).locator(".turn.agent")).to_have_count(1)
        await expect(page.locator("[data-live-status]")).to_have_text(["live"] * 4)

        # Turns of two streamed calls arrive on the open page, each in its own transcript.
        await say(api, tenant, newest_first[0], "What are your opening hours?")
        await say(api, tenant, newest_first[3], "Can I book a cleaning?")
        await expect(streams.nth(0).locator(".turn.caller p")).to_have_text(
            "What are your opening hours?"
        )
        await expect(streams.nth(3).locator(".turn.caller p")).to_have_text(
            "Can I book a cleaning?"
        )
        await expect(streams.nth(1).locator(".turn.caller")).to_have_count(0)
        await screenshot(page, "live-many")

        # With four streams open, a call that is not streamed still opens at once.
        oldest = page.locator(f'a[href="/app/calls/{newest_first[-1]}"]')
        await oldest.click()
        await expect(page).to_have_url(f"{live_server.url}/app/calls/{newest_first[-1]}")
        await expect(page.locator("[data-live-status]")).to_have_text("live")
