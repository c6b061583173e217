"""One live server and one chromium per test session; a fresh page (and cookies) per test.

The server is uvicorn on a free port in a thread, serving an app on its own SQLite file (the
browser tests run once, not per backend: what they prove is the page in a browser; the data
paths are covered on both engines by the other console tests). Data is made through the
server's own app, on the server's event loop.
"""

from __future__ import annotations

import asyncio
import os
import socket
import threading
from collections.abc import AsyncIterator, Coroutine, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from playwright.async_api import Browser, BrowserContext, Page, ViewportSize, async_playwright

from aicaller.main import create_app
from tests.factories import PASSWORD, Tenant, make_tenant
from tests.fixtures import make_settings

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = ViewportSize(width=1280, height=900)
PHONE = ViewportSize(width=375, height=740)
SCREENSHOTS = Path(__file__).parents[3] / "docs" / "screenshots"
T = TypeVar("T")

if not os.path.exists(CHROMIUM):  # .ci/run installs it; a bare machine says why it skipped
    pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)", allow_module_level=True)


@dataclass
class LiveServer:
    app: FastAPI
    url: str
    loop: asyncio.AbstractEventLoop

    async def run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        """Run ``coroutine`` on the server's loop (its database engine lives there)."""
        future = asyncio.run_coroutine_threadsafe(coroutine, self.loop)
        return await asyncio.wrap_future(future)

    async def tenant(self, name: str) -> Tenant:
        return await self.run(make_tenant(self.app, name))

    def client(self) -> httpx.AsyncClient:
        """An API client that makes the tests' data. The server shares its process and a busy
        machine with other tests, and how fast it answers is not what these tests check: httpx's
        5-second default once timed out a call being created."""
        return httpx.AsyncClient(base_url=self.url, timeout=60)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    directory = tmp_path_factory.mktemp("browser")
    settings = make_settings(
        directory,
        f"sqlite+aiosqlite:///{directory}/browser.db",
        auto_migrate=True,
        allow_private_urls=True,  # the documentation site of the knowledge flow is local
        knowledge_extract_processes=0,
    )
    app = create_app(settings, configure_logs=False)
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    )
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_until_complete, args=(server.serve(),), daemon=True)
    thread.start()
    for _ in range(600):
        if server.started:
            break
        threading.Event().wait(0.05)
    assert server.started, "the live server did not start"
    try:
        yield LiveServer(app, f"http://127.0.0.1:{port}", loop)
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield chromium
        finally:
            await chromium.close()


@pytest.fixture
async def context(browser: Browser, live_server: LiveServer) -> AsyncIterator[BrowserContext]:
    ctx = await browser.new_context(base_url=live_server.url, viewport=DESKTOP)
    ctx.set_default_timeout(10_000)
    try:
        yield ctx
    finally:
        await ctx.close()


@pytest.fixture
async def page(context: BrowserContext) -> AsyncIterator[Page]:
    tab = await context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    tab.on(
        "console",
        lambda message: (
            errors.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    yield tab
    assert errors == [], errors  # no script error, and nothing of ours refused by the CSP


async def sign_in(page: Page, email: str, password: str = PASSWORD) -> None:
    await page.goto("/")
    await page.get_by_label("Email").fill(email)
    await page.get_by_label("Password").fill(password)
    await page.get_by_role("button", name="Sign in").click()
    await page.wait_for_url("**/app/**")


async def screenshot(page: Page, name: str) -> None:
    """Keep a picture of the page for the README when AICALLER_SCREENSHOTS is set."""
    if os.environ.get("AICALLER_SCREENSHOTS"):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        await page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
