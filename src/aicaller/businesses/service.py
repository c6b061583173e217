"""Reading and changing a business's configuration."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from pydantic import SecretStr
from sqlalchemy.ext.asyncio import AsyncSession

from aicaller.businesses import repository, speech
from aicaller.businesses.repository import BusinessRepository, PhoneNumberRepository
from aicaller.businesses.schemas import AgentMode, BusinessConfig, BusinessConfigUpdate
from aicaller.businesses.speech import SpeechKeys
from aicaller.core.cache import CONFIG, AppCache
from aicaller.core.cache_decorators import cache_key, cached
from aicaller.core.encryption import SecretBox
from aicaller.core.errors import Conflict, ValidationError
from aicaller.database.models import Business
from aicaller.database.service import BaseService


@dataclass(frozen=True, slots=True)
class TwilioCredentials:
    account_sid: str
    auth_token: str


class BusinessService(BaseService):
    def __init__(
        self, session: AsyncSession, business_id: uuid.UUID, cache: AppCache | None = None
    ) -> None:
        super().__init__(session, business_id)
        self.businesses = BusinessRepository(session, business_id)
        self.numbers = PhoneNumberRepository(session, business_id)
        self.cache = cache

    @cached(CONFIG)
    async def get_config(self) -> BusinessConfig:
        """The configuration, cached per business (read on every call the agent handles)."""
        business, numbers = await self.businesses.current_with_numbers()
        return _config(business, numbers)

    async def update_config(
        self,
        data: BusinessConfigUpdate,
        *,
        secret_box: SecretBox | None = None,
        llm_available: bool = False,
    ) -> BusinessConfig:
        """Apply a partial update; 422 for an LLM agent without an LLM endpoint or half a set
        of Twilio credentials, 409 for a number another business answers on."""
        business = await self.businesses.current()
        changes = data.model_dump(
            mode="json",
            exclude_unset=True,
            exclude={"phone_numbers", "twilio_auth_token", "stt_api_key", "tts_api_key"},
        )
        if data.agent_mode is AgentMode.LLM and not llm_available:
            raise ValidationError(
                "agent_mode 'llm' needs an LLM endpoint: set AICALLER_LLM_BASE_URL",
                code="llm_not_configured",
            )
        if "twilio_auth_token" in data.model_fields_set:
            token = data.twilio_auth_token
            if token is not None and secret_box is None:
                raise ValidationError("Secrets cannot be stored here", code="secrets_unavailable")
            changes["twilio_auth_token_encrypted"] = (
                None
                if token is None or secret_box is None
                else secret_box.seal(token.get_secret_value())
            )
        for side in ("stt", "tts"):
            if f"{side}_api_key" in data.model_fields_set:
                key = getattr(data, f"{side}_api_key")
                changes[f"{side}_api_key_encrypted"] = _sealed(key, secret_box)
        speech.check(business, changes)
        sid = changes.get("twilio_account_sid", business.twilio_account_sid)
        sealed = changes.get("twilio_auth_token_encrypted", business.twilio_auth_token_encrypted)
        if (sid is None) != (sealed is None):
            raise ValidationError(
                "Set twilio_account_sid and twilio_auth_token together (or clear both)",
                code="incomplete_twilio_credentials",
            )
        if data.phone_numbers is not None:
            await self._replace_numbers(data.phone_numbers)
        updated = await self.businesses.update(business, **changes)
        if self.cache is not None:
            key = cache_key(BusinessService.get_config, (), {})
            self.cache.delete_after_commit(self.session, CONFIG, tenant=self.business_id, key=key)
        if data.phone_numbers is not None:
            return _config(updated, data.phone_numbers)
        return _config(updated, await self.numbers.numbers())

    async def _replace_numbers(self, numbers: list[str]) -> None:
        taken = await self.numbers.taken_elsewhere(numbers)
        if taken:
            raise Conflict(
                f"Another business already answers on {', '.join(taken)}",
                code="phone_number_taken",
            )
        await self.numbers.replace(numbers)

    async def twilio_credentials(self, secret_box: SecretBox) -> TwilioCredentials | None:
        """This business's own Twilio credentials, if it has them."""
        business = await self.businesses.current()
        if business.twilio_account_sid is None or business.twilio_auth_token_encrypted is None:
            return None
        token = secret_box.open(business.twilio_auth_token_encrypted)
        return TwilioCredentials(business.twilio_account_sid, token)

    async def speech_keys(self, secret_box: SecretBox) -> SpeechKeys:
        """The keys of the business's recogniser and voice (opened; None where unset)."""
        business = await self.businesses.current()
        return speech.keys(business, secret_box)

    async def knowledge_version(self) -> int:
        """The version search results are cached under (see ``aicaller.knowledge.search``)."""
        return await self.businesses.knowledge_version()

    async def bump_knowledge_version(self) -> None:
        """Make every cached search result of the business stale (after its knowledge changed)."""
        await self.businesses.bump_knowledge_version()


_STORED_FIELDS = tuple(
    name
    for name in BusinessConfig.model_fields
    if name not in {"phone_numbers", "twilio_auth_token_set", "stt_api_key_set", "tts_api_key_set"}
)


def _sealed(secret: SecretStr | None, secret_box: SecretBox | None) -> str | None:
    """A secret to store: encrypted, or None to clear it; 422 where nothing can seal it."""
    if secret is None:
        return None
    if secret_box is None:
        raise ValidationError("Secrets cannot be stored here", code="secrets_unavailable")
    return secret_box.seal(secret.get_secret_value())


def _config(business: Business, numbers: list[str]) -> BusinessConfig:
    return BusinessConfig.model_validate(
        {
            **{name: getattr(business, name) for name in _STORED_FIELDS},
            "phone_numbers": numbers,
            "twilio_auth_token_set": business.twilio_auth_token_encrypted is not None,
            "stt_api_key_set": business.stt_api_key_encrypted is not None,
            "tts_api_key_set": business.tts_api_key_encrypted is not None,
        }
    )


async def add_business(session: AsyncSession, *, name: str, **config: object) -> Business:
    """A new tenant, alone: ``aicaller.bootstrap.create_business`` also gives it its default
    QA scorecard. For the CLI and first start, before anyone can sign in."""
    return await repository.create_business(session, name=name, **config)


async def find_business(session: AsyncSession, reference: str) -> Business | None:
    """The business with this id or exact name."""
    return await repository.business_by_reference(session, reference)


async def first_business(session: AsyncSession) -> Business | None:
    return await repository.first_business(session)


async def business_answering(session: AsyncSession, number: str) -> uuid.UUID | None:
    """The business an inbound call to ``number`` belongs to: the one that lists the number,
    else the only business of a single-business install, else none."""
    found = await repository.business_for_number(session, number)
    return found if found is not None else await repository.sole_business(session)


async def recording_retention(session: AsyncSession) -> list[tuple[uuid.UUID, int]]:
    """(business, days) of every business that keeps recordings for a limited time."""
    return await repository.recording_retention(session)
