"""A supervisor on a phone (375 px): works an escalation (acknowledge, assign, resolve with a
note), adds a documentation source and watches its sync reach completion, uploads a document
and finds it with the search box."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from playwright.async_api import Page, expect

from tests.console.browser.conftest import PHONE, LiveServer, screenshot, sign_in
from tests.console.calls_data import make_call
from tests.knowledge.site import DocSite, html


@pytest.fixture
async def docs_site() -> AsyncIterator[DocSite]:
    async with DocSite() as site:
        site.page("/", html("Plumbing help", "Read about prices.", ("/prices",)))
        site.page("/prices", html("Prices", "A boiler service costs ninety pounds."))
        yield site


@pytest.mark.background_syncs
async def test_a_supervisor_works_the_queue_and_the_knowledge_base_on_a_phone(
    page: Page, live_server: LiveServer, docs_site: DocSite
) -> None:
    tenant = await live_server.tenant("Browser Queue")
    async with live_server.client() as api:
        call = await make_call(api, tenant)
        escalated = await api.post(
            f"/api/v1/calls/{call['id']}/escalations",
            json={"reason": "Wants a refund", "priority": "high"},
            headers=tenant.headers(),
        )
        assert escalated.status_code == 201
    await page.set_viewport_size(PHONE)
    await sign_in(page, tenant.emails["supervisor"])
    await page.goto("/app/escalations")
    item = page.locator(".escalation-item").first
    await expect(item).to_contain_text("Wants a refund")
    await item.get_by_role("button", name="Acknowledge").click()
    await expect(item).to_contain_text("acknowledged")
    await item.get_by_role("button", name="Assign to me").click()
    await expect(item).to_contain_text("assigned to you")
    await screenshot(page, "escalations-phone")
    await item.get_by_label("Resolution note").fill("Refund sent by post")
    await item.get_by_role("button", name="Resolve").click()
    await expect(item).to_contain_text("Resolution: Refund sent by post")
    await expect(item.get_by_role("button", name="Resolve")).to_have_count(0)

    await page.goto("/app/knowledge")
    await page.get_by_text("Add a documentation source").click()
    await page.get_by_label("Start URL").fill(docs_site.url("/"))
    await page.get_by_label("Name").fill("Plumbing help")
    await page.get_by_role("button", name="Add source").click()
    await page.locator("#sources").get_by_role("button", name="Sync now").click()
    await expect(page.locator("#sync-progress .badge")).to_have_text("completed", timeout=20_000)
    await expect(page.locator("#sync-progress")).to_contain_text("Indexed")
    await screenshot(page, "sync-phone")

    await page.goto("/app/knowledge")
    await page.get_by_label("Document (txt, md, html, pdf, docx)").set_input_files(
        {"name": "parking.md", "mimeType": "text/markdown",
         "buffer": b"# Parking\n\nPark behind the shop; the gate code is 1234."}
    )  # fmt: skip
    hostile_title = 'Parking <img src="x" onerror="window.pwned = 1">'
    await page.get_by_label("Title (optional)").fill(hostile_title)
    await page.get_by_role("button", name="Upload").click()
    await expect(page.locator("#documents")).to_contain_text(hostile_title)  # as text
    assert await page.evaluate("typeof window.pwned") == "undefined"
    await page.get_by_label("Question").fill("where can I park")
    await page.get_by_role("button", name="Search").click()
    await expect(page.locator(".results")).to_contain_text("Parking")
    await page.get_by_label("Question").fill("how much is a boiler service")
    await page.get_by_role("button", name="Search").click()
    await expect(page.locator(".results")).to_contain_text("Prices")
    await screenshot(page, "knowledge-phone")
