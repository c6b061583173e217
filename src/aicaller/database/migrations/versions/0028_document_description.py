"""knowledge: each document's one-line description, for search (issue 20, ADR 0046)

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-08 03:00:00

Search weighs a page's one-line description (a man page's NAME line, a tagline) as it weighs
its title; the statements read it with the page's other columns. Existing documents get theirs
from their stored markdown here, so a sync that finds a page unchanged (and so does not write
it again) leaves it described all the same.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0028"
down_revision: str | None = "0027"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Restated from knowledge/documents/description.py as of this migration (a migration must not
# change when the application's code does).
DESCRIPTION_CHARS = 80
_FENCE = re.compile(r"^```.*?(?:^```[^\n]*$|\Z)", re.DOTALL | re.MULTILINE)
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
_SPACE = re.compile(r"\s+")
BATCH = 500


def _description(markdown: str) -> str:
    for block in _PARAGRAPH_BREAK.split(_FENCE.sub("\n\n", markdown)):
        paragraph = block.strip()
        if not paragraph or paragraph.startswith("#"):
            continue
        line = _SPACE.sub(" ", paragraph)
        return line if len(line) <= DESCRIPTION_CHARS else ""
    return ""


def upgrade() -> None:
    # Plain ALTER TABLE ADD COLUMN: a SQLite table rebuild of documents would cascade-delete
    # every chunk.
    op.add_column(
        "documents",
        sa.Column("description", sa.String(length=100), server_default="", nullable=False),
    )
    documents = sa.table(
        "documents", sa.column("id", sa.Uuid()), sa.column("content", sa.Text()),
        sa.column("description", sa.String()),
    )  # fmt: skip
    connection = op.get_bind()
    last = None
    while True:  # keyset batches: the contents are read a batch at a time
        query = sa.select(documents.c.id, documents.c.content).order_by(documents.c.id)
        if last is not None:
            query = query.where(documents.c.id > last)
        rows = connection.execute(query.limit(BATCH)).all()
        if not rows:
            break
        described = [
            {"key": row.id, "value": value} for row in rows if (value := _description(row.content))
        ]
        if described:
            connection.execute(
                documents.update()
                .where(documents.c.id == sa.bindparam("key"))
                .values(description=sa.bindparam("value")),
                described,
            )
        last = rows[-1].id


def downgrade() -> None:
    op.drop_column("documents", "description")
