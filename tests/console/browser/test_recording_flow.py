"""The call page's audio player in Chromium: the recording loads through the session cookie
(its duration is known), and a viewer of another business cannot fetch it."""

from __future__ import annotations

import math
import uuid

from playwright.async_api import Browser, Page, expect

from tests.console.browser.conftest import DESKTOP, LiveServer, screenshot, sign_in
from tests.console.calls_data import make_call

RATE = 16_000


async def test_a_viewer_plays_the_recording_and_another_business_cannot(
    page: Page, browser: Browser, live_server: LiveServer
) -> None:
    tenant = await live_server.tenant("Browser Recording")
    async with live_server.client() as api:
        call_id = (await make_call(api, tenant, summary="Recorded call"))["id"]
    writer = live_server.app.state.recordings.writer(tenant.business_id, uuid.UUID(call_id), RATE)
    tone = [int(8000 * math.sin(2 * math.pi * 440 * i / RATE)) for i in range(RATE * 2)]
    writer.append(b"".join(sample.to_bytes(2, "little", signed=True) for sample in tone))
    writer.finish()

    await sign_in(page, tenant.emails["viewer"])
    await page.goto(f"/app/calls/{call_id}")
    player = page.locator("audio")
    await expect(player).to_have_attribute("src", f"/app/calls/{call_id}/recording")
    await page.wait_for_function(
        "document.querySelector('audio').readyState >= 1"  # HAVE_METADATA
    )
    duration = await player.evaluate("audio => audio.duration")
    assert 1.9 < duration < 2.1, duration
    await screenshot(page, "call-recording")

    stranger = await live_server.tenant("Browser Elsewhere")
    other = await browser.new_context(base_url=live_server.url, viewport=DESKTOP)
    try:
        other_page = await other.new_page()
        await sign_in(other_page, stranger.emails["viewer"])
        refused = await other_page.request.get(f"/app/calls/{call_id}/recording")
        assert refused.status == 404
        mine = await page.request.get(f"/app/calls/{call_id}/recording")
        assert (mine.status, mine.headers["content-type"]) == (200, "audio/wav")
    finally:
        await other.close()
