"""businesses: the recogniser and the voice chosen apart, each with its own key (issue 18)

Revision ID: 0021
Revises: 0018
Create Date: 2026-12-07 05:00:00

``speech_provider``/``speech_base_url``/``speech_api_key_encrypted`` (one provider for both)
become ``stt_*`` and ``tts_*``: a business on Deepgram's recogniser may speak with Cartesia.
Existing settings are copied to both sides, so nothing changes for a business until it edits
them; the downgrade keeps the recogniser's side.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_SIDES = ("stt", "tts")


# Plain ALTER TABLE ADD/DROP COLUMN (SQLite >= 3.35), never a batch rebuild: rebuilding
# businesses on SQLite drops the table every tenant table refers to.
def _columns(prefix: str) -> list[sa.Column[object]]:
    return [
        sa.Column(f"{prefix}_provider", sa.String(16), nullable=False, server_default="offline"),
        sa.Column(f"{prefix}_base_url", sa.String(500), nullable=True),
        sa.Column(f"{prefix}_api_key_encrypted", sa.Text(), nullable=True),
    ]


def _copy(source: str, targets: Sequence[str]) -> None:
    assignments = ", ".join(
        f"{target}_{name} = {source}_{name}"
        for target in targets
        for name in ("provider", "base_url", "api_key_encrypted")
    )
    op.execute(f"UPDATE businesses SET {assignments}")  # noqa: S608 (fixed column names)


def upgrade() -> None:
    for side in _SIDES:
        for column in _columns(side):
            op.add_column("businesses", column)
    _copy("speech", _SIDES)
    for column in reversed(_columns("speech")):
        op.execute(f"ALTER TABLE businesses DROP COLUMN {column.name}")


def downgrade() -> None:
    for column in _columns("speech"):
        op.add_column("businesses", column)
    _copy("stt", ["speech"])
    for side in reversed(_SIDES):
        for column in reversed(_columns(side)):
            op.execute(f"ALTER TABLE businesses DROP COLUMN {column.name}")
