"""The demo business's knowledge base: a few pages written for the fictional Demo Dental
Clinic (hours, services, prices, insurance, policies), so a newcomer's first test call gets
real answers. Stored and indexed like any upload."""

from __future__ import annotations

import uuid
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession

from aicaller.knowledge.documents.service import DocumentService

PAGES = Path(__file__).parent / "demo_pages"
MAX_PAGE_BYTES = 1024 * 1024


async def seed_demo_knowledge(session: AsyncSession, business_id: uuid.UUID) -> int:
    """Upload the demo pages the business does not have yet; returns how many were added."""
    knowledge = DocumentService(session, business_id)
    present = await knowledge.filenames()
    added = 0
    for page in sorted(PAGES.glob("*.md")):
        if page.name in present:
            continue
        await knowledge.upload(page.name, page.read_bytes(), title=None, max_bytes=MAX_PAGE_BYTES)
        added += 1
    return added
