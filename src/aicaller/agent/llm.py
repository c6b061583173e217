"""The LLM agent: any OpenAI-compatible chat-completions endpoint, with tools.

It streams each completion (so a slow endpoint is noticed by the turn deadline, not by a
socket timeout), runs ``search_knowledge`` itself and turns ``escalate`` / ``transfer_call`` /
``end_call`` into the turn's action, decided by the same hand-over policy as the offline agent
(a transfer only when someone can take it). Any error, timeout or unusable answer falls back to
the offline agent for that turn, so the caller is never left in silence.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field, replace
from typing import Any, cast

import httpx
import openai
from openai import AsyncOpenAI

from aicaller.agent.handover import hand_over
from aicaller.agent.language import classify
from aicaller.agent.offline import OfflineAgent
from aicaller.agent.prompts import (
    END_TOOL,
    ESCALATE_TOOL,
    SEARCH_TOOL,
    TOOLS,
    TRANSFER_TOOL,
    system_prompt,
)
from aicaller.agent.protocol import AgentAction, AgentReply, Intent, TurnContext
from aicaller.agent.speech import plain
from aicaller.businesses.schemas import BusinessConfig
from aicaller.config import Settings
from aicaller.core.logging import get_logger

logger = get_logger(__name__)
SEARCH_LIMIT = 3
PASSAGE_CHARS = 1500
ROLES = {"caller": "user", "agent": "assistant"}
FROM_CONFIG = {Intent.CALLER_HOURS: Intent.HOURS, Intent.CALLER_CONTACT: Intent.CONTACT}


class LlmUnusable(Exception):
    """The endpoint answered with something that cannot be said or done."""


@dataclass
class _ToolCall:
    id: str = ""
    name: str = ""
    arguments: str = ""


@dataclass
class _Turn:
    """What one turn collected over its tool rounds."""

    sources: list[str] = field(default_factory=list)
    searched: bool = False
    found: bool = False
    decision: AgentReply | None = None


class LlmAgent:
    name = "llm"

    def __init__(
        self, settings: Settings, http: httpx.AsyncClient | None, fallback: OfflineAgent
    ) -> None:
        api_key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else "none"
        self._client = AsyncOpenAI(
            base_url=settings.llm_base_url,
            api_key=api_key,
            max_retries=0,  # the turn deadline leaves no time to retry; offline answers instead
            timeout=settings.llm_timeout_seconds,
            # The process's shared pool (the SDK accepts an httpx client as well as httpx2).
            http_client=cast("Any", http),
        )
        self._model = settings.llm_model
        self._timeout = settings.llm_timeout_seconds
        self._rounds = settings.llm_max_tool_rounds
        self._fallback = fallback

    def greet(self, config: BusinessConfig) -> AgentReply:
        return replace(self._fallback.greet(config), agent=self.name)

    async def reply(self, context: TurnContext) -> AgentReply:
        try:
            async with asyncio.timeout(self._timeout):
                return await self._converse(context)
        except (openai.OpenAIError, httpx.HTTPError, TimeoutError, LlmUnusable) as exc:
            logger.warning("llm_fallback", error=type(exc).__name__, detail=str(exc)[:200])
            reply = await self._fallback.reply(context)
            return replace(reply, notes=(*reply.notes, f"llm fallback: {type(exc).__name__}"))

    async def _converse(self, context: TurnContext) -> AgentReply:
        config = context.config
        messages: list[dict[str, Any]] = [
            {"role": "system", "content": system_prompt(config, context.now)}
        ]
        messages.extend(
            {"role": ROLES[turn.speaker], "content": turn.text}
            for turn in context.history
            if turn.speaker in ROLES
        )
        messages.append({"role": "user", "content": context.utterance})
        state = _Turn()
        for _ in range(self._rounds):
            text, calls = await self._complete(config, messages)
            if not calls:
                return self._finish(context, state, text)
            messages.append(
                {
                    "role": "assistant",
                    "content": text or None,
                    "tool_calls": [
                        {
                            "id": call.id,
                            "type": "function",
                            "function": {"name": call.name, "arguments": call.arguments},
                        }
                        for call in calls
                    ],
                }
            )
            for call in calls:
                result = await self._run_tool(context, state, call)
                messages.append({"role": "tool", "tool_call_id": call.id, "content": result})
            if text and state.decision is not None:
                return self._finish(context, state, text)
        raise LlmUnusable(f"no answer after {self._rounds} tool rounds")

    async def _complete(
        self, config: BusinessConfig, messages: list[dict[str, Any]]
    ) -> tuple[str, list[_ToolCall]]:
        stream = await self._client.chat.completions.create(
            model=config.llm_model or self._model,
            messages=cast("Any", messages),
            tools=cast("Any", TOOLS),
            temperature=0.2,
            stream=True,
        )
        text: list[str] = []
        calls: dict[int, _ToolCall] = {}
        async for chunk in stream:
            if not chunk.choices:
                continue
            delta = chunk.choices[0].delta
            if delta.content:
                text.append(delta.content)
            for piece in delta.tool_calls or ():
                call = calls.setdefault(piece.index, _ToolCall())
                call.id = piece.id or call.id
                if piece.function is not None:
                    call.name += piece.function.name or ""
                    call.arguments += piece.function.arguments or ""
        return "".join(text).strip(), [calls[index] for index in sorted(calls)]

    async def _run_tool(self, context: TurnContext, state: _Turn, call: _ToolCall) -> str:
        try:
            arguments = json.loads(call.arguments or "{}")
        except json.JSONDecodeError as exc:
            raise LlmUnusable(f"tool {call.name} got arguments that are not JSON") from exc
        if not isinstance(arguments, dict):
            raise LlmUnusable(f"tool {call.name} got arguments that are not an object")
        reason = str(arguments.get("reason") or "The agent handed the call over")[:500]
        if call.name == SEARCH_TOOL:
            return await self._search(context, state, str(arguments.get("query") or ""))
        if call.name == END_TOOL:
            state.decision = AgentReply("", Intent.GOODBYE, AgentAction.END)
            return "The call will end after your goodbye."
        if call.name in (ESCALATE_TOOL, TRANSFER_TOOL):
            priority = str(arguments.get("priority") or "normal")
            decided = hand_over(context, reason, priority if priority in _PRIORITIES else "normal")
            if call.name == ESCALATE_TOOL and decided.action is AgentAction.TRANSFER:
                decided = replace(decided, action=AgentAction.ESCALATE, intent=Intent.ESCALATE)
            state.decision = decided
            if decided.action is AgentAction.TRANSFER:
                return "Transferring now: tell the caller you are connecting them."
            return "Nobody can take the call now; staff will call back. Tell the caller so."
        raise LlmUnusable(f"unknown tool {call.name!r}")

    async def _search(self, context: TurnContext, state: _Turn, query: str) -> str:
        state.searched = True
        found = await context.knowledge.search(query or context.utterance, SEARCH_LIMIT)
        if not found.hits:
            return "Nothing in the knowledge base matches."
        state.found = True
        passages = []
        for hit in found.hits:
            source = hit.url or f"document:{hit.document_id}"
            if source not in state.sources:
                state.sources.append(source)
            passages.append(f"[{hit.heading_path}]\n{hit.text[:PASSAGE_CHARS]}")
        return "\n\n".join(passages)

    def _finish(self, context: TurnContext, state: _Turn, text: str) -> AgentReply:
        spoken = plain(text)
        if not spoken:
            raise LlmUnusable("the model gave no text to say")
        caller = classify(context.utterance, context.config.emergency_phrases)
        if state.decision is not None:
            return replace(state.decision, text=spoken, caller_intent=caller, agent=self.name)
        if state.found:
            intent = Intent.ANSWER
        elif caller in FROM_CONFIG:
            intent = FROM_CONFIG[caller]
        elif caller is Intent.CALLER_QUESTION:
            intent = Intent.ANSWER if not state.searched else Intent.REPHRASE
        else:
            intent = Intent.COURTESY
        unanswered = context.utterance if state.searched and not state.found else None
        return AgentReply(
            spoken,
            intent,
            sources=tuple(state.sources),
            caller_intent=caller,
            unanswered_question=unanswered,
            agent=self.name,
        )


_PRIORITIES = frozenset({"low", "normal", "high", "urgent"})
