"""What a long call sends to the LLM: the size of each turn's request, windowed and whole.

A call of ``--turns`` caller turns is held by the LLM agent against an in-process
OpenAI-compatible endpoint (httpx's MockTransport: no network, no model) that answers every
request with a reply of ``--reply-words`` words. Each turn's request is measured (messages and
characters of the JSON body). The same call is run twice: with the history window of the
default settings (``AICALLER_LLM_HISTORY_TURNS``, 12, plus the call's first two turns) and with
a window larger than the call, which sends the whole transcript as the agent did before the
window existed (the baseline). Sizes are deterministic: one run each is enough.

    .venv/bin/python benchmarks/llm_history.py [--turns 40] [--reply-words 40]
"""

from __future__ import annotations

import argparse
import asyncio
import json
from datetime import UTC, datetime
from typing import Any

import httpx

from aicaller.agent.llm import LlmAgent
from aicaller.agent.offline import OfflineAgent
from aicaller.agent.protocol import KnowledgeAnswer, PastTurn, TurnContext
from aicaller.businesses.schemas import BusinessConfig
from aicaller.config import Settings

NOW = datetime(2026, 12, 1, 15, 30, tzinfo=UTC)


class NoKnowledge:
    async def search(self, question: str, limit: int) -> KnowledgeAnswer:
        return KnowledgeAnswer([], [])


def _config() -> BusinessConfig:
    return BusinessConfig.model_validate(
        {
            "id": "00000000-0000-0000-0000-000000000001", "name": "Bright Smile Dental",
            "timezone": "America/New_York", "greeting": "Thanks for calling, how can I help?",
            "business_hours": {}, "escalation_numbers": [], "agent_instructions": "",
            "language": "en-US", "max_call_duration_seconds": 1800, "agent_mode": "llm",
            "llm_model": None, "emergency_phrases": [], "phone_numbers": [],
            "contact_email": None, "address": None, "website": None,
            "twilio_account_sid": None, "twilio_auth_token_set": False, "updated_at": NOW,
        }
    )  # fmt: skip


def _stream(text: str) -> bytes:
    def event(delta: dict[str, Any], finish: str | None = None) -> bytes:
        choice = {"index": 0, "delta": delta, "finish_reason": finish}
        body = {"id": "b", "object": "chat.completion.chunk", "created": 0, "model": "m"}
        return b"data: " + json.dumps({**body, "choices": [choice]}).encode() + b"\n\n"

    return event({"content": text}) + event({}, "stop") + b"data: [DONE]\n\n"


async def one_call(turns: int, reply_words: int, window: int) -> list[tuple[int, int]]:
    """(messages, characters) of every turn's request."""
    sizes: list[tuple[int, int]] = []
    reply = " ".join(["word"] * (reply_words - 1)) + " end."

    def answer(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        sizes.append((len(body["messages"]), len(request.content)))
        headers = {"Content-Type": "text/event-stream"}
        return httpx.Response(200, headers=headers, content=_stream(reply))

    settings = Settings(
        llm_base_url="http://llm.invalid/v1", llm_history_turns=window, llm_max_reply_chars=5000
    )
    async with httpx.AsyncClient(transport=httpx.MockTransport(answer)) as http:
        agent = LlmAgent(settings, http, OfflineAgent())
        history: list[PastTurn] = [PastTurn("agent", "Thanks for calling, how can I help?")]
        for turn in range(turns):
            said = f"Question number {turn}: can you tell me more about your services please?"
            context = TurnContext(_config(), list(history), said, NOW, NoKnowledge())
            answered = await agent.reply(context)
            history += [PastTurn("caller", said), PastTurn("agent", answered.text)]
    return sizes


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--turns", type=int, default=40)
    parser.add_argument("--reply-words", type=int, default=40)
    args = parser.parse_args()
    default = Settings().llm_history_turns
    runs = {
        f"window ({default} + first 2 turns)": await one_call(
            args.turns, args.reply_words, default
        ),
        "whole transcript (baseline)": await one_call(args.turns, args.reply_words, 200),
    }
    print(f"A call of {args.turns} caller turns, replies of {args.reply_words} words")
    print(f"{'history sent':36} {'last msgs':>9} {'last chars':>10} {'all chars':>10}")
    for name, sizes in runs.items():
        messages, chars = sizes[-1]
        total = sum(size for _, size in sizes)
        print(f"{name:36} {messages:>9} {chars:>10,} {total:>10,}")


if __name__ == "__main__":
    asyncio.run(main())
