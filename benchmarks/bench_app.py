"""What the benchmarks of the app over HTTP share: a migrated database with a business and its
admin, the settings the app runs with (in-process, or as a server's environment), a flushed
Redis, and a signed-in client."""

from __future__ import annotations

import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

import httpx
from pydantic import SecretStr
from redis.asyncio import Redis

from aicaller import bootstrap
from aicaller.config import Settings
from aicaller.core.security import PasswordHasher
from aicaller.database import migrate
from aicaller.database.session import Database, create_engine
from aicaller.users.roles import Role
from aicaller.users.schemas import UserCreate
from aicaller.users.service import UserService

EMAIL, PASSWORD = "bench@example.com", "benchmark password"
BUSINESS = "Bench Co"


@dataclass(frozen=True, slots=True)
class Tenant:
    business_id: uuid.UUID
    admin_id: uuid.UUID
    others: tuple[uuid.UUID, ...]


async def create_tenant(
    url: str, *, timezone: str | None = None, others: tuple[str, ...] = ()
) -> Tenant:
    """Migrate ``url``; create the business (in ``timezone``), its admin (EMAIL, PASSWORD) and
    the businesses named in ``others`` (whose data must never show up in the first's)."""
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings.model_validate(
            {"environment": "test", "data_dir": Path(tmp), "database_url": url}
        )
        database = Database(create_engine(settings))
        try:
            await migrate.upgrade(database.engine)
            async with database.transaction() as session:
                config = {"timezone": timezone} if timezone else {}
                business = await bootstrap.create_business(session, name=BUSINESS, **config)
                extra = [await bootstrap.create_business(session, name=n) for n in others]
                hasher = PasswordHasher(time_cost=1, memory_kib=1024)  # fast: benchmarks only
                admin = await UserService(session, business.id, hasher).create(
                    UserCreate(email=EMAIL, password=SecretStr(PASSWORD), role=Role.ADMIN)
                )
        finally:
            await database.dispose()
    return Tenant(business.id, admin.id, tuple(b.id for b in extra))


def app_settings(url: str, redis: str, data_dir: Path, **overrides: object) -> dict[str, object]:
    """The settings both kinds of benchmark run the app with: the database and Redis given, no
    rate limits (the load is the benchmark's), warnings only."""
    return {
        "data_dir": data_dir,
        "database_url": url,
        "redis_url": redis,
        "secret_key": "benchmark-secret-key-0123456789-abcdefgh",
        "rate_limit_enabled": False,
        "log_level": "WARNING",
        **overrides,
    }


def server_environment(values: dict[str, object]) -> dict[str, str]:
    """``app_settings`` as the environment of an ``aicaller serve`` process."""
    return {f"AICALLER_{name.upper()}": str(value) for name, value in values.items()}


async def flush_redis(url: str) -> None:
    redis = Redis.from_url(url)
    try:
        await redis.flushdb()
    finally:
        await redis.aclose()


async def sign_in(client: httpx.AsyncClient) -> None:
    """Sign the admin in; the client sends the token from then on."""
    credentials = {"username": EMAIL, "password": PASSWORD}
    response = await client.post("/api/v1/auth/token", data=credentials)
    response.raise_for_status()
    client.headers["Authorization"] = f"Bearer {response.json()['access_token']}"
