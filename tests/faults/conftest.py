"""Apps on the scale-out column (PostgreSQL + Redis) with a TCP proxy the test controls in
front of Redis or PostgreSQL. These tests need both services: they run where
AICALLER_TEST_DATABASE_URL and AICALLER_TEST_REDIS_URL are set (CI sets both)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI
from sqlalchemy import delete

from aicaller.config import Settings
from aicaller.database.base import Base
from aicaller.main import create_app
from tests.faults.proxy import TcpProxy, proxy_to
from tests.fixtures import PG_URL, REDIS_URL, flush_redis, make_settings
from tests.telephony.conftest import ACCOUNT_SID, AUTH_TOKEN, FROM_NUMBER, PUBLIC_URL

needs_services = pytest.mark.skipif(
    not (PG_URL and REDIS_URL),
    reason="needs AICALLER_TEST_DATABASE_URL and AICALLER_TEST_REDIS_URL",
)
TWILIO = {
    "twilio_account_sid": ACCOUNT_SID,
    "twilio_auth_token": AUTH_TOKEN,
    "twilio_from_number": FROM_NUMBER,
    "public_url": PUBLIC_URL,
}


@pytest.fixture
async def redis_proxy() -> AsyncIterator[TcpProxy]:
    assert REDIS_URL is not None
    async with proxy_to(REDIS_URL) as proxy:
        yield proxy


@pytest.fixture
async def database_proxy() -> AsyncIterator[TcpProxy]:
    assert PG_URL is not None
    async with proxy_to(PG_URL) as proxy:
        yield proxy


def faulty_settings(
    tmp_path: Path, database_urls: dict[str, str], *, redis: TcpProxy, database: TcpProxy | None
) -> Settings:
    """PostgreSQL (through ``database`` when given) and Redis through ``redis``."""
    assert REDIS_URL is not None
    url = database_urls["postgresql"]
    return make_settings(
        tmp_path,
        database.url(url) if database is not None else url,
        redis_url=redis.url(REDIS_URL),
        **TWILIO,
    )


@pytest.fixture
async def settings(
    tmp_path: Path, database_urls: dict[str, str], redis_proxy: TcpProxy, database_proxy: TcpProxy
) -> AsyncIterator[Settings]:
    """The shared ``app``/``client``/``tenant`` fixtures build on this: PostgreSQL and Redis
    each behind a proxy."""
    yield faulty_settings(tmp_path, database_urls, redis=redis_proxy, database=database_proxy)
    assert REDIS_URL is not None
    await flush_redis(REDIS_URL)


@pytest.fixture
async def app(settings: Settings) -> AsyncIterator[FastAPI]:
    """A private app: its settings name this test's proxies, so no other test can share it."""
    application = create_app(settings)
    async with LifespanManager(application):
        try:
            yield application
        finally:
            async with application.state.database.transaction() as session:
                for table in reversed(Base.metadata.sorted_tables):
                    await session.execute(delete(table))


@pytest.fixture(autouse=True)
def _services_back_before_teardown(
    app: FastAPI, redis_proxy: TcpProxy, database_proxy: TcpProxy
) -> Iterator[None]:
    """A test that fails mid-fault still leaves the app able to shut down and clean up."""
    yield
    redis_proxy.resume()
    database_proxy.resume()
