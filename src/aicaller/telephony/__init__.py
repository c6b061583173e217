"""Telephony providers: placing, ending and transferring calls through a carrier."""

from aicaller.telephony.provider import (
    PlacedCall,
    ProviderCallStatus,
    TelephonyError,
    TelephonyProvider,
    create_provider,
)

__all__ = [
    "PlacedCall",
    "ProviderCallStatus",
    "TelephonyError",
    "TelephonyProvider",
    "create_provider",
]
