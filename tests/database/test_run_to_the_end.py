"""``run_to_the_end``: a transaction that background work starts is not cut short by a cancel
(a worker shutting down); it commits, and the cancel still reaches the caller."""

from __future__ import annotations

import asyncio

import pytest

from aicaller.database.models import User
from aicaller.database.session import Database, run_to_the_end
from aicaller.users.repository import UserRepository
from tests.factories import Tenant


async def rename_and_wait(
    database: Database, tenant: Tenant, opened: asyncio.Event, go_on: asyncio.Event
) -> str:
    async with database.transaction() as session:
        users = UserRepository(session, tenant.business_id)
        user = await users.get_or_raise(tenant.users["agent"])
        await users.update(user, full_name="Renamed")
        opened.set()
        await go_on.wait()  # the write is made, the transaction still open
        return user.full_name


async def full_name(database: Database, tenant: Tenant) -> str:
    async with database.transaction() as session:
        user: User = await UserRepository(session, tenant.business_id).get_or_raise(
            tenant.users["agent"]
        )
        return user.full_name


@pytest.mark.parametrize("shielded", [True, False])
async def test_a_cancel_waits_for_the_transaction_to_commit(
    database: Database, tenant: Tenant, shielded: bool
) -> None:
    opened, go_on = asyncio.Event(), asyncio.Event()
    work = rename_and_wait(database, tenant, opened, go_on)
    task = asyncio.create_task(run_to_the_end(work) if shielded else work)
    await opened.wait()
    task.cancel()
    await asyncio.sleep(0.05)
    go_on.set()
    with pytest.raises(asyncio.CancelledError):
        await task
    # Shielded, the transaction ran to its commit; unshielded (the case it guards against),
    # the cancel rolled it back.
    assert await full_name(database, tenant) == ("Renamed" if shielded else "")


async def test_without_a_cancel_it_returns_what_the_work_returns(
    database: Database, tenant: Tenant
) -> None:
    opened, go_on = asyncio.Event(), asyncio.Event()
    go_on.set()
    assert await run_to_the_end(rename_and_wait(database, tenant, opened, go_on)) == "Renamed"
    assert await full_name(database, tenant) == "Renamed"
