"""Notes people leave on calls: list, create, edit, delete, within one business.

Only the author, a supervisor or an admin may edit or delete a note. API keys (which have no
user) count as the author of the notes without one, which are the notes keys create.
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from aicaller.calls.notes.repository import NoteRepository
from aicaller.calls.notes.schemas import NoteCreate, NoteUpdate
from aicaller.calls.repository import CallRepository
from aicaller.calls.service import invalidate_analytics
from aicaller.core.cache import AppCache
from aicaller.core.errors import NotFound, PermissionDenied
from aicaller.database.models import CallNote
from aicaller.database.repository import Page
from aicaller.database.service import BaseService
from aicaller.users.principal import Principal
from aicaller.users.roles import MANAGER_ROLES


class NoteService(BaseService):
    def __init__(
        self, session: AsyncSession, principal: Principal, cache: AppCache | None = None
    ) -> None:
        super().__init__(session, principal.business_id)
        self.principal = principal
        self.calls = CallRepository(session, principal.business_id)
        self.notes = NoteRepository(session, principal.business_id)
        self.cache = cache

    async def list(self, call_id: uuid.UUID, *, limit: int, cursor: str | None) -> Page[CallNote]:
        """A call's notes, oldest first."""
        await self.calls.get_or_raise(call_id)
        return await self.notes.paginate(
            limit=limit, cursor=cursor, descending=False, filters={"call_id": call_id}
        )

    async def create(self, call_id: uuid.UUID, data: NoteCreate) -> CallNote:
        await self.calls.get_or_raise(call_id)
        note = await self.notes.create(
            call_id=call_id, author_id=self.principal.user_id, body=data.body
        )
        invalidate_analytics(self.session, self.business_id, self.cache)
        return note

    async def update(self, call_id: uuid.UUID, note_id: uuid.UUID, data: NoteUpdate) -> CallNote:
        note = await self._editable(call_id, note_id)
        await self.notes.update(note, body=data.body)
        invalidate_analytics(self.session, self.business_id, self.cache)
        return note

    async def delete(self, call_id: uuid.UUID, note_id: uuid.UUID) -> None:
        note = await self._editable(call_id, note_id)
        await self.notes.delete(note)
        invalidate_analytics(self.session, self.business_id, self.cache)

    async def _editable(self, call_id: uuid.UUID, note_id: uuid.UUID) -> CallNote:
        note = await self.notes.find_one(id=note_id, call_id=call_id)
        if note is None:
            await self.calls.get_or_raise(call_id)  # a missing call is call_not_found
            raise NotFound("Note not found", code=self.notes.not_found_code)
        principal = self.principal
        if principal.role in MANAGER_ROLES or note.author_id == principal.user_id:
            return note
        raise PermissionDenied(
            "Only the note's author, a supervisor or an admin may change it",
            code="not_note_author",
        )
