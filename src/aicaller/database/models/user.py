"""People who sign in to manage a business."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, String
from sqlalchemy.orm import Mapped, mapped_column

from aicaller.database.base import Base, TenantMixin

ROLE_VALUES = ("admin", "supervisor", "agent", "viewer")


class User(TenantMixin, Base):
    __tablename__ = "users"
    __table_args__ = (CheckConstraint(f"role IN {ROLE_VALUES!r}", name="role_valid"),)

    # Emails are unique across the install: login takes only an email, never a tenant.
    email: Mapped[str] = mapped_column(String(320), unique=True)
    full_name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16))
    is_active: Mapped[bool] = mapped_column(default=True)
    last_login_at: Mapped[datetime | None] = mapped_column(default=None)
    # Tokens issued before this instant are refused (password change, deactivation).
    credentials_changed_at: Mapped[datetime | None] = mapped_column(default=None)
