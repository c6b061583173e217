"""Queries for notes, within one business."""

from __future__ import annotations

from aicaller.database.models import CallNote
from aicaller.database.repository import BaseRepository


class NoteRepository(BaseRepository[CallNote]):
    model = CallNote
    not_found_code = "note_not_found"
