"""``aicaller call``: hold a test call with a running server from the terminal.

A client of the public API like any other (sign in, ``POST /calls/test``, then one ``POST
/calls/{id}/messages`` per line typed), so it shows exactly what the API gives integrators.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx

QUIT = frozenset({"/quit", "/exit", "/hangup"})
Read = Callable[[str], Awaitable[str | None]]  # prompt -> a line, or None at end of input
Write = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class Credentials:
    token: str | None = None
    email: str | None = None
    password: str | None = None


class CallFailed(Exception):
    """The server refused a step; the message says why (from its problem response)."""


def _problem(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return f"HTTP {response.status_code}"
    return str(body.get("detail") or body.get("title") or f"HTTP {response.status_code}")


async def _checked(response: Awaitable[httpx.Response], expected: int = 200) -> dict[str, Any]:
    answer = await response
    if answer.status_code != expected:
        raise CallFailed(_problem(answer))
    body: dict[str, Any] = answer.json()
    return body


def make_client(base_url: str) -> httpx.AsyncClient:
    return httpx.AsyncClient(base_url=base_url, timeout=30.0)


async def sign_in(client: httpx.AsyncClient, credentials: Credentials) -> dict[str, str]:
    if credentials.token:
        return {"Authorization": f"Bearer {credentials.token}"}
    if not (credentials.email and credentials.password):
        raise CallFailed("give --token, or --email and --password")
    body = await _checked(
        client.post(
            "/api/v1/auth/token",
            data={"username": credentials.email, "password": credentials.password},
        )
    )
    return {"Authorization": f"Bearer {body['access_token']}"}


def _describe(reply: dict[str, Any], turn: dict[str, Any]) -> list[str]:
    lines = [f"Agent: {reply['text']}"]
    if reply["action"] == "transfer":
        system = [t["text"] for t in turn["turns"] if t["speaker"] == "system"]
        lines.append(f"  [{system[-1] if system else 'transferred'}]")
    elif reply["action"] == "escalate":
        lines.append("  [escalation filed for the team]")
    if reply["sources"]:
        lines.append(f"  [from {', '.join(reply['sources'])}]")
    return lines


async def converse(
    client: httpx.AsyncClient, credentials: Credentials, read: Read, write: Write
) -> str:
    """Run one test call until it ends or the input does; returns how it ended."""
    headers = await sign_in(client, credentials)
    started = await _checked(client.post("/api/v1/calls/test", json={}, headers=headers), 201)
    call_id = started["call"]["id"]
    write(f"Connected (test call {call_id}). Type /quit to hang up.")
    write(f"Agent: {started['greeting']['text']}")
    while True:
        line = await read("You: ")
        if line is None or line.strip() in QUIT:
            ended = await _checked(
                client.post(
                    f"/api/v1/calls/{call_id}/end",
                    json={"end_reason": "caller_hangup"},
                    headers=headers,
                )
            )
            write("[you hung up]")
            return str(ended["end_reason"])
        if not line.strip():
            continue
        turn = await _checked(
            client.post(f"/api/v1/calls/{call_id}/messages", json={"text": line}, headers=headers)
        )
        for text in _describe(turn["reply"], turn):
            write(text)
        if turn["status"] != "in_progress":
            write(f"[call ended: {turn['end_reason']}]")
            return str(turn["end_reason"])
