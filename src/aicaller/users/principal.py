"""Who is making a request: a signed-in user or an API key, always within one business."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from aicaller.users.roles import Role, Scope


@dataclass(frozen=True, slots=True)
class Principal:
    business_id: uuid.UUID
    user_id: uuid.UUID | None = None
    role: Role | None = None
    api_key_id: uuid.UUID | None = None
    scopes: frozenset[Scope] = frozenset()

    @property
    def is_api_key(self) -> bool:
        return self.api_key_id is not None
