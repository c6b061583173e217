"""Faults under load: a real server on PostgreSQL + Redis, each behind a TCP proxy, while

(a) Redis is paused (connections stay open, nothing is answered: a SIGSTOPped server),
(b) Redis is killed and restarted (every connection reset, new ones refused, then accepted),
(c) PostgreSQL is cut (the same at the database),
(d) two anonymous clients post oversized JSON bodies (nested empty arrays, 18 MB).

A bounded open-loop load runs throughout (``--rate`` requests/s: 60 % reads, 15 % note writes,
25 % live-call requests: web test calls, their turns, Twilio voice and gather webhooks), with
``/health/live`` probed 10 times a second and ``/health/ready`` once a second. Each fault gets
a ``before`` window (the baseline), the fault itself (``during``) and an ``after`` window. Per
window it prints status counts, p50/p99 latency (all mix requests, live-call requests only,
liveness), readiness answers and 500s; then the server's warning log lines during the fault and
the targets: no 500 anywhere, liveness p99 < 50 ms during (d), live-call p99 < 1 s during (a),
every request after recovery succeeds.

    .venv/bin/python benchmarks/faults.py [--rate 20] [--before 10] [--during 10]
        [--after 10] [--faults abcd] [--oversized-mb 18]

Environment: AICALLER_BENCH_PG (server URL, default postgresql://postgres@127.0.0.1:5432) and
AICALLER_BENCH_REDIS (default redis://127.0.0.1:6379/12; flushed).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Coroutine
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the tests' TCP proxy
from bench_app import app_settings, create_tenant, flush_redis, server_environment, sign_in
from bench_postgres import fresh_database
from faults_load import PUBLIC_URL, REQUEST_TIMEOUT, TWILIO_SID, TWILIO_TOKEN, Load, prepare
from tests.faults.proxy import TcpProxy

REDIS = os.environ.get("AICALLER_BENCH_REDIS", "redis://127.0.0.1:6379/12")
DB_NAME = "aicaller_hard_faults_bench"
FAULTS = {
    "a": "Redis paused",
    "b": "Redis killed and restarted",
    "c": "PostgreSQL cut",
    "d": "two anonymous clients posting oversized JSON",
}
MIX = ("read", "write", "live")
WATCHED = ("unhandled_exception", "database_unavailable", "cache_unavailable",
           "rate_limit_storage_unavailable", "event_publish_failed", "job_dispatch_failed",
           "readiness_check_failed")  # fmt: skip


class Proxies:
    """The PostgreSQL and Redis proxies, on an event loop of their own in a thread, so their
    forwarding does not queue behind the load generator's work (nor the other way round)."""

    def __init__(self, database_url: str, redis_url: str) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.database = self._run(_started(TcpProxy.for_url(database_url)))
        self.redis = self._run(_started(TcpProxy.for_url(redis_url)))

    def _run(self, work: Coroutine[Any, Any, TcpProxy | None]) -> Any:
        return asyncio.run_coroutine_threadsafe(work, self.loop).result()

    def act(self, proxy: TcpProxy, *actions: str) -> None:
        for action in actions:
            self.loop.call_soon_threadsafe(getattr(proxy, action))

    def close(self) -> None:
        for proxy in (self.database, self.redis):
            asyncio.run_coroutine_threadsafe(proxy.close(), self.loop).result()
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join()


async def _started(proxy: TcpProxy) -> TcpProxy:
    await proxy.start()
    return proxy


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _serve(database_url: str, redis_url: str, data_dir: Path, port: int) -> subprocess.Popen[bytes]:
    values = app_settings(
        database_url, redis_url, data_dir,
        rate_limit_enabled=True,  # the limiter's Redis path is part of what is faulted
        rate_limit_authenticated="100000/minute", rate_limit_anonymous="100000/minute",
        log_json=True, twilio_account_sid=TWILIO_SID, twilio_auth_token=TWILIO_TOKEN,
        twilio_from_number="+14155550199", public_url=PUBLIC_URL,
    )  # fmt: skip
    env = {**os.environ, **server_environment(values)}
    command = [sys.executable, "-m", "aicaller", "serve", "--port", str(port)]
    log = (data_dir / "server.log").open("wb")
    return subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603


async def _wait_ready(base: str) -> None:
    async with httpx.AsyncClient(base_url=base) as client:
        for _ in range(300):
            try:
                if (await client.get("/health/ready")).status_code == 200:
                    return
            except httpx.TransportError:
                await asyncio.sleep(0.1)
                continue
            await asyncio.sleep(0.1)
    raise SystemExit("the server did not become ready; see server.log")


async def _run_fault(
    name: str, load: Load, proxies: Proxies, base: str, log: Path, args: argparse.Namespace
) -> dict[str, Any]:
    """Load for before + during + after seconds, the fault in the middle; the time marks."""
    # Built before the load starts: joining 6 million items blocks this process for a while.
    body = b""
    if name == "d":
        body = ("[" + ",".join(["[]"] * (args.oversized_mb * 1024 * 1024 // 3)) + "]").encode()
    stop = asyncio.Event()
    probes = [
        asyncio.create_task(load.probe("liveness", "/health/live", 0.1, stop)),
        asyncio.create_task(load.probe("readiness", "/health/ready", 1.0, stop)),
    ]
    start = time.monotonic()
    mix = asyncio.create_task(load.run(args.rate, args.before + args.during + args.after))
    await asyncio.sleep(args.before)
    fault_at, log_at = time.monotonic(), log.stat().st_size  # noqa: ASYNC240 - one stat
    stop_oversized = asyncio.Event()
    oversized: list[asyncio.Task[None]] = []
    if name == "a":
        proxies.act(proxies.redis, "pause")
    elif name in "bc":
        proxy = proxies.redis if name == "b" else proxies.database
        proxies.act(proxy, "refuse", "drop")
    else:
        oversized = [asyncio.create_task(load.oversized(base, body, stop_oversized)) for _ in "12"]
    await asyncio.sleep(args.during)
    if name == "d":
        stop_oversized.set()
    else:
        proxies.act(proxies.redis if name in "ab" else proxies.database, "resume")
    restored_at = time.monotonic()
    await mix
    stop.set()
    await asyncio.gather(*probes, *oversized)
    events = _log_events(log, log_at)
    return {"start": start, "fault": fault_at, "restored": restored_at, "events": events}


def _log_events(log: Path, offset: int) -> Counter[str]:
    with log.open("rb") as handle:
        handle.seek(offset)
        lines = handle.read().decode(errors="replace").splitlines()
    events: Counter[str] = Counter()
    for line in lines:
        try:
            events[json.loads(line).get("event", "?")] += 1
        except json.JSONDecodeError:
            events["<not json>"] += 1  # a traceback printed outside the formatter
    return events


def _p(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


def _report(
    name: str, marks: dict[str, Any], load: Load, args: argparse.Namespace
) -> dict[str, float]:
    print(f"\n({name}) {FAULTS[name]} for {args.during:.0f} s")
    print(f"{'phase':<8}{'mix':>5}  {'statuses':<34}{'p50':>7}{'p99':>8}{'live p99':>9}"
          f"{'liveness p99':>13}  readiness")  # fmt: skip
    bounds = {"before": (marks["start"], marks["fault"]),
              "during": (marks["fault"], marks["restored"]),
              "after": (marks["restored"], marks["restored"] + args.after)}  # fmt: skip
    found: dict[str, float] = {}
    for phase, (low, high) in bounds.items():
        window = [s for s in load.samples if low <= s.started < high]
        mix = [s for s in window if s.kind in MIX]
        statuses = Counter(s.outcome for s in mix)
        live = [s.ms for s in mix if s.kind == "live"]
        liveness = [s.ms for s in window if s.kind == "liveness"]
        ready = Counter(f"{s.outcome} {s.detail}" for s in window if s.kind == "readiness")
        latencies = [s.ms for s in mix]
        print(
            f"{phase:<8}{len(mix):>5}  {_counts(statuses):<34}{_p(latencies, 0.5):>7.0f}"
            f"{_p(latencies, 0.99):>8.0f}{_p(live, 0.99):>9.0f}{_p(liveness, 0.99):>13.1f}"
            f"  {_counts(ready)}"
        )
        found[f"{phase} 500s"] = sum(n for o, n in statuses.items() if o == "500")
        found[f"{phase} live p99"] = _p(live, 0.99)
        found[f"{phase} liveness p99"] = _p(liveness, 0.99)
        failed = [s for s in mix if s.outcome[0] == "5" or s.outcome in ("timeout", "error")]
        found[f"{phase} failures"] = len(failed)
        if phase == "after" and failed:
            last = max(s.started for s in failed) - low
            print(f"{'':<8}last failed request started {last:.2f} s after the fault ended")
        found[f"{phase} oversized 500s"] = sum(
            1 for s in window if s.kind == "oversized" and s.outcome == "500"
        )
    oversized = [s for s in load.samples if s.kind == "oversized" and s.started >= marks["fault"]]
    if oversized:
        outcomes = _counts(Counter(s.outcome for s in oversized))
        typical = _p([s.ms for s in oversized], 0.5)
        print(f"oversized bodies: {len(oversized)} sent, {outcomes}, p50 {typical:.0f} ms")
    watched = {event: n for event, n in marks["events"].items() if event in WATCHED or "<" in event}
    print(f"server log lines from the fault on: {_counts(Counter(watched)) or 'none watched'}")
    return found


def _counts(counter: Counter[str]) -> str:
    return " ".join(f"{key}:{value}" for key, value in sorted(counter.items()))


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=20.0, help="mix requests per second")
    parser.add_argument("--before", type=float, default=10.0)
    parser.add_argument("--during", type=float, default=10.0)
    parser.add_argument("--after", type=float, default=10.0)
    parser.add_argument("--faults", default="abcd")
    parser.add_argument("--oversized-mb", type=int, default=18)
    args = parser.parse_args()
    url = await fresh_database(DB_NAME)
    await create_tenant(url)
    await flush_redis(REDIS)
    proxies = Proxies(url, REDIS)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "server.log"
        server = _serve(proxies.database.url(url), proxies.redis.url(REDIS), Path(tmp), port)
        try:
            await _wait_ready(base)
            limits = httpx.Limits(max_connections=400, max_keepalive_connections=100)
            async with httpx.AsyncClient(
                base_url=base, limits=limits, timeout=REQUEST_TIMEOUT
            ) as client:
                await sign_in(client)
                load = Load(client, await prepare(client, 20))
                await load.run(args.rate, 3.0)  # warm up: connections, caches, the pool
                load.samples.clear()
                for name in args.faults:
                    marks = await _run_fault(name, load, proxies, base, log, args)
                    results[name] = _report(name, marks, load, args)
        finally:
            server.terminate()
            server.wait(timeout=30)
            proxies.close()
    _targets(results)


def _targets(results: dict[str, dict[str, float]]) -> None:
    print("\ntargets")
    fives = {n: sum(v for k, v in r.items() if "500s" in k) for n, r in results.items()}
    print(f"  no 500 in any phase: {'yes' if not any(fives.values()) else 'NO ' + str(fives)}")
    if "d" in results:
        print(f"  liveness p99 during (d) < 50 ms: {results['d']['during liveness p99']:.1f} ms")
    if "a" in results:
        print(f"  live-call p99 during (a) < 1 s: {results['a']['during live p99']:.0f} ms")
    after = {n: int(r["after failures"]) for n, r in results.items()}
    print(f"  failed mix requests after recovery: {after}")


if __name__ == "__main__":
    asyncio.run(main())
