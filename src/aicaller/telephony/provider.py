"""Which carrier the install uses: the simulated one, or Twilio once it is configured.

The protocol a carrier implements is the calls domain's (``aicaller.calls.actions.carrier``):
telephony depends on calls, never the other way round.
"""

from __future__ import annotations

import httpx

from aicaller.calls.actions.carrier import TelephonyProvider
from aicaller.config import ConfigurationError, Settings
from aicaller.telephony.accounts import TwilioAccounts
from aicaller.telephony.simulated import SimulatedProvider
from aicaller.telephony.twilio import TwilioProvider


def provider_name(settings: Settings) -> str:
    """ "twilio" when chosen, or on "auto" once the install's Twilio credentials are set."""
    if settings.telephony_provider == "auto":
        return "twilio" if settings.twilio_configured else "simulated"
    return settings.telephony_provider


def create_provider(
    settings: Settings,
    *,
    http: httpx.AsyncClient | None = None,
    accounts: TwilioAccounts | None = None,
) -> TelephonyProvider:
    """The provider the settings choose (``AICALLER_TELEPHONY_PROVIDER``, default "auto")."""
    if provider_name(settings) == "simulated":
        return SimulatedProvider()
    if http is None or accounts is None:
        raise ValueError("Twilio needs the shared HTTP client and the account lookup")
    if not settings.public_url:
        raise ConfigurationError(
            "AICALLER_PUBLIC_URL must be set for Twilio: its webhooks and signatures use it"
        )
    return TwilioProvider(settings, http, accounts)
