"""The first response to a POST sent with an ``Idempotency-Key``, kept so a retry replays it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from aicaller.database.base import Base, TenantMixin


class IdempotencyRecord(TenantMixin, Base):
    __tablename__ = "idempotency_records"
    __table_args__ = (
        # Keys are unique per business: the insert that claims a key relies on this constraint.
        UniqueConstraint("business_id", "key"),
        Index("ix_idempotency_records_expires_at", "expires_at"),
    )

    key: Mapped[str] = mapped_column(String(255))
    # SHA-256 of method, path and the validated body: the same key with another request is 422.
    request_hash: Mapped[str] = mapped_column(String(64))
    response_status: Mapped[int | None] = mapped_column(default=None)
    response_body: Mapped[Any] = mapped_column(JSON, nullable=True, default=None)
    expires_at: Mapped[datetime]
