"""The agent's speed with the Python 3.11 docs indexed: one offline turn, and Twilio's gather
webhook round trip with 20 simultaneous calls on 2 workers.

1. Turn latency: the docs are synced into the database, then test calls ask the caller-style
   questions of ``retrieval_questions.py`` (plus hours and thanks) through
   ``ConversationService.respond``: locking the call, reading the transcript and the
   configuration (from the cache, as a server does), searching (never from the cache: each
   question as if asked for the first time), choosing what to say and storing both turns.
   SQLite and PostgreSQL; p50/p95 over every turn after a first round that warms up.
2. Gather round trip: ``aicaller serve --workers 2`` on that PostgreSQL database with Redis and
   a Twilio account configured; ``--calls`` simulated Twilio calls at once, each posting its
   signed voice webhook and then ``--turns`` signed gather webhooks with spoken questions, one
   after another as a caller would: ``--think`` seconds apart (on a real call the caller hears
   the answer and speaks again between two gathers, several seconds; calls start at random
   moments within that time). p50/p95/p99 of the gather round trips over every call. Also
   printed: the same with no pause at all (every call posting its next turn the moment the
   last one is answered), which measures saturation rather than a caller's wait.

    .venv/bin/python benchmarks/agent.py [--rounds 3] [--calls 20] [--turns 10] [--think 2]
        [--skip-gather]

Environment: AICALLER_BENCH_PG (default postgresql://postgres@127.0.0.1:5432; the database
aicaller_bench_agent is dropped and recreated) and AICALLER_BENCH_REDIS (default
redis://127.0.0.1:6379/12).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx
from redis.asyncio import Redis
from sqlalchemy import text
from twilio.request_validator import RequestValidator

from aicaller.agent.agents import Agents
from aicaller.agent.conversation import ConversationService
from aicaller.config import Settings
from aicaller.core.cache import SEARCH, AppCache
from aicaller.core.logging import configure_logging
from aicaller.database.session import Database

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_postgres import PG, fresh_database
from calls_api import _free_port, _percentile, _wait_ready
from crawl import first_sync
from docs_site import python_docs, serve
from retrieval_questions import QUESTIONS

REDIS = os.environ.get("AICALLER_BENCH_REDIS", "redis://127.0.0.1:6379/12")
DB_NAME = "aicaller_bench_agent"
ACCOUNT_SID, AUTH_TOKEN = "AC" + "0" * 32, "b" * 32
EXTRA = ["are you open on saturday", "thanks, that helps"]
UTTERANCES = [question for question, _ in QUESTIONS] + EXTRA
TURNS_PER_CALL = 6


async def turn_latency(database: Database, business_id: uuid.UUID, rounds: int) -> list[float]:
    """Milliseconds per ``respond`` over test calls of a few questions each."""
    # No LLM endpoint configured: the offline agent answers. The cache is the server's default
    # (in process), so the configuration is read from it as in production, but searches are
    # dropped from it before every turn: each question is searched as if asked for the first time.
    settings = Settings.model_validate({"environment": "test"})
    agents, cache = Agents(settings, http=None), AppCache(settings)
    await cache.start()
    timings: list[float] = []
    for round_index in range(rounds + 1):  # the first round warms the caches up
        for start in range(0, len(UTTERANCES), TURNS_PER_CALL):
            async with database.transaction() as session:
                service = ConversationService(session, business_id, agents=agents, cache=cache)
                call = (await service.start_web_call({})).call
            for utterance in UTTERANCES[start : start + TURNS_PER_CALL]:
                await cache.layered.delete_match(f"{SEARCH}:*")
                began = time.perf_counter()
                async with database.transaction() as session:
                    service = ConversationService(session, business_id, agents=agents, cache=cache)
                    await service.respond(call.id, utterance)
                if round_index:
                    timings.append((time.perf_counter() - began) * 1000)
    await cache.close()
    return timings


def _server(url: str, data_dir: Path, port: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "AICALLER_ENVIRONMENT": "development",
        "AICALLER_DATA_DIR": str(data_dir),
        "AICALLER_DATABASE_URL": url,
        "AICALLER_REDIS_URL": REDIS,
        "AICALLER_SECRET_KEY": "benchmark-secret-key-0123456789-abcdefgh",
        "AICALLER_LOG_LEVEL": "WARNING",
        "AICALLER_TWILIO_ACCOUNT_SID": ACCOUNT_SID,
        "AICALLER_TWILIO_AUTH_TOKEN": AUTH_TOKEN,
        "AICALLER_PUBLIC_URL": f"http://127.0.0.1:{port}",
    }
    command = [sys.executable, "-m", "aicaller", "serve", "--workers", "2", "--port", str(port)]
    log = (data_dir / "server.log").open("wb")
    return subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603


def _cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and all its descendants (the server's workers), from
    /proc: a measure the other load on the machine does not inflate."""
    ticks = os.sysconf("SC_CLK_TCK")
    total, pending = 0.0, [pid]
    while pending:
        current = pending.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
        pending += [int(child) for child in children]
    return total


class PhoneCall:
    """What Twilio does on one call: signed webhooks, following the Gather action URLs."""

    def __init__(self, client: httpx.AsyncClient, base: str, number: int) -> None:
        self.client, self.base = client, base
        self.sid = f"CA{number:032x}"
        self.validator = RequestValidator(AUTH_TOKEN)
        self.action = ""

    async def _post(self, path: str, params: dict[str, str]) -> str:
        signature = self.validator.compute_signature(f"{self.base}{path}", params)
        response = await self.client.post(
            path, data=params, headers={"X-Twilio-Signature": signature}
        )
        response.raise_for_status()
        start = response.text.find('<Gather action="')
        if start >= 0:
            url = response.text[start + 16 : response.text.index('"', start + 16)]
            self.action = url.replace("&amp;", "&").removeprefix(self.base)
        return response.text

    def params(self, **extra: str) -> dict[str, str]:
        return {"AccountSid": ACCOUNT_SID, "CallSid": self.sid, "From": "+14155550111",
                "To": "+14155550123", "CallStatus": "in-progress", **extra}  # fmt: skip

    async def run(self, turns: int, offset: int, think: float, timings: list[float]) -> None:
        await asyncio.sleep(random.uniform(0, think))  # noqa: S311 - calls start at random
        await self._post("/telephony/twilio/voice", self.params(CallStatus="ringing"))
        for index in range(turns):
            await asyncio.sleep(think)
            words = UTTERANCES[(offset + index) % len(UTTERANCES)]
            began = time.perf_counter()
            await self._post(self.action, self.params(SpeechResult=words, Confidence="0.9"))
            timings.append((time.perf_counter() - began) * 1000)


async def gather_round_trips(
    url: str, calls: int, turns: int, rounds: int, thinks: tuple[float, ...]
) -> dict[float, list[float]]:
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as tmp:
        redis = Redis.from_url(REDIS)
        await redis.flushdb()
        await redis.aclose()
        server = _server(url, Path(tmp), port)
        try:
            await _wait_ready(base)
            timings: dict[float, list[float]] = {think: [] for think in thinks}
            cpu_ms: dict[float, list[float]] = {think: [] for think in thinks}
            limits = httpx.Limits(max_connections=calls)
            async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:
                for round_index in range(rounds + 1):  # the first round warms the workers up
                    for number, think in enumerate(thinks):
                        sample: list[float] = []
                        first = (round_index * len(thinks) + number) * 1000
                        phones = [PhoneCall(client, base, first + n) for n in range(calls)]
                        cpu = _cpu_seconds(server.pid)
                        await asyncio.gather(
                            *(p.run(turns, n * 3, think, sample) for n, p in enumerate(phones))
                        )
                        if round_index:
                            timings[think] += sample
                            # per webhook (the voice one of each call included)
                            spent = _cpu_seconds(server.pid) - cpu
                            cpu_ms[think].append(spent * 1000 / (calls * (turns + 1)))
            for think, spent in cpu_ms.items():
                median = statistics.median(spent)
                print(f"  server CPU per webhook ({think:g} s apart): {median:.1f} ms")
            return timings
        finally:
            server.terminate()
            server.wait(30)


def _line(name: str, timings: list[float]) -> str:
    ordered = sorted(timings)
    return (
        f"{name}: {len(ordered)} turns, p50 {_percentile(ordered, 0.5):.1f} ms, "
        f"p95 {_percentile(ordered, 0.95):.1f} ms, p99 {_percentile(ordered, 0.99):.1f} ms, "
        f"mean {statistics.fmean(ordered):.1f} ms"
    )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--calls", type=int, default=20)
    parser.add_argument("--turns", type=int, default=10)
    parser.add_argument("--think", type=float, default=2.0)
    parser.add_argument("--skip-gather", action="store_true", help="turn latency only")
    args = parser.parse_args()
    configure_logging(level="WARNING")
    docs_port, _ = serve(python_docs(), 0.0)
    site = f"http://127.0.0.1:{docs_port}/index.html"
    print(f"{len(UTTERANCES)} utterances; target: offline turn p95 < 50 ms, gather p95 < 100 ms")
    with tempfile.TemporaryDirectory() as tmp:
        database, _, business_id, _, synced = await first_sync(site, 8, Path(tmp))
        print(
            _line(
                f"offline turn, SQLite ({synced['indexed']} pages)",
                await turn_latency(database, business_id, args.rounds),
            )
        )
        await database.dispose()
    url = await fresh_database(DB_NAME)
    with tempfile.TemporaryDirectory() as tmp:
        database, _, business_id, _, synced = await first_sync(site, 8, Path(tmp), url)
        async with database.transaction() as session:
            await session.execute(text("ANALYZE chunks"))  # the statistics search reads
        print(
            _line(
                f"offline turn, PostgreSQL ({synced['indexed']} pages)",
                await turn_latency(database, business_id, args.rounds),
            )
        )
        await database.dispose()
    if args.skip_gather:
        return
    thinks = (args.think, 0.0)
    timings = await gather_round_trips(url, args.calls, args.turns, args.rounds, thinks)
    for think, sample in timings.items():
        paced = f"turns {think:g} s apart" if think else "no pause (saturation)"
        print(_line(f"gather webhook, {args.calls} calls at once, {paced}, 2 workers", sample))
    print(f"(PostgreSQL at {PG})")


if __name__ == "__main__":
    asyncio.run(main())
