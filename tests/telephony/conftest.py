"""Twilio tests: the install's Twilio account, a public URL, and a documentation site on
127.0.0.1 for the agent to answer from (so the SSRF guard's address check is lifted)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from aicaller.config import Settings
from tests.fixtures import backend_settings
from tests.knowledge.conftest import site  # noqa: F401 - the documentation site fixture

ACCOUNT_SID = "AC" + "0123456789abcdef" * 2
AUTH_TOKEN = "f" * 32
PUBLIC_URL = "https://calls.example.com"
FROM_NUMBER = "+14155550199"


@pytest.fixture
async def settings(
    data_dir: Path, backend: str, database_urls: dict[str, str]
) -> AsyncIterator[Settings]:
    async with backend_settings(
        data_dir,
        backend,
        database_urls,
        twilio_account_sid=ACCOUNT_SID,
        twilio_auth_token=AUTH_TOKEN,
        twilio_from_number=FROM_NUMBER,
        public_url=PUBLIC_URL,
        allow_private_urls=True,
        http_retry_base_delay_seconds=0.01,
        knowledge_extract_processes=0,
    ) as values:
        yield values
