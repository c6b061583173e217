"""A test call spoken in Chromium: the page records the microphone (a fake device playing
synthesised speech), the agent hears it and answers aloud, and the transcript grows live."""

from __future__ import annotations

import re
import wave
from collections.abc import AsyncIterator
from pathlib import Path

import numpy as np
import pytest
from playwright.async_api import Browser, BrowserContext, async_playwright, expect

from aicaller.voice.speech.espeak import EspeakEngine
from tests.agent.clinic import set_up_clinic
from tests.console.browser.conftest import (
    CHROMIUM,
    CHROMIUM_ARGS,
    DESKTOP,
    LiveServer,
    screenshot,
    sign_in,
)
from tests.voice.conftest import SHORT_GREETING


def _speech_wav(path: Path, text: str) -> Path:
    """``text`` spoken by eSpeak NG, after silence while the greeting plays and before more
    silence (the end of the caller's turn), as the fake microphone's file."""
    engine = EspeakEngine.shared()
    speech = np.frombuffer(engine.synthesize(text, rate=150), dtype=np.int16)
    lead, tail = (
        np.zeros(engine.sample_rate * 3, np.int16),
        np.zeros(engine.sample_rate * 4, np.int16),
    )
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(engine.sample_rate)
        out.writeframes(np.concatenate([lead, speech, tail]).tobytes())
    return path


@pytest.fixture(scope="module")
async def microphone_browser(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Browser]:
    wav = _speech_wav(
        tmp_path_factory.mktemp("voice") / "caller.wav", "What are your opening hours?"
    )
    fake_media = [
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-audio-capture={wav}%noloop",
        "--autoplay-policy=no-user-gesture-required",
    ]
    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS + fake_media, headless=True
        )
        try:
            yield chromium
        finally:
            await chromium.close()


@pytest.fixture
async def microphone_context(
    microphone_browser: Browser, live_server: LiveServer
) -> AsyncIterator[BrowserContext]:
    context = await microphone_browser.new_context(
        base_url=live_server.url, viewport=DESKTOP, permissions=["microphone"]
    )
    context.set_default_timeout(10_000)
    try:
        yield context
    finally:
        await context.close()


async def test_a_test_call_spoken_through_the_microphone(
    microphone_context: BrowserContext, live_server: LiveServer
) -> None:
    tenant = await live_server.tenant("Browser Voice")
    async with live_server.client() as api:
        await set_up_clinic(api, tenant, greeting=SHORT_GREETING)
    page = await microphone_context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda m: errors.append(m.text) if "Content Security" in m.text else None)
    await sign_in(page, tenant.emails["agent"])
    await page.goto("/app/test-call")
    await page.get_by_role("button", name="Start a test call").click()
    conversation = page.locator("#conversation")
    await expect(conversation.locator(".turn.agent")).to_have_count(1)  # the greeting, typed

    await page.get_by_role("button", name="Talk with the microphone").click()
    panel = page.locator("[data-voice-socket]")
    await expect(panel).to_have_attribute("data-voice", "open")
    # The agent speaks (its greeting first), the browser plays it.
    await expect(panel).to_have_attribute(
        "data-voice-received", re.compile(r"\d{4,}"), timeout=20_000
    )
    # What the fake microphone said became the caller's turn, and the agent answered it.
    await expect(conversation.locator(".turn.caller")).to_have_count(1, timeout=40_000)
    await expect(conversation.locator(".turn.agent")).to_have_count(2, timeout=30_000)
    await screenshot(page, "test-call-microphone")

    await page.get_by_role("button", name="End the spoken call").click()
    await expect(panel).to_have_attribute("data-voice", "closed", timeout=15_000)
    await expect(page.locator("[data-live-status]")).to_contain_text("ended", timeout=15_000)
    assert errors == [], errors
