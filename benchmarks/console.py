"""The console's pages at volume: server render time and SQL statements per page with 100,000
calls in PostgreSQL (and Redis), and the JavaScript and CSS each page loads.

Seeds 100,000 calls over 60 days (benchmarks/calls_seed.py: transcripts on answered calls,
notes on 10%, escalations on about 8%) into a fresh database, signs in through the console's
form, then requests every page in turn, sequentially, in process (the app through
httpx.ASGITransport, so the time is the server's work: routing, services, SQL, template),
several rounds interleaved so drift hits every page alike. Prints per page the median over
rounds of p50 and p95 milliseconds, the statements one request ran (X-Query-Count) and the
uncompressed bytes of the scripts and stylesheets the page links.

"overview (not cached, from calls)" is the same uncached overview served by a second app of the
same run with ``analytics_rollups`` off (every figure read from the calls, as before migrations
0025 and 0026), its requests interleaved with the first app's: the before and after of both.

    .venv/bin/python benchmarks/console.py [--calls 100000] [--requests 30] [--rounds 3]

Environment: AICALLER_BENCH_PG (server URL, default postgresql://postgres@127.0.0.1:5432) and
AICALLER_BENCH_REDIS (default redis://127.0.0.1:6379/7); AICALLER_BENCH_CONSOLE_DB names the
database it drops and recreates (default aicaller_bench_console).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import httpx
from asgi_lifespan import LifespanManager

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_app import EMAIL, PASSWORD, app_settings, flush_redis
from bench_postgres import fresh_database
from calls_seed import seed_calls

from aicaller.config import Settings
from aicaller.console.routes.router import STATIC_DIR, STATIC_PATH
from aicaller.main import create_app

REDIS = os.environ.get("AICALLER_BENCH_REDIS", "redis://127.0.0.1:6379/7")
DB_NAME = os.environ.get("AICALLER_BENCH_CONSOLE_DB", "aicaller_bench_console")
FROM_CALLS = "overview (not cached, from calls)"  # served by the app without rollups
BASELINE = "baseline: API /users/me"  # the trivial signed-in request, same client and run
ASSET = re.compile(r'<(?:script src|link rel="stylesheet" href)="([^"]+)"')


def _pages(call_ids: list[str]) -> dict[str, Callable[[], str]]:
    today = date.today()

    # Custom periods of 23-30 days inside the seeded 60, each asked once, by either app: every
    # uncached overview is a cache miss (240 of them; a run asks for 188 by default).
    periods = [(start, length) for length in range(23, 31) for start in range(30, 60)]
    random.shuffle(periods)
    unseen = iter(periods)

    def uncached_overview() -> str:
        period = next(unseen, None)
        if period is None:
            raise SystemExit("more uncached overviews than periods: lower --requests or --rounds")
        start, length = period
        first = today - timedelta(days=start)
        last = first + timedelta(days=length - 1)
        return f"/app/overview?period=custom&from={first}&to={last}"

    return {
        BASELINE: lambda: "/api/v1/users/me",
        "overview (cached)": lambda: "/app/overview?period=30d",
        "overview (not cached)": uncached_overview,
        FROM_CALLS: uncached_overview,
        "calls": lambda: "/app/calls",
        "calls filtered": lambda: (
            f"/app/calls?status=completed&direction=inbound&from={today - timedelta(days=30)}"
            "&has_notes=true&sort=duration&order=desc"
        ),
        "calls text search": lambda: "/app/calls?q=insurance",  # a fifth of the summaries
        "calls search transcript": lambda: "/app/calls?q=appointment",  # most transcripts
        "calls search no match": lambda: "/app/calls?q=water+heater",  # reads only indexes
        "call detail": lambda: f"/app/calls/{random.choice(call_ids)}",  # noqa: S311
        "escalations": lambda: "/app/escalations?status=open&status=acknowledged",
        "live": lambda: "/app/live",
        "knowledge": lambda: "/app/knowledge?q=opening+hours",
        "test call": lambda: "/app/test-call",
        "settings": lambda: "/app/settings",
        "team": lambda: "/app/team",
        "exports": lambda: "/app/exports",
    }


async def _sign_in(client: httpx.AsyncClient) -> None:
    page = await client.get("/")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token is not None
    form = {"email": EMAIL, "password": PASSWORD, "csrf_token": token.group(1)}
    response = await client.post("/app/login", data=form)
    assert response.status_code == 303, response.text
    # The baseline is an API request; pages ignore the bearer token and use the cookie.
    issued = await client.post("/api/v1/auth/token", data={"username": EMAIL, "password": PASSWORD})
    client.headers["Authorization"] = f"Bearer {issued.json()['access_token']}"


def _asset_bytes(html: str) -> int:
    total = 0
    for url in ASSET.findall(html):  # (the API's JSON links nothing)
        total += (STATIC_DIR / url.removeprefix(f"{STATIC_PATH}/")).stat().st_size
    return total


def _percentile(ordered: list[float], share: float) -> float:
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def _round(
    clients: dict[str, httpx.AsyncClient], pages: dict[str, Callable[[], str]], requests: int
) -> dict[str, tuple[float, float, int]]:
    """Every page ``requests`` times, from the client of its name (else ``clients[""]``)."""
    results = {}
    for name, url in pages.items():
        client = clients.get(name, clients[""])
        timings, statements = [], []
        for _ in range(requests):
            started = time.perf_counter()
            response = await client.get(url())
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (name, response.status_code)
            statements.append(int(response.headers["X-Query-Count"]))
        ordered = sorted(timings)
        results[name] = (_percentile(ordered, 0.5), _percentile(ordered, 0.95), max(statements))
    return results


async def main(calls: int, requests: int, rounds: int) -> None:
    print(f"load average at start: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    url = await fresh_database(DB_NAME)
    began = time.perf_counter()
    call_ids = await seed_calls(url, calls)
    print(f"seeded {calls:,} calls in {time.perf_counter() - began:.0f} s")
    await flush_redis(REDIS)
    with tempfile.TemporaryDirectory() as tmp:
        # No slow-query log lines: the statements are what is measured.
        values = app_settings(
            url, REDIS, Path(tmp), environment="development", slow_query_ms=60_000
        )
        app = create_app(Settings.model_validate(values))  # warnings only (app_settings)
        before = create_app(Settings.model_validate({**values, "analytics_rollups": False}))
        async with (
            LifespanManager(app),
            LifespanManager(before),
            httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app), base_url="http://b"
            ) as client,
            httpx.AsyncClient(
                transport=httpx.ASGITransport(app=before), base_url="http://b"
            ) as old,
        ):
            await _sign_in(client)
            await _sign_in(old)
            clients = {"": client, FROM_CALLS: old}
            pages = _pages(call_ids)
            assets = {
                name: _asset_bytes((await clients.get(name, client).get(u())).text)
                for name, u in pages.items()
            }
            await _round(clients, pages, 3)  # warm: pools, caches, templates
            measured = [await _round(clients, pages, requests) for _ in range(rounds)]
    print(f"\n{calls:,} calls, {requests} requests per page per round, median of {rounds} rounds")
    print(f"{'page':<24}{'p50 ms':>9}{'p95 ms':>9}{'x base':>8}{'SQL':>6}{'JS+CSS KB':>11}")
    base = statistics.median(r[BASELINE][0] for r in measured)
    for name in pages:
        p50 = statistics.median(r[name][0] for r in measured)
        p95 = statistics.median(r[name][1] for r in measured)
        sql = max(r[name][2] for r in measured)
        kilobytes = assets[name] / 1024
        print(f"{name:<24}{p50:>9.1f}{p95:>9.1f}{p50 / base:>8.1f}{sql:>6}{kilobytes:>11.1f}")
    print(f"load average at end: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    asyncio.run(main(args.calls, args.requests, args.rounds))
