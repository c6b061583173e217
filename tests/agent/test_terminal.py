"""``aicaller call``'s conversation, and the demo clinic answering a newcomer's first call."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI

from aicaller import bootstrap
from aicaller.agent.terminal import CallFailed, Credentials, converse
from tests.factories import Tenant, login


async def test_a_terminal_call_until_the_caller_hangs_up(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    demo = await bootstrap.create_demo(app.state.database, app.state.settings)
    assert demo.knowledge_pages == 5
    lines = iter(
        [
            "how much is teeth whitening?",
            "",
            "where are you located",
            "do you take Aetna insurance",
            "can I pay in installments",
            "/quit",
        ]
    )
    said: list[str] = []

    async def read(prompt: str) -> str | None:
        assert prompt == "You: "
        return next(lines, None)

    ended = await converse(
        client, Credentials(email=demo.email, password=demo.password), read, said.append
    )
    assert ended == "caller_hangup"
    agent = [line for line in said if line.startswith("Agent: ")]
    assert agent[0].startswith("Agent: Thanks for calling Demo Dental Clinic")
    ANY_DECLINE = agent[-1]  # noqa: N806 - its callback time depends on the clock
    assert agent[1:] == [
        # A price question is answered from the price list, not the services page.
        "Agent: In-office teeth whitening costs $350, and a take-home whitening kit costs $250.",
        "Agent: We're at 245 Park Avenue South, New York, third floor.",  # the configuration
        "Agent: Yes. We accept most major dental insurance plans, including Delta Dental, "
        "Cigna, Aetna, MetLife and Guardian.",
        # The prices page says "payment plans", never "installments": declined, not guessed
        # with the payment methods (which do not say whether installments are possible).
        ANY_DECLINE,
    ]
    assert agent[-1].startswith("Agent: I'm sorry, I don't have that information.")
    assert sum(line.startswith("  [from document:") for line in said) == 2
    assert said[-1] == "[you hung up]"


async def test_a_terminal_call_ends_when_the_agent_says_goodbye(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant
) -> None:
    token = await login(client, tenant.emails["agent"], "correct horse battery staple")
    lines = iter(["thanks, bye"])
    said: list[str] = []

    async def read(_prompt: str) -> str | None:
        return next(lines, None)

    assert await converse(client, Credentials(token=token), read, said.append) == "agent_hangup"
    assert said[-1] == "[call ended: agent_hangup]"


async def test_bad_credentials_are_reported(client: httpx.AsyncClient, tenant: Tenant) -> None:
    async def read(_prompt: str) -> str | None:
        return None

    wrong = Credentials(email=tenant.emails["agent"], password="wrong")
    with pytest.raises(CallFailed, match="Incorrect email or password"):
        await converse(client, wrong, read, print)
    with pytest.raises(CallFailed, match="give --token, or --email and --password"):
        await converse(client, Credentials(), read, print)
