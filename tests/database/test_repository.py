"""The base repository: tenant scoping that cannot be skipped, CRUD and cursor pages."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy.orm import configure_mappers

from aicaller.core.errors import NotFound, ValidationError
from aicaller.database.base import Base
from aicaller.database.models import User
from aicaller.database.repository import BaseRepository, encode_cursor
from aicaller.database.session import Database
from aicaller.users.repository import UserRepository
from tests.factories import Tenant


async def test_reads_and_writes_stay_inside_the_tenant(
    database: Database, tenant: Tenant, other_tenant: Tenant
) -> None:
    victim_id = tenant.users["agent"]
    async with database.transaction() as session:
        mine = UserRepository(session, tenant.business_id)
        theirs = UserRepository(session, other_tenant.business_id)
        assert (await mine.get(victim_id)) is not None
        assert await theirs.get(victim_id) is None
        assert await theirs.find_one(email=tenant.emails["agent"]) is None
        assert not await theirs.exists(id=victim_id)
        assert await theirs.count() == len(other_tenant.users)
        page = await theirs.paginate(limit=100)
        assert {u.business_id for u in page.items} == {other_tenant.business_id}
        with pytest.raises(NotFound):
            await theirs.get_or_raise(victim_id)
        row = await mine.get_or_raise(victim_id)
        with pytest.raises(NotFound):
            await theirs.update(row, full_name="pwned")
        with pytest.raises(NotFound):
            await theirs.delete(row)
        assert row.full_name == ""


async def test_create_sets_the_tenant_itself(database: Database, tenant: Tenant) -> None:
    async with database.transaction() as session:
        repo = UserRepository(session, tenant.business_id)
        with pytest.raises(ValueError, match="tenant"):
            await repo.create(business_id=uuid.uuid4(), email="x@example.com")
        user = await repo.create(email="new@example.com", password_hash="x", role="viewer")
        assert user.business_id == tenant.business_id
        assert await repo.exists(email="new@example.com")


@pytest.mark.parametrize("descending", [True, False])
async def test_pages_cover_every_row_once_in_order(
    database: Database, tenant: Tenant, descending: bool
) -> None:
    async with database.transaction() as session:
        repo = UserRepository(session, tenant.business_id)
        for i in range(7):
            await repo.create(email=f"u{i}@example.com", password_hash="x", role="viewer")
        emails: list[str] = []
        cursor = None
        pages = 0
        while True:
            page = await repo.paginate(limit=3, cursor=cursor, sort="email", descending=descending)
            emails.extend(u.email for u in page.items)
            pages += 1
            cursor = page.next_cursor
            if cursor is None:
                break
    assert pages == 4  # 11 rows in pages of 3
    assert emails == sorted(emails, reverse=descending)
    assert len(set(emails)) == len(emails) == 11


async def test_filters_and_bad_sort_or_cursor(database: Database, tenant: Tenant) -> None:
    async with database.transaction() as session:
        repo = UserRepository(session, tenant.business_id)
        admins = await repo.paginate(filters={"role": "admin"})
        assert [u.email for u in admins.items] == [tenant.emails["admin"]]
        assert await repo.count({"is_active": True}) == len(tenant.users)
        with pytest.raises(ValidationError):
            await repo.paginate(sort="password_hash")
        with pytest.raises(ValidationError):
            await repo.paginate(cursor="not-base64-json!")
        with pytest.raises(ValidationError):  # a cursor from another sort column
            await repo.paginate(cursor=encode_cursor(12, uuid.uuid4()))
        with pytest.raises(TypeError):
            await repo.paginate(filters={"no_such_column": 1})


def test_a_repository_for_a_model_without_tenant_column_is_refused() -> None:
    with pytest.raises(TypeError, match="tenant column"):

        class Broken(BaseRepository[User]):
            model = User
            tenant_column = "owner_id"


def test_every_relationship_refuses_lazy_loading() -> None:
    configure_mappers()
    for mapper in Base.registry.mappers:
        for relationship in mapper.relationships:
            assert relationship.lazy == "raise", f"{mapper.class_.__name__}.{relationship.key}"
