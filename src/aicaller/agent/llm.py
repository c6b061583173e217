"""The LLM agent: any OpenAI-compatible chat-completions endpoint, with tools.

It streams each completion (so a slow endpoint is noticed by the turn deadline, not by a
socket timeout), runs ``search_knowledge`` itself and turns ``escalate`` / ``transfer_call`` /
``end_call`` into the turn's action, decided by the same hand-over policy as the offline agent
(a transfer only when someone can take it). Any error, timeout or unusable answer falls back to
the offline agent for that turn, so the caller is never left in silence.

Every turn is bounded by settings (docs/operations.md): its deadline, tool rounds, tool calls
per round, the reply's tokens and characters, and the past turns sent. When one round asks
for conflicting actions, a person comes first: ``transfer_call`` beats ``escalate`` beats
``end_call``, whatever their order (the model is told which one was not done).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field, replace
from typing import Any, cast

import httpx
import openai
from openai import AsyncOpenAI

from aicaller.agent.handover import hand_over
from aicaller.agent.language import classify
from aicaller.agent.llm_guard import without_unverified
from aicaller.agent.llm_stream import (
    Completion,
    LlmUnusable,
    ToolCall,
    read_completion,
    tool_arguments,
)
from aicaller.agent.offline import ASKING, OfflineAgent
from aicaller.agent.prompts import (
    END_TOOL,
    ESCALATE_TOOL,
    SEARCH_TOOL,
    TOOLS,
    TRANSFER_TOOL,
    history_messages,
    passages_message,
    system_prompt,
)
from aicaller.agent.protocol import AgentAction, AgentReply, Intent, TurnContext
from aicaller.agent.speech import clip, plain, printable
from aicaller.agent.urgency_likeness import sounds_urgent
from aicaller.businesses.schemas import BusinessConfig
from aicaller.config import Settings
from aicaller.core.logging import get_logger

logger = get_logger(__name__)
SEARCH_LIMIT = 3
PASSAGE_CHARS = 1500
URGENT = Intent.CALLER_EMERGENCY
FROM_CONFIG = {Intent.CALLER_HOURS: Intent.HOURS, Intent.CALLER_CONTACT: Intent.CONTACT}
# Which action wins when a round asks for several: a person first.
PRECEDENCE = {TRANSFER_TOOL: 3, ESCALATE_TOOL: 2, END_TOOL: 1}
PROVIDER_ERRORS = (openai.OpenAIError, httpx.HTTPError, TimeoutError, LlmUnusable)


@dataclass
class _Turn:
    """What one turn collected over its tool rounds."""

    sources: list[str] = field(default_factory=list)
    searched: bool = False
    found: bool = False
    evidence: list[str] = field(default_factory=list)  # the passages the model was given
    decision: AgentReply | None = None
    decided_by: str | None = None  # the tool that made the decision
    notes: list[str] = field(default_factory=list)


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
        self._calls_per_round = settings.llm_max_tool_calls
        self._max_tokens = settings.llm_max_reply_tokens
        self._max_chars = settings.llm_max_reply_chars
        self._history = settings.llm_history_turns
        self._fallback = fallback

    def greet(self, config: BusinessConfig) -> AgentReply:
        return replace(self._fallback.greet(config), agent=self.name)

    async def reply(self, context: TurnContext) -> AgentReply:
        config = context.config
        caller = classify(context.utterance, config.emergency_phrases, config.trade)
        likeness = caller in ASKING and await sounds_urgent(context.knowledge, context.utterance)
        if caller is URGENT or likeness:
            # The same rules as the offline agent, at once: safety first, never a model's delay.
            reply = await self._fallback.reply(context)
            why = "urgent: by likeness" if likeness else "urgent: by the rules"
            return replace(reply, agent=self.name, notes=(*reply.notes, why))
        try:
            async with asyncio.timeout(self._timeout):
                return await self._converse(context)
        except PROVIDER_ERRORS as exc:
            logger.warning("llm_fallback", error=type(exc).__name__, detail=str(exc)[:200])
            why = type(exc).__name__
        except Exception as exc:
            # A provider answer nobody foresaw must not leave a live caller in silence (the
            # turn would be a 500); logged with its traceback so it gets looked at.
            logger.exception(
                "llm_fallback_unexpected", error=type(exc).__name__, detail=str(exc)[:200]
            )
            why = f"unexpected {type(exc).__name__}"
        reply = await self._fallback.reply(context)
        return replace(reply, notes=(*reply.notes, f"llm fallback: {why}"))

    async def _converse(self, context: TurnContext) -> AgentReply:
        config = context.config
        history, left_out = history_messages(context.history, self._history)
        messages: list[dict[str, Any]] = [
            {"role": "system", "content": system_prompt(config, context.now, left_out=left_out)},
            *history,
            {"role": "user", "content": context.utterance},
        ]
        state = _Turn()
        for _ in range(self._rounds):
            answer = await self._complete(config, messages)
            text, calls = answer.text, answer.calls
            if answer.finish_reason == "length" and text:
                state.notes.append("reply cut by max_tokens")
                text = clip(text, len(text), whole_sentences=True)
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
            results = await self._run_round(context, state, calls)
            messages.extend(
                {"role": "tool", "tool_call_id": call.id, "content": result}
                for call, result in zip(calls, results, strict=True)
            )
            if text and state.decision is not None:
                return self._finish(context, state, text)
        raise LlmUnusable(f"no answer after {self._rounds} tool rounds")

    async def _complete(self, config: BusinessConfig, messages: list[dict[str, Any]]) -> Completion:
        stream = await self._client.chat.completions.create(
            model=config.llm_model or self._model,
            messages=cast("Any", messages),
            tools=cast("Any", TOOLS),
            temperature=0.2,
            max_tokens=self._max_tokens,
            stream=True,
        )
        return await read_completion(stream)

    async def _run_round(
        self, context: TurnContext, state: _Turn, calls: list[ToolCall]
    ) -> list[str]:
        """Each call's result, in order: searches run (up to the limit per round), and of the
        actions asked for (in this round or an earlier one) only the first by precedence."""
        limit = self._calls_per_round
        # Every call needs an answer, or the next request is refused.
        results = [f"Not run: at most {limit} tool calls per turn. Use fewer."] * len(calls)
        if len(calls) > limit:
            state.notes.append(f"{len(calls) - limit} tool calls not run")
            logger.info("llm_tool_calls_capped", asked=len(calls), limit=limit)
        actions: list[tuple[int, str, dict[str, Any]]] = []
        for position, call in enumerate(calls[:limit]):
            arguments = tool_arguments(call)
            if call.name == SEARCH_TOOL:
                query = printable(str(arguments.get("query") or ""))
                results[position] = await self._search(context, state, query)
            elif call.name in PRECEDENCE:
                actions.append((position, call.name, arguments))
            else:
                raise LlmUnusable(f"unknown tool {call.name!r}")
        if not actions:
            return results
        position, name, arguments = min(actions, key=lambda a: (-PRECEDENCE[a[1]], a[0]))
        if state.decided_by is None or PRECEDENCE[name] > PRECEDENCE[state.decided_by]:
            if state.decided_by is not None:
                self._overruled(state, state.decided_by, name)
            results[position] = self._decide(context, state, name, arguments)
            actions.remove((position, name, arguments))
        for position, dropped, _ in actions:
            results[position] = self._overruled(state, dropped, state.decided_by or name)
        return results

    def _decide(
        self, context: TurnContext, state: _Turn, name: str, arguments: dict[str, Any]
    ) -> str:
        state.decided_by = name
        if name == END_TOOL:
            state.decision = AgentReply("", Intent.GOODBYE, AgentAction.END)
            return "The call will end after your goodbye."
        reason = printable(str(arguments.get("reason") or ""))[:500]
        priority = str(arguments.get("priority") or "normal")
        decided = hand_over(
            context,
            reason or "The agent handed the call over",
            priority if priority in _PRIORITIES else "normal",
        )
        if name == ESCALATE_TOOL and decided.action is AgentAction.TRANSFER:
            decided = replace(decided, action=AgentAction.ESCALATE, intent=Intent.ESCALATE)
        state.decision = decided
        if decided.action is AgentAction.TRANSFER:
            return "Transferring now: tell the caller you are connecting them."
        return "Nobody can take the call now; staff will call back. Tell the caller so."

    @staticmethod
    def _overruled(state: _Turn, dropped: str, kept: str) -> str:
        """Record that ``dropped`` gave way to the action that comes first (a person first)."""
        if kept == dropped:
            return "Already done."
        state.notes.append(f"{dropped} not done: {kept} comes first")
        logger.info("llm_conflicting_actions", kept=kept, dropped=dropped)
        return f"Not done: {kept} comes first. Say only what fits it."

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
            passages.append((source, hit.heading_path, hit.text[:PASSAGE_CHARS]))
            state.evidence.append(hit.text[:PASSAGE_CHARS])
        return passages_message(passages)

    def _finish(self, context: TurnContext, state: _Turn, text: str) -> AgentReply:
        spoken, dropped = without_unverified(plain(text), context.config, state.evidence)
        if dropped:
            state.notes.append(f"not said, in no passage or setting: {', '.join(dropped)}")
            logger.warning("llm_unverified_contact", dropped=dropped[:5])
        if not spoken:
            raise LlmUnusable("the model gave no text to say")
        if len(spoken) > self._max_chars:
            spoken = clip(spoken, self._max_chars)
            state.notes.append("reply shortened")
        config, utterance = context.config, context.utterance
        caller = classify(utterance, config.emergency_phrases, config.trade)
        notes = tuple(state.notes)
        question = caller is Intent.CALLER_QUESTION
        if state.decision is not None:
            decided = state.decision
            if question and state.decided_by == ESCALATE_TOOL:
                # A callback for a question the knowledge did not answer: a decline and a gap.
                decided = replace(decided, intent=Intent.DECLINE, unanswered_question=utterance)
            return replace(decided, text=spoken, caller_intent=caller, agent=self.name, notes=notes)
        if state.found:
            intent = Intent.ANSWER
        elif caller in FROM_CONFIG:
            intent = FROM_CONFIG[caller]
        elif question:
            # Without a search nothing grounds the reply: never recorded as an answer, a gap.
            intent = Intent.DECLINE if state.searched else Intent.COURTESY
        else:
            intent = Intent.COURTESY
        unanswered = utterance if question and not state.found else None
        return AgentReply(
            spoken,
            intent,
            sources=tuple(state.sources),
            caller_intent=caller,
            unanswered_question=unanswered,
            agent=self.name,
            notes=notes,
        )


_PRIORITIES = frozenset({"low", "normal", "high", "urgent"})
