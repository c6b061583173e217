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
import itertools
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_app import create_tenant, flush_redis, sign_in
from bench_postgres import fresh_database
from faults_load import REQUEST_TIMEOUT, Load, prepare
from faults_setup import Proxies, free_port, serve, wait_ready

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
    start, offsets = time.monotonic(), [_size(log)]
    mix = asyncio.create_task(load.run(args.rate, args.before + args.during + args.after))
    await asyncio.sleep(args.before)
    fault_at = time.monotonic()
    offsets.append(_size(log))
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
    offsets.append(_size(log))
    await mix
    stop.set()
    await asyncio.gather(*probes, *oversized)
    offsets.append(_size(log))
    events = [_log_events(log, low, high) for low, high in itertools.pairwise(offsets)]
    return {"start": start, "fault": fault_at, "restored": restored_at, "events": events}


async def _quiet(client: httpx.AsyncClient) -> None:
    """Wait (120 s at most) until liveness answers within 50 ms ten times in a row: what one
    fault leaves behind (requests queued behind parsed bodies) must not count against the next
    fault's baseline."""
    deadline, quick = time.monotonic() + 120, 0
    while quick < 10 and time.monotonic() < deadline:
        started = time.monotonic()
        response = await client.get("/health/live")
        fast = response.status_code == 200 and time.monotonic() - started < 0.05
        quick = quick + 1 if fast else 0
        await asyncio.sleep(0.2)


def _size(log: Path) -> int:
    return log.stat().st_size


def _log_events(log: Path, offset: int, end: int) -> Counter[str]:
    with log.open("rb") as handle:
        handle.seek(offset)
        lines = handle.read(end - offset).decode(errors="replace").splitlines()
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
    for number, (phase, (low, high)) in enumerate(bounds.items()):
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
        failed = [
            s for s in mix if s.outcome[0] == "5" or s.outcome.startswith(("timeout", "error"))
        ]
        found[f"{phase} failures"] = len(failed)
        if phase == "after" and failed:
            last = max(s.started for s in failed) - low
            print(f"{'':<8}last failed request started {last:.2f} s after the fault ended")
        found[f"{phase} 500s"] += sum(
            1 for s in window if s.kind == "oversized" and s.outcome == "500"
        )
        logged = marks["events"][number]
        watched = Counter({e: n for e, n in logged.items() if e in WATCHED or "<" in e})
        print(f"{'':<8}server log: {_counts(watched) or '-'}")
    oversized = [s for s in load.samples if s.kind == "oversized" and s.started >= marks["fault"]]
    if oversized:
        outcomes = _counts(Counter(s.outcome for s in oversized))
        typical = _p([s.ms for s in oversized], 0.5)
        print(f"oversized bodies: {len(oversized)} sent, {outcomes}, p50 {typical:.0f} ms")
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
    parser.add_argument("--rounds", type=int, default=1, help="the fault sequence, repeated")
    parser.add_argument("--oversized-mb", type=int, default=18)
    parser.add_argument("--server-log", type=Path, help="keep the server's log here")
    parser.add_argument("--server-log-level", default="WARNING")
    args = parser.parse_args()
    url = await fresh_database(DB_NAME)
    await create_tenant(url)
    await flush_redis(REDIS)
    proxies = Proxies(url, REDIS)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    rounds: list[dict[str, dict[str, float]]] = []
    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "server.log"
        urls = (proxies.database.url(url), proxies.redis.url(REDIS))
        server = serve(*urls, Path(tmp), port, args.server_log_level)
        try:
            await wait_ready(base)
            limits = httpx.Limits(max_connections=400, max_keepalive_connections=100)
            async with httpx.AsyncClient(
                base_url=base, limits=limits, timeout=REQUEST_TIMEOUT
            ) as client:
                await sign_in(client)
                load = Load(client, await prepare(client, 20))
                await load.run(args.rate, 3.0)  # warm up: connections, caches, the pool
                for number in range(args.rounds):
                    print(f"\nround {number + 1} of {args.rounds}")
                    load.samples.clear()
                    rounds.append({})
                    for name in args.faults:
                        await _quiet(client)
                        marks = await _run_fault(name, load, proxies, base, log, args)
                        rounds[-1][name] = _report(name, marks, load, args)
        finally:
            server.terminate()
            server.wait(timeout=30)
            proxies.close()
            if args.server_log:
                shutil.copyfile(log, args.server_log)
    _targets(rounds)


def _targets(rounds: list[dict[str, dict[str, float]]]) -> None:
    print(f"\ntargets (median of {len(rounds)} rounds where a number)")

    def median(fault: str, key: str) -> float:
        return statistics.median(r[fault][key] for r in rounds)

    fives = sum(v for r in rounds for f in r.values() for k, v in f.items() if "500s" in k)
    print(f"  no 500 in any phase: {'yes' if not fives else f'NO, {fives:.0f}'}")
    if "d" in rounds[0]:
        print(f"  liveness p99 during (d) < 50 ms: {median('d', 'during liveness p99'):.1f} ms")
    if "a" in rounds[0]:
        print(f"  live-call p99 during (a) < 1 s: {median('a', 'during live p99'):.0f} ms")
        print(f"    (before (a), the baseline: {median('a', 'before live p99'):.0f} ms)")
    after = {n: sum(int(r[n]["after failures"]) for r in rounds) for n in rounds[0]}
    print(f"  failed mix requests after recovery (all rounds): {after}")


if __name__ == "__main__":
    asyncio.run(main())
