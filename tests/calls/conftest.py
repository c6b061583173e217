"""Fixtures shared by the calls tests."""

from __future__ import annotations

import pytest
from fastapi import FastAPI

from aicaller.core.cache import AppCache


@pytest.fixture
def cleared_tags(app: FastAPI, monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, ...]]:
    """Every ``delete_tags`` call the app's cache receives during the test, in order."""
    cleared: list[tuple[str, ...]] = []
    cache: AppCache = app.state.cache
    original = cache.delete_tags

    async def spy(*tags: str) -> None:
        cleared.append(tags)
        await original(*tags)

    monkeypatch.setattr(cache, "delete_tags", spy)
    return cleared
