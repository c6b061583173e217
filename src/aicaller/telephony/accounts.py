"""Whose Twilio account a business's calls and webhooks use: its own, else the install's."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from aicaller.businesses.service import BusinessService, TwilioCredentials
from aicaller.config import Settings
from aicaller.core.cache import AppCache
from aicaller.core.encryption import SecretBox
from aicaller.database.session import Database


class TwilioAccounts:
    def __init__(
        self,
        settings: Settings,
        database: Database,
        secret_box: SecretBox,
        cache: AppCache | None = None,
    ) -> None:
        self._database = database
        self._secret_box = secret_box
        self._cache = cache
        token = settings.twilio_auth_token
        self.install = (
            TwilioCredentials(settings.twilio_account_sid, token.get_secret_value())
            if settings.twilio_account_sid and token is not None
            else None
        )

    async def in_session(
        self, session: AsyncSession, business_id: uuid.UUID
    ) -> TwilioCredentials | None:
        """Within a request's transaction (webhook signature checks, so the cached
        configuration is asked first whether the business has credentials of its own)."""
        business = BusinessService(session, business_id, self._cache)
        if not (await business.get_config()).twilio_auth_token_set:
            return self.install
        own = await business.twilio_credentials(self._secret_box)
        return own or self.install

    async def for_business(self, business_id: uuid.UUID) -> TwilioCredentials | None:
        """In a short transaction of its own (REST calls made by the provider)."""
        async with self._database.transaction() as session:
            return await self.in_session(session, business_id)
