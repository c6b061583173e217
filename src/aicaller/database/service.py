"""Base class for domain services: one unit of work, one tenant."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession


class BaseService:
    """Holds the request's session and tenant; services build their repositories from these.

    Services express business rules and call repositories; they never commit (the session
    dependency or job runner that owns the unit of work does) and never build SQL themselves.
    """

    def __init__(self, session: AsyncSession, business_id: uuid.UUID) -> None:
        self.session = session
        self.business_id = business_id
