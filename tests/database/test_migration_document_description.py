"""0028 describes the documents stored before it (a sync that finds a page unchanged does not
write it again), and a downgrade takes the column away with the documents intact."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import Uuid, column, table, text
from sqlalchemy.ext.asyncio import AsyncEngine

from aicaller.database import migrate

MAN_PAGE = "# git-am(1)\n\n## NAME\n\ngit-am -\nApply a series of patches from a mailbox"
LONG = "# Signing\n\n" + "Never trust data from untrusted sources. " * 4


async def test_documents_stored_before_are_described(empty_engine: AsyncEngine) -> None:
    await migrate.upgrade(empty_engine, "0026")
    now = datetime.now(UTC).replace(tzinfo=None)
    business, pages = uuid.uuid4(), {uuid.uuid4(): MAN_PAGE, uuid.uuid4(): LONG}
    businesses = table("businesses", column("id", Uuid()), *(column(n) for n in (
        "name", "timezone", "greeting", "business_hours", "escalation_numbers",
        "agent_instructions", "language", "max_call_duration_seconds", "created_at",
        "updated_at")))  # fmt: skip
    documents = table("documents", column("id", Uuid()), column("business_id", Uuid()), *(
        column(n) for n in ("kind", "title", "media_type", "size_bytes", "content",
                            "content_hash", "chunk_count", "created_at", "updated_at")
    ))  # fmt: skip
    async with empty_engine.begin() as connection:
        await connection.execute(businesses.insert().values(
            id=business, name="B", timezone="UTC", greeting="Hi", business_hours="{}",
            escalation_numbers="[]", agent_instructions="", language="en-US",
            max_call_duration_seconds=1800, created_at=now, updated_at=now,
        ))  # fmt: skip
        for page, content in pages.items():
            await connection.execute(documents.insert().values(
                id=page, business_id=business, kind="upload", title="T", media_type="text/plain",
                size_bytes=len(content), content=content, content_hash="h", chunk_count=0,
                created_at=now, updated_at=now,
            ))  # fmt: skip
    await migrate.upgrade(empty_engine)
    async with empty_engine.connect() as connection:
        rows = await connection.execute(text("SELECT content, description FROM documents"))
        described: dict[str, str] = dict(rows.tuples().all())
    assert described == {
        MAN_PAGE: "git-am - Apply a series of patches from a mailbox",
        LONG: "",
    }
    await migrate.downgrade(empty_engine, "0026")
    async with empty_engine.connect() as connection:
        assert (await connection.execute(text("SELECT count(*) FROM documents"))).scalar_one() == 2
