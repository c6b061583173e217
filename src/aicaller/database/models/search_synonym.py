"""A business's own words that mean the same to its callers, searched beside each other."""

from __future__ import annotations

from sqlalchemy import JSON
from sqlalchemy.orm import Mapped, mapped_column

from aicaller.database.base import Base, TenantMixin


class SearchSynonym(TenantMixin, Base):
    """A group of two to ten words or short phrases (lowercase letters and digits): a question
    holding one of them also searches the others (``knowledge/search/synonyms.py``)."""

    __tablename__ = "search_synonyms"

    words: Mapped[list[str]] = mapped_column(JSON)
