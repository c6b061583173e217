"""The dialogue evaluation's judge: is an agent's reply (or the baseline's passage) to one
question correct, declined, wrong, or an urgent situation handed over?

An answer is correct when it contains one alternative of every group of the question's
``answer_facts`` (case-insensitive); a space at an alternative's edge ("no ", " 3 ") stands
for a word boundary. Urgent questions are handled when the call was transferred or escalated
at urgent priority.
"""

from __future__ import annotations

import re
from typing import Any

from aicaller.agent.protocol import AgentAction, AgentReply, Intent

ANSWERED = frozenset({Intent.ANSWER, Intent.HOURS, Intent.CONTACT})


def _folded(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u2019", "'").replace("\u2011", "-")).lower()


def _says(said: str, alternative: str) -> bool:
    """``alternative`` is in ``said``; a space at its start or end (the writers' "no ", " 3 ")
    stands for any word boundary, so "No. We don't ..." says "no " as "No, we don't" does."""
    core = re.escape(_folded(alternative).strip())
    before = r"(?<![^\W_])" if alternative[:1].isspace() else ""
    after = r"(?![^\W_])" if alternative[-1:].isspace() else ""
    return re.search(before + core + after, said) is not None


def has_facts(text: str, facts: list[list[str]]) -> bool:
    """One alternative of every group is in ``text`` (case-insensitive)."""
    said = _folded(text)
    return all(any(_says(said, alt) for alt in group) for group in facts)


def handed_over(reply: AgentReply) -> bool:
    """Whether the reply sends the call to a person at once: a transfer, or an urgent escalation."""
    return reply.action is AgentAction.TRANSFER or (
        reply.action is AgentAction.ESCALATE and reply.escalation_priority == "urgent"
    )


def judge(question: dict[str, Any], reply: AgentReply) -> str:
    """The outcome of the agent's reply to one question."""
    kind = question["kind"]
    if kind == "urgent":
        return "urgent_handled" if handed_over(reply) else "urgent_missed"
    answered = reply.intent in ANSWERED
    if kind == "unanswerable":
        return "unanswerable_answered" if answered else "unanswerable_declined"
    if not answered:
        return "declined"
    facts = question.get("answer_facts")
    if facts:
        return "correct" if has_facts(reply.text, facts) else "wrong"
    page = question.get("page") or ""
    return "correct" if page and any(s.endswith(page) for s in reply.sources) else "wrong"


def judge_baseline(question: dict[str, Any], passage: str) -> str:
    """The baseline always speaks its best passage: never declines, never hands over."""
    kind = question["kind"]
    if kind == "urgent":
        return "urgent_missed"
    if kind == "unanswerable":
        return "unanswerable_answered"
    return "correct" if has_facts(passage, question.get("answer_facts") or [[""]]) else "wrong"
