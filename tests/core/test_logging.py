"""Redaction: phone numbers are masked and secrets or conversation content never logged."""

from __future__ import annotations

import io
import json
import logging
import sys
import threading
from collections.abc import Iterator

import httpx
import pytest
from fastapi import FastAPI

from aicaller.core.logging import (
    build_formatter,
    configure_logging,
    get_logger,
    mask_phone_numbers,
)
from tests.factories import Tenant

CANARY_PHONE = "+14155550199"
CANARY_PASSWORD = "canary-Pa55word-7731"


@pytest.fixture(params=[True, False], ids=["json", "console"])
def log_output(request: pytest.FixtureRequest) -> Iterator[io.StringIO]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(build_formatter(json=bool(request.param)))
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield stream
    finally:
        root.removeHandler(handler)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("call from +14155550199 now", "call from ***0199 now"),
        ("(415) 555-0199", "***0199"),
        ("+33 1 42 68 53 00", "***5300"),
        ("on 2026-11-26 at 10:30", "on 2026-11-26 at 10:30"),
        ("id 7f1c2a4e-9b1d-4c1e-8f00-123456789012", "id 7f1c2a4e-9b1d-4c1e-8f00-123456789012"),
        ("took 12.5 ms", "took 12.5 ms"),
        ("at 2026-11-26 10:30:00", "at 2026-11-26 10:30:00"),
        ("2026-11-26T04:27:22.712973Z", "2026-11-26T04:27:22.712973Z"),
        ("dial 0142685300.", "dial ***5300."),
        ("to=+1 (415) 555-0199,", "to=***0199,"),
        ("/calls?from=%2B14155550199", "/calls?from=%2B***0199"),
    ],
)
def test_mask_phone_numbers(text: str, expected: str) -> None:
    assert mask_phone_numbers(text) == expected


async def test_canaries_never_reach_the_logs(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant, log_output: io.StringIO
) -> None:
    await client.post(
        "/api/v1/auth/token",
        data={"username": tenant.emails["admin"], "password": CANARY_PASSWORD},
    )
    await client.post(
        "/api/v1/users",
        json={"email": "canary@example.com", "password": CANARY_PASSWORD, "role": "agent"},
        headers=tenant.headers(),
    )
    await client.patch(
        "/api/v1/config", json={"escalation_numbers": [CANARY_PHONE]}, headers=tenant.headers()
    )
    await client.get(f"/api/v1/users?role={CANARY_PHONE}", headers=tenant.headers())

    async def leak() -> None:
        raise ValueError(f"could not dial {CANARY_PHONE}")

    app.add_api_route("/test-only/leak", leak)
    await client.get("/test-only/leak")
    logger = get_logger("test")
    logger.info(
        "direct",
        password=CANARY_PASSWORD,
        authorization=f"Bearer {CANARY_PASSWORD}",
        transcript=f"my number is {CANARY_PHONE}",
        note_body="private",
        caller=CANARY_PHONE,
        nested={"api_key": CANARY_PASSWORD, "to": [CANARY_PHONE]},
    )
    logging.getLogger("stdlib").warning("stdlib says %s", CANARY_PHONE)

    written = log_output.getvalue()
    assert "request" in written
    assert "direct" in written
    assert "***0199" in written  # masked numbers keep their last four digits
    assert CANARY_PHONE not in written
    assert "4155550199" not in written
    assert CANARY_PASSWORD not in written
    assert tenant.tokens["admin"] not in written
    assert "private" not in written


def test_logs_follow_stderr_when_it_is_replaced(monkeypatch: pytest.MonkeyPatch) -> None:
    """A stream swapped out after logging was set up (then closed) must not swallow the lines
    logged afterwards, from any thread: they go to stderr as it is now."""
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    first, second = io.StringIO(), io.StringIO()
    try:
        monkeypatch.setattr(sys, "stderr", first)
        configure_logging(level="INFO", json=True)
        get_logger("tests.stderr").info("before_the_swap")
        monkeypatch.setattr(sys, "stderr", second)
        first.close()
        thread = threading.Thread(target=lambda: get_logger("tests.stderr").info("after_it"))
        thread.start()
        thread.join()
    finally:
        root.handlers[:], _ = saved
        root.setLevel(saved[1])
    assert "Logging error" not in second.getvalue(), second.getvalue()
    events = [json.loads(line)["event"] for line in second.getvalue().splitlines()]
    assert events == ["after_it"]  # the line itself, not logging's report of a failed write
