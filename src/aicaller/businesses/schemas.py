"""The business configuration as the API reads and writes it, with strict validation."""

from __future__ import annotations

import itertools
import re
import uuid
import zoneinfo
from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    EmailStr,
    Field,
    SecretStr,
    model_validator,
)

from aicaller.core.schemas import PatchModel, PhoneNumber, RequestModel

_TIME_RE = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$|^24:00$")
_LANGUAGE_RE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
MAX_GREETING = 1000
MAX_INSTRUCTIONS = 20000
MAX_ESCALATION_NUMBERS = 10
MAX_INTERVALS_PER_DAY = 6
MAX_PHONE_NUMBERS = 20
MAX_EMERGENCY_PHRASES = 30
MAX_SAFETY_INSTRUCTIONS = 2000


class Weekday(StrEnum):
    MONDAY = "monday"
    TUESDAY = "tuesday"
    WEDNESDAY = "wednesday"
    THURSDAY = "thursday"
    FRIDAY = "friday"
    SATURDAY = "saturday"
    SUNDAY = "sunday"


def _iana_timezone(value: str) -> str:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"{value!r} is not an IANA timezone such as 'Europe/Paris'") from exc
    return value


def _clock_time(value: str) -> str:
    if not _TIME_RE.match(value):
        raise ValueError(f"{value!r} is not a time of day in HH:MM (24-hour) form")
    return value


def _language_tag(value: str) -> str:
    if not _LANGUAGE_RE.match(value):
        raise ValueError(f"{value!r} is not a BCP 47 language tag such as 'en-US'")
    return value


Timezone = Annotated[str, Field(max_length=64), AfterValidator(_iana_timezone)]
ClockTime = Annotated[str, AfterValidator(_clock_time)]
LanguageTag = Annotated[str, Field(max_length=35), AfterValidator(_language_tag)]


class OpeningInterval(RequestModel):
    """One opening interval in the business's local time; ``close`` is after ``open``."""

    open: ClockTime
    close: ClockTime

    @model_validator(mode="after")
    def _ordered(self) -> OpeningInterval:
        if self.close <= self.open:
            raise ValueError("close must be after open (split overnight hours across two days)")
        return self


DayHours = Annotated[list[OpeningInterval], Field(max_length=MAX_INTERVALS_PER_DAY)]


def _non_overlapping(
    hours: dict[Weekday, list[OpeningInterval]],
) -> dict[Weekday, list[OpeningInterval]]:
    for day, intervals in hours.items():
        ordered = sorted(intervals, key=lambda interval: interval.open)
        for earlier, later in itertools.pairwise(ordered):
            if later.open < earlier.close:
                raise ValueError(f"opening intervals on {day.value} overlap")
        hours[day] = ordered
    return hours


BusinessHours = Annotated[dict[Weekday, DayHours], AfterValidator(_non_overlapping)]


class VoiceTransport(StrEnum):
    STREAM = "stream"  # Twilio Media Streams on the real-time pipeline
    GATHER = "gather"  # Twilio's <Gather>/<Say> per turn (also the stream's fallback)


class TurnDetection(StrEnum):
    """What ends the caller's turn on a streamed call (ADR 0014)."""

    VAD = "vad"  # half a second of silence after speech
    SMART_TURN = "smart_turn"  # Pipecat's smart-turn model judges each pause, the VAD's after 0.2 s


class SttProvider(StrEnum):
    """Who recognises the caller's speech (each hosted one through its Pipecat service)."""

    OFFLINE = "offline"  # PocketSphinx, in the install, no network
    OPENAI = "openai"  # an OpenAI-compatible /audio/transcriptions
    DEEPGRAM = "deepgram"  # Deepgram's streaming /v1/listen (extra: deepgram)


class TtsProvider(StrEnum):
    """Who speaks the agent's answers."""

    OFFLINE = "offline"  # eSpeak NG, in the install, no network
    PIPER = "piper"  # a Piper voice in the data directory (extra: piper), else eSpeak NG
    OPENAI = "openai"  # an OpenAI-compatible /audio/speech
    CARTESIA = "cartesia"  # Cartesia's streaming /tts/websocket (extra: cartesia)
    ELEVENLABS = "elevenlabs"  # ElevenLabs' multi-stream-input WebSocket (extra: elevenlabs)


class AgentMode(StrEnum):
    OFFLINE = "offline"  # deterministic retrieval agent, no network
    LLM = "llm"  # the configured OpenAI-compatible endpoint, offline agent as fallback


class Trade(StrEnum):
    """What the business does: each trade has urgent situations the agent knows by default
    (``aicaller.agent.urgency``); ``general`` has those of any business."""

    GENERAL = "general"
    AUTO_REPAIR = "auto_repair"
    CLEANING = "cleaning"
    DENTAL = "dental"
    ELECTRICAL = "electrical"
    HVAC = "hvac"
    IT_SERVICES = "it_services"
    LEGAL = "legal"
    LOCKSMITH = "locksmith"
    MEDICAL = "medical"
    MOVING_STORAGE = "moving_storage"
    PEST_CONTROL = "pest_control"
    PLUMBING_HVAC = "plumbing_hvac"
    PROPERTY = "property"
    ROOFING = "roofing"
    VETERINARY = "veterinary"


def _distinct(values: list[str]) -> list[str]:
    if len({value.casefold() for value in values}) != len(values):
        raise ValueError("entries must not repeat")
    return values


def _web_address(value: str) -> str:
    if not re.match(r"^https?://[^\s/$.?#][^\s]*$", value):
        raise ValueError(f"{value!r} is not a web address starting with http:// or https://")
    return value


EmergencyPhrase = Annotated[str, Field(min_length=2, max_length=100)]
TwilioAccountSid = Annotated[str, Field(pattern=r"^AC[0-9a-fA-F]{32}$")]
WebAddress = Annotated[str, Field(max_length=500), AfterValidator(_web_address)]
ProviderKey = Annotated[SecretStr, Field(min_length=1, max_length=500)]


class BusinessConfig(BaseModel):
    """What ``GET /api/v1/config`` returns."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    timezone: str
    greeting: str
    business_hours: dict[Weekday, list[OpeningInterval]]
    escalation_numbers: list[str]
    agent_instructions: str
    language: str
    max_call_duration_seconds: int
    agent_mode: AgentMode
    llm_model: str | None
    emergency_phrases: list[str] = Field(
        description="Urgent situations besides the trade's own, e.g. 'smell gas'"
    )
    trade: Trade = Field(
        default=Trade.GENERAL, description="Picks the urgent situations recognised by default"
    )
    safety_instructions: str = Field(
        default="", description="Said to a caller in an urgent situation, before the hand-over"
    )
    phone_numbers: list[str] = Field(description="Numbers this business answers on (inbound)")
    contact_email: str | None
    address: str | None
    website: str | None
    twilio_account_sid: str | None
    twilio_auth_token_set: bool = Field(description="The auth token itself is never returned")
    voice_transport: VoiceTransport = VoiceTransport.STREAM
    voice_silence_seconds: int = 8
    voice_dtmf_digit: str = "0"
    turn_detection: TurnDetection = TurnDetection.VAD
    recording_enabled: bool = False
    recording_consent: str | None = None
    recording_retention_days: int | None = None
    stt_provider: SttProvider = SttProvider.OFFLINE
    stt_base_url: str | None = None
    stt_api_key_set: bool = Field(default=False, description="The key itself is never returned")
    tts_provider: TtsProvider = TtsProvider.OFFLINE
    tts_base_url: str | None = None
    tts_api_key_set: bool = Field(default=False, description="The key itself is never returned")
    stt_model: str | None = None
    tts_model: str | None = None
    tts_voice: str | None = None
    tts_speed: float = 1.0
    updated_at: datetime


# Optional settings: null clears them.
NULLABLE_SETTINGS = frozenset(
    {"llm_model", "contact_email", "address", "website", "twilio_account_sid", "twilio_auth_token"}
    | {"recording_consent", "recording_retention_days"}
    | {"stt_base_url", "stt_api_key", "stt_model", "tts_base_url", "tts_api_key", "tts_model"}
    | {"tts_voice"}
)


class BusinessConfigUpdate(PatchModel):
    """A partial update; unknown fields and nulls for required settings are rejected."""

    nullable_fields = NULLABLE_SETTINGS

    name: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    timezone: Timezone | None = None
    greeting: Annotated[str, Field(min_length=1, max_length=MAX_GREETING)] | None = None
    business_hours: BusinessHours | None = None
    escalation_numbers: (
        Annotated[list[PhoneNumber], Field(max_length=MAX_ESCALATION_NUMBERS)] | None
    ) = None
    agent_instructions: Annotated[str, Field(max_length=MAX_INSTRUCTIONS)] | None = None
    language: LanguageTag | None = None
    max_call_duration_seconds: Annotated[int, Field(ge=30, le=4 * 3600)] | None = None
    agent_mode: AgentMode | None = None
    llm_model: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    emergency_phrases: (
        Annotated[
            list[EmergencyPhrase],
            Field(max_length=MAX_EMERGENCY_PHRASES),
            AfterValidator(_distinct),
        ]
        | None
    ) = None
    trade: Trade | None = None
    safety_instructions: Annotated[str, Field(max_length=MAX_SAFETY_INSTRUCTIONS)] | None = None
    phone_numbers: (
        Annotated[list[PhoneNumber], Field(max_length=MAX_PHONE_NUMBERS), AfterValidator(_distinct)]
        | None
    ) = None
    contact_email: EmailStr | None = None
    address: Annotated[str, Field(min_length=1, max_length=500)] | None = None
    website: WebAddress | None = None
    twilio_account_sid: TwilioAccountSid | None = None
    twilio_auth_token: Annotated[SecretStr, Field(min_length=32, max_length=64)] | None = None
    voice_transport: VoiceTransport | None = None
    voice_silence_seconds: Annotated[int, Field(ge=1, le=120, strict=True)] | None = None
    voice_dtmf_digit: Annotated[str, Field(pattern=r"^[0-9*#]$")] | None = None
    turn_detection: TurnDetection | None = None
    recording_enabled: Annotated[bool, Field(strict=True)] | None = None
    recording_consent: Annotated[str, Field(min_length=1, max_length=500)] | None = None
    recording_retention_days: Annotated[int, Field(ge=1, le=3650, strict=True)] | None = None
    stt_provider: SttProvider | None = None
    stt_base_url: WebAddress | None = None
    stt_api_key: ProviderKey | None = None
    tts_provider: TtsProvider | None = None
    tts_base_url: WebAddress | None = None
    tts_api_key: ProviderKey | None = None
    stt_model: Annotated[str, Field(min_length=1, max_length=100)] | None = None
    tts_model: Annotated[str, Field(min_length=1, max_length=100)] | None = None
    tts_voice: Annotated[str, Field(min_length=1, max_length=100)] | None = None
    tts_speed: Annotated[float, Field(ge=0.5, le=2.0, strict=True)] | None = None
