"""The generic async repository every domain repository extends.

Tenant scoping is built in: a repository is constructed with the business it serves and every
statement it builds goes through ``_select()``, which adds the tenant condition. A subclass that
wants rows must start from ``_select()`` (or the helpers here), so it cannot forget the scope.
Lookups that happen before a tenant is known (login, API key prefix) live in clearly named
unscoped functions in their domain, never here.
"""

from __future__ import annotations

import base64
import binascii
import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar, Generic, TypeVar

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from aicaller.core.errors import NotFound, ValidationError
from aicaller.database.base import Base

ModelT = TypeVar("ModelT", bound=Base)


@dataclass(frozen=True, slots=True)
class Page(Generic[ModelT]):
    items: list[ModelT]
    next_cursor: str | None


def encode_cursor(sort_value: Any, row_id: uuid.UUID) -> str:
    value = sort_value.isoformat() if isinstance(sort_value, datetime) else sort_value
    raw = json.dumps([value, str(row_id)], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_cursor(cursor: str, column: InstrumentedAttribute[Any]) -> tuple[Any, uuid.UUID]:
    return decode_cursor(cursor, column.type.python_type)


def decode_cursor(cursor: str, python_type: type) -> tuple[Any, uuid.UUID]:
    """The (sort value, id) pair of ``encode_cursor``; a tampered cursor is a 422."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        value, row_id = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if value is not None and python_type is datetime:
            value = datetime.fromisoformat(value)
        elif value is not None and python_type is uuid.UUID:
            value = uuid.UUID(value)
        return _checked(value, python_type), uuid.UUID(row_id)
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError, OverflowError) as exc:
        raise ValidationError("The cursor is not valid", code="invalid_cursor") from exc


def after_cursor(
    sort: ColumnElement[Any] | InstrumentedAttribute[Any],
    id_column: ColumnElement[Any] | InstrumentedAttribute[Any],
    value: Any,
    last_id: Any,
    *,
    descending: bool,
) -> ColumnElement[bool]:
    """The keyset condition "comes after (value, last_id)" in ``ORDER BY sort, id``.

    The redundant ``sort <= value`` (``>=``) is what an index can seek on: without it PostgreSQL
    filters every row before the cursor, so page N of a walk (an export) cost O(N) rows.
    """
    if descending:
        return and_(sort <= value, or_(sort < value, and_(sort == value, id_column < last_id)))
    return and_(sort >= value, or_(sort > value, and_(sort == value, id_column > last_id)))


def _checked(value: Any, python_type: type) -> Any:
    if value is not None and not isinstance(value, python_type):
        raise TypeError("cursor value has the wrong type")
    if isinstance(value, datetime) and value.tzinfo is None:
        raise TypeError("cursor datetimes carry a timezone")
    return value


class BaseRepository(Generic[ModelT]):
    """CRUD, counting and cursor pagination over one model, always within one tenant."""

    model: ClassVar[type[Base]]
    tenant_column: ClassVar[str] = "business_id"
    not_found_code: ClassVar[str] = "not_found"
    sortable: ClassVar[frozenset[str]] = frozenset({"created_at"})

    def __init__(self, session: AsyncSession, business_id: uuid.UUID) -> None:
        self.session = session
        self.business_id = business_id

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        model = cls.__dict__.get("model")
        if model is not None and not hasattr(model, cls.tenant_column):
            raise TypeError(f"{model.__name__} has no tenant column {cls.tenant_column!r}")

    # -- statement building -------------------------------------------------------------------
    def _tenant_condition(self) -> ColumnElement[bool]:
        column: InstrumentedAttribute[uuid.UUID] = getattr(self.model, self.tenant_column)
        return column == self.business_id

    def _select(self) -> Select[ModelT]:
        """``SELECT model`` already restricted to this repository's tenant."""
        return select(self.model).where(self._tenant_condition())  # type: ignore[return-value]

    def _column(self, name: str) -> InstrumentedAttribute[Any]:
        column = getattr(self.model, name, None)
        if not isinstance(column, InstrumentedAttribute):
            raise TypeError(f"{self.model.__name__} has no column {name!r}")
        return column

    def _conditions(
        self, filters: Mapping[str, Any] | None, where: Sequence[ColumnElement[bool]]
    ) -> list[ColumnElement[bool]]:
        conditions = list(where)
        for name, value in (filters or {}).items():
            conditions.append(self._column(name) == value)
        return conditions

    # -- reads ----------------------------------------------------------------------------------
    async def get(self, row_id: uuid.UUID) -> ModelT | None:
        result = await self.session.execute(self._select().where(self.model.id == row_id))
        return result.scalar_one_or_none()

    async def get_or_raise(self, row_id: uuid.UUID) -> ModelT:
        """The row, or NotFound: another tenant's row is indistinguishable from a missing one."""
        row = await self.get(row_id)
        if row is None:
            raise NotFound(f"{self.model.__name__} not found", code=self.not_found_code)
        return row

    async def find_one(self, **filters: Any) -> ModelT | None:
        stmt = self._select().where(*self._conditions(filters, ()))
        return (await self.session.execute(stmt)).scalars().first()

    async def paginate(
        self,
        *,
        limit: int = 50,
        cursor: str | None = None,
        sort: str = "created_at",
        descending: bool = True,
        filters: Mapping[str, Any] | None = None,
        where: Sequence[ColumnElement[bool]] = (),
    ) -> Page[ModelT]:
        """One page ordered by ``sort`` then id; ``next_cursor`` continues after the last row."""
        if sort not in self.sortable:
            raise ValidationError(f"Cannot sort by {sort!r}", code="invalid_sort")
        column = self._column(sort)
        id_column = self.model.id
        stmt = self._select().where(*self._conditions(filters, where))
        if cursor:
            value, last_id = _decode_cursor(cursor, column)
            stmt = stmt.where(
                after_cursor(column, id_column, value, last_id, descending=descending)
            )
        order = (column.desc(), id_column.desc()) if descending else (column.asc(), id_column)
        stmt = stmt.order_by(*order).limit(limit + 1)
        rows = list((await self.session.execute(stmt)).scalars().all())
        next_cursor = None
        if len(rows) > limit:
            rows = rows[:limit]
            last = rows[-1]
            next_cursor = encode_cursor(getattr(last, sort), last.id)
        return Page(items=rows, next_cursor=next_cursor)

    async def count(
        self,
        filters: Mapping[str, Any] | None = None,
        where: Sequence[ColumnElement[bool]] = (),
    ) -> int:
        stmt = (
            select(func.count())
            .select_from(self.model)
            .where(self._tenant_condition(), *self._conditions(filters, where))
        )
        return int((await self.session.execute(stmt)).scalar_one())

    async def exists(self, **filters: Any) -> bool:
        stmt = select(self._select().where(*self._conditions(filters, ())).exists())
        return bool((await self.session.execute(stmt)).scalar())

    # -- writes ---------------------------------------------------------------------------------
    async def create(self, **values: Any) -> ModelT:
        """Insert a row owned by this tenant (the tenant is set here, never by the caller)."""
        if self.tenant_column in values:
            raise ValueError("the tenant is set by the repository")
        row = self.model(**values, **{self.tenant_column: self.business_id})
        self.session.add(row)
        await self.session.flush()
        return row  # type: ignore[return-value]

    async def update(self, row: ModelT, **values: Any) -> ModelT:
        self._ensure_owned(row)
        for name, value in values.items():
            self._column(name)
            setattr(row, name, value)
        await self.session.flush()
        return row

    async def delete(self, row: ModelT) -> None:
        self._ensure_owned(row)
        await self.session.delete(row)
        await self.session.flush()

    def _ensure_owned(self, row: ModelT) -> None:
        if getattr(row, self.tenant_column) != self.business_id:
            raise NotFound(f"{self.model.__name__} not found", code=self.not_found_code)
