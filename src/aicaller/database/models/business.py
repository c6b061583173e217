"""The business: the tenant, with the configuration its agent runs on."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from aicaller.database.base import Base

DEFAULT_GREETING = "Hello, thanks for calling. How can I help you today?"


class Business(Base):
    __tablename__ = "businesses"

    name: Mapped[str] = mapped_column(String(200))
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    greeting: Mapped[str] = mapped_column(Text, default=DEFAULT_GREETING)
    # {"monday": [{"open": "09:00", "close": "17:00"}], ...}; a missing day means closed.
    business_hours: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    escalation_numbers: Mapped[list[str]] = mapped_column(JSON, default=list)
    agent_instructions: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str] = mapped_column(String(35), default="en-US")
    max_call_duration_seconds: Mapped[int] = mapped_column(default=1800)
    # Bumped whenever the business's knowledge changes: cached search results carry it in their
    # key, so a change makes every older cached result unreachable at once.
    knowledge_version: Mapped[int] = mapped_column(default=0)

    # The conversation agent: "offline" (deterministic, no network) or "llm" (the configured
    # OpenAI-compatible endpoint, with the offline agent as its fallback).
    agent_mode: Mapped[str] = mapped_column(String(16), default="offline")
    llm_model: Mapped[str | None] = mapped_column(String(200), default=None)
    # Phrases that make the agent hand the call to a person at once ("gas leak", ...).
    emergency_phrases: Mapped[list[str]] = mapped_column(JSON, default=list)
    # What the business does ("plumbing_hvac", "veterinary", ...): picks the urgent situations
    # the agent recognises without any configuration (aicaller.agent.urgency).
    trade: Mapped[str] = mapped_column(String(32), default="general")
    # Said to a caller in an urgent situation before the hand-over ("turn off the gas at ...").
    safety_instructions: Mapped[str] = mapped_column(Text, default="")
    # What the agent tells callers who ask how to reach the business.
    contact_email: Mapped[str | None] = mapped_column(String(254), default=None)
    address: Mapped[str | None] = mapped_column(Text, default=None)
    website: Mapped[str | None] = mapped_column(String(500), default=None)
    # Twilio credentials of this business (else the install's); the token is encrypted at rest.
    twilio_account_sid: Mapped[str | None] = mapped_column(String(64), default=None)
    twilio_auth_token_encrypted: Mapped[str | None] = mapped_column(Text, default=None)
    # Phone calls: "stream" (Twilio Media Streams on the real-time pipeline) or "gather"
    # (Twilio recognises and speaks each turn); the caller silence before a prompt; the key
    # that asks for a person.
    voice_transport: Mapped[str] = mapped_column(String(16), default="stream")
    voice_silence_seconds: Mapped[int] = mapped_column(default=8)
    voice_dtmf_digit: Mapped[str] = mapped_column(String(1), default="0")
    # What ends a caller's turn: "vad" (a pause) or "smart_turn" (a model judges each pause).
    turn_detection: Mapped[str] = mapped_column(String(16), default="vad")
    # Streamed calls recorded (mixed audio, in the recording store), with a line said before
    # the greeting, and removed after so many days (None: kept until the call is deleted).
    recording_enabled: Mapped[bool] = mapped_column(default=False)
    recording_consent: Mapped[str | None] = mapped_column(Text, default=None)
    recording_retention_days: Mapped[int | None] = mapped_column(default=None)
    # Speech: the recogniser ("offline" PocketSphinx, "openai", "deepgram") and the voice
    # ("offline" eSpeak NG, "piper", "openai", "cartesia") are chosen apart, each with its
    # own endpoint and key (encrypted at rest like the Twilio token).
    stt_provider: Mapped[str] = mapped_column(String(16), default="offline")
    stt_base_url: Mapped[str | None] = mapped_column(String(500), default=None)
    stt_api_key_encrypted: Mapped[str | None] = mapped_column(Text, default=None)
    tts_provider: Mapped[str] = mapped_column(String(16), default="offline")
    tts_base_url: Mapped[str | None] = mapped_column(String(500), default=None)
    tts_api_key_encrypted: Mapped[str | None] = mapped_column(Text, default=None)
    stt_model: Mapped[str | None] = mapped_column(String(100), default=None)
    tts_model: Mapped[str | None] = mapped_column(String(100), default=None)
    tts_voice: Mapped[str | None] = mapped_column(String(100), default=None)
    tts_speed: Mapped[float] = mapped_column(default=1.0)


class BusinessPhoneNumber(Base):
    """A number the business answers on; inbound calls find their business by it, so a number
    belongs to one business only."""

    __tablename__ = "business_phone_numbers"

    business_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("businesses.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[str] = mapped_column(String(20), unique=True)
