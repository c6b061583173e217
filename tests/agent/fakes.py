"""Inputs for agent unit tests: a business configuration and a fixed set of passages.

The agent's rules are tested here without a database; the same rules run against the real
knowledge base (SQLite and PostgreSQL) in test_test_calls.py and the telephony tests.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from aicaller.agent.protocol import KnowledgeAnswer, PastTurn, TurnContext
from aicaller.businesses.schemas import BusinessConfig
from aicaller.knowledge.search.backend import SearchHit
from aicaller.knowledge.search.query import search_terms

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday")
# Tuesday 1 December 2026, 10:30 in New York (15:30 UTC): open; 22:00 that evening: closed.
OPEN_NOW = datetime(2026, 12, 1, 15, 30, tzinfo=UTC)
CLOSED_NOW = datetime(2026, 12, 2, 3, 0, tzinfo=UTC)


def config(**overrides: Any) -> BusinessConfig:
    values: dict[str, Any] = {
        "id": uuid.uuid4(),
        "name": "Bright Smile Dental",
        "timezone": "America/New_York",
        "greeting": "Thanks for calling Bright Smile Dental, how can I help?",
        "business_hours": {
            **{day: [{"open": "09:00", "close": "17:00"}] for day in WEEKDAYS},
            "saturday": [{"open": "10:00", "close": "14:00"}],
        },
        "escalation_numbers": ["+14155550100"],
        "agent_instructions": "",
        "language": "en-US",
        "max_call_duration_seconds": 1800,
        "agent_mode": "offline",
        "llm_model": None,
        "emergency_phrases": ["severe bleeding"],
        "phone_numbers": ["+14155550123"],
        "contact_email": "hello@brightsmile.example",
        "address": "12 Main Street, Springfield",
        "website": "https://brightsmile.example/",
        "twilio_account_sid": None,
        "twilio_auth_token_set": False,
        "updated_at": OPEN_NOW,
    }
    values.update(overrides)
    return BusinessConfig.model_validate(values)


class Passages:
    """A knowledge base of a few passages: a hit is any passage sharing a term."""

    def __init__(self, passages: dict[str, str]) -> None:
        self.passages = passages
        self.questions: list[str] = []

    async def search(self, question: str, limit: int) -> KnowledgeAnswer:
        self.questions.append(question)
        terms = search_terms(question)
        hits = []
        for title, text in self.passages.items():
            shared = sum(term in text.lower() or term in title.lower() for term in terms)
            if shared:
                hits.append((shared, title, text))
        hits.sort(key=lambda item: -item[0])
        return KnowledgeAnswer(
            terms,
            [
                SearchHit(
                    chunk_id=uuid.uuid4(),
                    document_id=uuid.uuid4(),
                    title=title,
                    url=f"https://brightsmile.example/{title.lower().replace(' ', '-')}",
                    heading_path=title,
                    text=text,
                    snippet=text[:80],
                    score=1.0,
                )
                for _, title, text in hits[:limit]
            ],
        )


CLINIC = Passages(
    {
        "Prices": (
            "# Prices\n\nA routine check-up and cleaning costs $120. Whitening starts at $350 "
            "per session.\n\n```\nprice_table = load()\n```\n\nSee https://brightsmile.example/"
            "pricing for the full list."
        ),
        "Insurance": (
            "We accept most major dental insurance plans, including Delta Dental and Cigna. "
            "Bring your insurance card to your first visit."
        ),
        "Cancellations": (
            "Please cancel at least 24 hours before your appointment. Late cancellations are "
            "charged a $40 fee."
        ),
    }
)


def context(
    utterance: str,
    *,
    history: list[PastTurn] | None = None,
    now: datetime = OPEN_NOW,
    knowledge: Passages = CLINIC,
    **overrides: Any,
) -> TurnContext:
    return TurnContext(config(**overrides), history or [], utterance, now, knowledge)
