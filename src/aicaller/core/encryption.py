"""Secrets kept in the database (a business's Twilio auth token), encrypted at rest.

Fernet (AES-128-CBC + HMAC-SHA256, from ``cryptography``) under a key derived from the install's
signing key with HKDF, so there is no second key to manage. Rotating the signing key makes the
stored secrets unreadable: they must be entered again (docs/operations.md says so).
"""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from aicaller.core.errors import AppError

_INFO = b"aicaller secret box v1"


class SecretUnreadable(AppError):
    """A stored secret was sealed under another signing key (or damaged)."""

    status = 500
    code = "secret_unreadable"


class SecretBox:
    def __init__(self, signing_key: str) -> None:
        derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(
            signing_key.encode()
        )
        self._fernet = Fernet(base64.urlsafe_b64encode(derived))

    def seal(self, plaintext: str) -> str:
        return self._fernet.encrypt(plaintext.encode()).decode("ascii")

    def open(self, sealed: str) -> str:
        try:
            return self._fernet.decrypt(sealed.encode("ascii")).decode()
        except InvalidToken as exc:
            raise SecretUnreadable(
                "A stored secret cannot be decrypted with the current secret key; set it again"
            ) from exc
