"""Alembic environment: always runs on a connection handed over by ``aicaller.database.migrate``.

For ``alembic`` on the command line (autogenerate) it builds an engine from the settings.
"""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy import Connection

from aicaller.config import get_settings
from aicaller.database import models  # noqa: F401 - registers every table on the metadata
from aicaller.database.base import Base
from aicaller.database.migrate import include_object
from aicaller.database.session import create_engine

target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_object=include_object,
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_with_new_engine() -> None:
    engine = create_engine(get_settings())
    async with engine.begin() as connection:
        await connection.run_sync(_run)
    await engine.dispose()


connection = context.config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    asyncio.run(_run_with_new_engine())
