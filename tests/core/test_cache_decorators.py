"""``@cached`` keys include the method, its arguments and always the tenant."""

from __future__ import annotations

import uuid
from pathlib import Path

from aicaller.core.cache import CONFIG, AppCache
from aicaller.core.cache_decorators import cache_key, cached
from tests.fixtures import make_settings


class Catalog:
    def __init__(self, cache: AppCache | None, business_id: uuid.UUID) -> None:
        self.cache = cache
        self.business_id = business_id
        self.loads = 0

    @cached(CONFIG)
    async def price(self, item: str, *, currency: str = "EUR") -> str:
        """Look a price up (expensively)."""
        self.loads += 1
        return f"{self.business_id}:{item}:{currency}"


async def test_results_are_cached_per_tenant_and_arguments(tmp_path: Path) -> None:
    cache = AppCache(make_settings(tmp_path, "sqlite+aiosqlite://"))
    await cache.start()
    a, b = Catalog(cache, uuid.uuid4()), Catalog(cache, uuid.uuid4())
    assert await a.price("x") == await a.price("x")
    assert a.loads == 1
    assert await b.price("x") == f"{b.business_id}:x:EUR"  # same call, other tenant: own value
    assert b.loads == 1
    await a.price("x", currency="USD")
    await a.price("y")
    assert a.loads == 3
    await cache.delete(CONFIG, tenant=a.business_id, key=cache_key(Catalog.price, ("x",), {}))
    await a.price("x")
    assert a.loads == 4
    assert Catalog.price.__doc__ == "Look a price up (expensively)."
    await cache.close()


async def test_without_a_cache_the_method_runs_every_time() -> None:
    catalog = Catalog(None, uuid.uuid4())
    await catalog.price("x")
    await catalog.price("x")
    assert catalog.loads == 2
