"""Request and response bodies for auth, users and API keys."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    EmailStr,
    Field,
    SecretStr,
    field_validator,
)

from aicaller.core.schemas import RequestModel
from aicaller.users.roles import Role, Scope

MIN_PASSWORD_LENGTH = 12


def _normalise_email(value: str) -> str:
    return value.strip().lower()


Email = Annotated[EmailStr, AfterValidator(_normalise_email)]
Password = Annotated[SecretStr, Field(min_length=MIN_PASSWORD_LENGTH, max_length=256)]
Name = Annotated[str, Field(max_length=200)]


class TokenResponse(BaseModel):
    access_token: str
    token_type: str = "bearer"  # noqa: S105 - the OAuth2 token type, not a secret
    expires_in: int


class UserOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    business_id: uuid.UUID
    email: str
    full_name: str
    role: Role
    is_active: bool
    last_login_at: datetime | None
    created_at: datetime
    updated_at: datetime


class UserCreate(RequestModel):
    email: Email
    password: Password
    role: Role = Role.AGENT
    full_name: Name = ""


class UserUpdate(RequestModel):
    full_name: Name | None = None
    role: Role | None = None
    is_active: bool | None = None
    password: Password | None = None


class PasswordChange(RequestModel):
    current_password: Annotated[SecretStr, Field(min_length=1, max_length=256)]
    new_password: Password


class ApiKeyCreate(RequestModel):
    name: Annotated[str, Field(min_length=1, max_length=100)]
    scopes: Annotated[list[Scope], Field(min_length=1, max_length=len(Scope))]
    expires_at: datetime | None = None

    @field_validator("scopes")
    @classmethod
    def _unique_scopes(cls, scopes: list[Scope]) -> list[Scope]:
        return sorted(set(scopes))

    @field_validator("expires_at")
    @classmethod
    def _future_and_aware(cls, value: datetime | None) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("expires_at must include a timezone")
        if value <= datetime.now(UTC):
            raise ValueError("expires_at must be in the future")
        return value


class ApiKeyOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    prefix: str
    scopes: list[Scope]
    created_by_id: uuid.UUID | None
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime | None
    revoked_at: datetime | None


class ApiKeyCreated(ApiKeyOut):
    key: str = Field(description="The full key. It is shown only in this response.")
