"""The agent tests' local OpenAI-compatible server: one for the run, reset for each test, so
every test with the same LLM settings shares one app (its URL is part of the settings)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.agent.openai_peer import OpenAIPeer


@pytest.fixture(scope="session")
async def peer_server() -> AsyncIterator[OpenAIPeer]:
    async with OpenAIPeer() as server:
        yield server


@pytest.fixture
def peer(peer_server: OpenAIPeer) -> OpenAIPeer:
    peer_server.reset()
    return peer_server
