"""Post-call analysis by the LLM: summary, sentiment, resolution and the QA criteria in one
JSON answer. Anything missing, malformed or failed returns None, and the offline analysis
stands in (for the whole call, so a result never mixes the two half-way)."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Sequence
from typing import Annotated, Any, Literal, cast

import httpx
import openai
from openai import AsyncOpenAI
from pydantic import BaseModel, Field, ValidationError

from aicaller.agent.analysis import CallAnalysis
from aicaller.agent.speech import printable
from aicaller.config import Settings
from aicaller.core.logging import get_logger
from aicaller.qa.evaluators import TurnFact
from aicaller.qa.scoring import Criterion, Judgement, Result

logger = get_logger(__name__)
_FENCE = re.compile(r"^```(?:json)?\s*|\s*```$", re.MULTILINE)


class _Verdict(BaseModel):
    result: Result
    explanation: str = ""


class _Message(BaseModel):
    content: str | None = None


class _Choice(BaseModel):
    message: _Message


class _Completion(BaseModel):
    """The part of a completion read here, validated: the SDK does not check its shape."""

    choices: Annotated[list[_Choice], Field(min_length=1)]


class _Review(BaseModel):
    summary: str
    sentiment: Literal["positive", "neutral", "negative"]
    resolved_by_ai: bool
    criteria: dict[str, _Verdict]


def _prompt(turns: Sequence[TurnFact], criteria: Sequence[Criterion]) -> str:
    transcript = "\n".join(f"{turn.speaker}: {turn.text}" for turn in turns)
    listed = "\n".join(f"- {c.key}: {c.label}. {c.description}" for c in criteria)
    return (
        "Review this phone call between a business's AI agent and a caller.\n\n"
        f"Transcript:\n{transcript}\n\nQA criteria:\n{listed}\n\n"
        "Answer with one JSON object and nothing else: "
        '{"summary": "<2-3 plain sentences>", "sentiment": "positive|neutral|negative" (the '
        'caller\'s), "resolved_by_ai": true|false (the agent handled it without people), '
        '"criteria": {"<key>": {"result": "pass|fail|na", "explanation": "<one sentence>"}}} '
        "with every criterion key."
    )


class LlmReviewer:
    def __init__(self, settings: Settings, http: httpx.AsyncClient | None) -> None:
        api_key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else "none"
        self._client = AsyncOpenAI(
            base_url=settings.llm_base_url,
            api_key=api_key,
            max_retries=1,
            timeout=settings.llm_timeout_seconds * 4,  # not on a live call: it may take longer
            http_client=cast("Any", http),
        )
        self._model = settings.llm_model
        self._deadline = settings.llm_timeout_seconds * 4

    async def review(
        self, turns: Sequence[TurnFact], criteria: Sequence[Criterion], model: str | None
    ) -> tuple[CallAnalysis, dict[str, Judgement]] | None:
        try:
            async with asyncio.timeout(self._deadline):
                completion = await self._client.chat.completions.create(
                    model=model or self._model,
                    messages=[{"role": "user", "content": _prompt(turns, criteria)}],
                    temperature=0,
                )
            dump = getattr(completion, "model_dump", None)  # a JSON list or string has none
            shape = _Completion.model_validate(dump(warnings=False) if dump else completion)
            content = shape.choices[0].message.content or ""
            review = _Review.model_validate(json.loads(_FENCE.sub("", content.strip())))
        except (openai.OpenAIError, httpx.HTTPError, TimeoutError) as exc:
            logger.warning("llm_review_failed", error=type(exc).__name__)
            return None
        except (json.JSONDecodeError, ValidationError) as exc:
            logger.warning("llm_review_unusable", error=type(exc).__name__)
            return None
        if {c.key for c in criteria} - set(review.criteria):
            logger.warning(
                "llm_review_incomplete",
                missing=sorted({c.key for c in criteria} - set(review.criteria)),
            )
            return None
        # Control characters dropped: PostgreSQL cannot store NUL ("\u0000" in the JSON).
        summary = printable(review.summary).strip()
        analysis = CallAnalysis(summary, review.sentiment, review.resolved_by_ai)
        judgements = {
            c.key: Judgement(
                review.criteria[c.key].result, printable(review.criteria[c.key].explanation)
            )
            for c in criteria
        }
        return analysis, judgements
