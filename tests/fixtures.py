"""Shared fixtures: one migrated database per backend, one app per settings, tenants, tokens.

Loaded by tests/conftest.py in every process that runs tests (not in pytest-xdist's controller).

Every test that asks for ``app`` runs on SQLite, and also on PostgreSQL when
``AICALLER_TEST_DATABASE_URL`` is set (CI sets it and fails when the server is unreachable,
so nothing is silently skipped there).
"""

from __future__ import annotations

import asyncio
import io
import logging
import os
import socket
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import hypothesis
import pytest
from fastapi import FastAPI
from redis.asyncio import Redis

import aicaller.agent.tasks  # noqa: F401 - registers the post-call job taken out below
from aicaller.calls.service import POST_CALL_JOB
from aicaller.config import Settings
from aicaller.core.logging import build_formatter, configure_logging
from aicaller.database import migrate
from aicaller.database.session import Database, create_engine
from aicaller.knowledge.embeddings.service import EMBED_JOB
from aicaller.knowledge.embeddings.tasks import SWEEP_JOB as EMBED_SWEEP_JOB
from aicaller.knowledge.sources.service import SYNC_JOB
from aicaller.knowledge.sources.tasks import RESYNC_JOB
from aicaller.worker import registry
from tests.app_pool import AppPool
from tests.factories import Tenant, make_tenant
from tests.services import (
    create_worker_database,
    drop_worker_database,
    worker_database_url,
    worker_redis_url,
)

# No Hypothesis deadlines: a time limit per example is a timing assertion, and fails on a busy
# machine. Examples stay bounded by their counts.
hypothesis.settings.register_profile("aicaller", deadline=None)
hypothesis.settings.load_profile("aicaller")

CONFIGURED_PG_URL = os.environ.get("AICALLER_TEST_DATABASE_URL")
# This process's own databases when pytest-xdist runs several (tests/services.py).
PG_URL = worker_database_url(CONFIGURED_PG_URL)
REDIS_URL = worker_redis_url(os.environ.get("AICALLER_TEST_REDIS_URL"))
BACKENDS = ["sqlite", "postgresql"] if PG_URL else ["sqlite"]


@pytest.fixture(scope="session", autouse=True)
def _configured_services_answer() -> None:
    """When CI names a Redis, it must answer: a missing service fails the run, never skips."""
    if REDIS_URL:
        url = urlsplit(REDIS_URL)
        with socket.create_connection((url.hostname or "127.0.0.1", url.port or 6379), 5) as sock:
            sock.sendall(b"PING\r\n")
            assert sock.recv(64).startswith(b"+PONG"), f"Redis at {REDIS_URL} did not answer"


def make_settings(tmp_path: Path, database_url: str, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "environment": "test",
        "data_dir": tmp_path,
        "database_url": database_url,
        "secret_key": "test-secret-key-that-is-long-enough-0123456789",
        "auto_migrate": False,
        # Cheap argon2 in tests; production uses the library's recommended cost.
        "password_time_cost": 1,
        "password_memory_kib": 1024,
        "log_level": "INFO",
        # Generous limits: tests sign in often; the rate limit tests set their own.
        "rate_limit_login_ip": "10000/minute",
        "rate_limit_login_account": "10000/minute",
        "rate_limit_anonymous": "10000/minute",
        # Loading recogniser models at every app start would cost the suite seconds; the
        # voice tests load them on their first call.
        "voice_preload_decoders": 0,
        # Likewise extraction processes at every app start; the tests that sync start them.
        "knowledge_extract_preload": False,
    }
    values.update(overrides)
    # model_validate skips the environment and .env: tests state every setting they rely on.
    return Settings.model_validate(values)


@pytest.fixture(scope="session", autouse=True)
def _worker_database() -> Iterator[None]:
    """This worker's own PostgreSQL database, for every test using PG_URL (tests/services.py)."""
    if not (PG_URL and CONFIGURED_PG_URL):
        yield
        return
    asyncio.run(create_worker_database(CONFIGURED_PG_URL, PG_URL))
    yield
    asyncio.run(drop_worker_database(CONFIGURED_PG_URL, PG_URL))


@pytest.fixture(scope="session")
def database_urls(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Migrate each backend once per run; tests then share the schema and clean their rows."""
    urls = {"sqlite": f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"}
    if PG_URL:
        urls["postgresql"] = PG_URL

    async def prepare() -> None:
        settings = make_settings(tmp_path_factory.mktemp("prep"), urls["sqlite"])
        for url in urls.values():
            engine = create_engine(settings, url)
            try:
                await migrate.downgrade(engine, "base")
                await migrate.upgrade(engine)
            finally:
                await engine.dispose()

    asyncio.run(prepare())
    return urls


@pytest.fixture(scope="session", autouse=True)
def _logging_configured() -> None:
    """Logging as the app sets it up, from the first test on: what a test logs does not depend
    on whether an earlier test in the same process happened to build an app."""
    configure_logging(level="INFO", json=False)


@pytest.fixture
def log_output() -> Iterator[io.StringIO]:
    """Everything logged during the test, exactly as the JSON formatter writes it."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(build_formatter(json=True))
    root = logging.getLogger()
    root.addHandler(handler)
    if root.level > logging.INFO:
        root.setLevel(logging.INFO)
    try:
        yield stream
    finally:
        root.removeHandler(handler)


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@asynccontextmanager
async def backend_settings(
    data_dir: Path, backend: str, database_urls: dict[str, str], **overrides: object
) -> AsyncIterator[Settings]:
    """The embedded column (SQLite, in-process cache) or the scale-out one (PostgreSQL +
    Redis, flushed afterwards), with ``overrides``: what a test module's ``settings`` fixture
    builds on."""
    redis_url = REDIS_URL if backend == "postgresql" else None
    yield make_settings(data_dir, database_urls[backend], redis_url=redis_url, **overrides)
    if redis_url:
        await flush_redis(redis_url)


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shared apps' data directory: one per run, so equal settings mean one app."""
    return tmp_path_factory.mktemp("data")


@pytest.fixture
async def settings(
    data_dir: Path, backend: str, database_urls: dict[str, str]
) -> AsyncIterator[Settings]:
    async with backend_settings(data_dir, backend, database_urls) as values:
        yield values


@pytest.fixture(scope="session")
async def app_pool() -> AsyncIterator[AppPool]:
    pool = AppPool()
    try:
        yield pool
    finally:
        await pool.close()


async def flush_redis(url: str) -> None:
    client = Redis.from_url(url)
    try:
        await client.flushdb()
    finally:
        await client.aclose()


# Importing the tasks modules registers their jobs now, before the fixture below takes them out.
SYNC_JOBS = (SYNC_JOB, RESYNC_JOB)
POST_CALL_JOBS = (POST_CALL_JOB,)
EMBEDDING_JOBS = (EMBED_JOB, EMBED_SWEEP_JOB)  # always driven by the tests themselves
ALL_JOBS = dict(registry._jobs)


TAKEN_OUT = frozenset((*SYNC_JOBS, *POST_CALL_JOBS, *EMBEDDING_JOBS))


@pytest.fixture(scope="session", autouse=True)
def _background_jobs_taken_out() -> Iterator[None]:
    """Documentation syncs crawl the network and post-call analyses write to calls a test may
    be looking at: no test app's job runner (nor the re-sync schedule) runs one by itself; the
    runner only claims jobs whose handler is registered. Tests drive them directly, or keep
    them with ``@pytest.mark.background_syncs`` / ``@pytest.mark.post_call_jobs``.

    Taken out for the whole run rather than per test: a runner on another thread (the browser
    tests' live server) claimed a post-call job in the moment between two tests when the
    registry was whole, then found no handler for it."""
    everything = registry._jobs
    registry._jobs = {name: job for name, job in everything.items() if name not in TAKEN_OUT}
    yield
    registry._jobs = everything


@pytest.fixture(autouse=True)
def no_background_jobs(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """What a test's markers put back for it (see ``_background_jobs_taken_out``)."""
    kept: list[str] = []
    if request.node.get_closest_marker("background_syncs"):
        kept.extend(SYNC_JOBS)
    if request.node.get_closest_marker("post_call_jobs"):
        kept.extend(POST_CALL_JOBS)
    if kept:
        jobs = dict(registry._jobs)
        jobs.update({name: ALL_JOBS[name] for name in kept})
        monkeypatch.setattr(registry, "_jobs", jobs)


@pytest.fixture
async def app(settings: Settings, app_pool: AppPool) -> AsyncIterator[FastAPI]:
    """The running app for these settings, shared by every test that asks for the same ones;
    whatever a test wrote or changed is undone afterwards (see AppPool.reset)."""
    application = await app_pool.get(settings)
    saved = app_pool.snapshot(application)
    try:
        yield application
    finally:
        await app_pool.reset(application, saved)


@pytest.fixture
def database(app: FastAPI) -> Database:
    db: Database = app.state.database
    return db


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
        yield c


@pytest.fixture
async def tenant(app: FastAPI) -> Tenant:
    return await make_tenant(app, "Acme Plumbing")


@pytest.fixture
async def other_tenant(app: FastAPI) -> Tenant:
    return await make_tenant(app, "Globex Dental")
