"""Documentation sync on real documentation sites, beside Scrapy on the same site.

Downloads Debian's doc packages (``apt-get download``, cached in ~/.cache/aicaller-bench;
``docs_site.py``: python3.11-doc and python-django-doc are Sphinx, git-doc AsciiDoc,
python-sqlalchemy-doc Sphinx with its own theme, mkdocs-doc MkDocs), serves each from
127.0.0.1 with ``--latency`` ms added to every request, then measures, for each site and each
``--concurrency``, ``--runs`` times alternately:

- a first sync by aicaller (fresh SQLite database: fetch, extract, chunk, index), pages/s;
- Scrapy (``benchmarks/scrapy_crawl.py``, a CrawlSpider following every same-site link, no
  processing) with the same concurrency, pages/s;

and once, after the last first sync of the first site and concurrency: a re-sync within the
page TTL and one after it (requests counted by the server; 304s are the conditional requests
answered "not modified").

The extraction pool is started and warmed before the first timed sync, as the job system
does when an app or worker process starts (ADR 0020; ``--no-preload``: the first sync starts
it). The server runs in a process of its own (``docs_site.py``). CPU per page is reported for
aicaller's main process (``process_time``), its extraction processes (descendants, sampled
from /proc every 0.1 s: ``process_cpu.py``) and Scrapy (its process's rusage).

    .venv/bin/pip install -e '.[bench]'
    .venv/bin/python benchmarks/crawl.py [--sites python django git] [--latency 50]
        [--concurrency 8 16] [--runs 3] [--extract-processes N] [--no-preload]

Each site's block prints medians, each run's pages/s and ratio, and the load average.
"""

from __future__ import annotations

import argparse
import asyncio
import atexit
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from docs_site import SITES, debian_docs, serve
from process_cpu import descendants_cpu, tree_cpu

from aicaller import bootstrap
from aicaller.config import Settings
from aicaller.core.http import SafeHttpClient
from aicaller.core.logging import configure_logging
from aicaller.core.process_pool import ProcessPool
from aicaller.database import migrate
from aicaller.database.session import Database, create_engine
from aicaller.knowledge.documentation_scraper.parse import warm_up
from aicaller.knowledge.sources.schemas import SourceCreate, SyncStart
from aicaller.knowledge.sources.service import DocumentationService
from aicaller.knowledge.sources.sync import DocumentationSync

SERVER_PIDS: set[int] = set()  # the docs server (and spawn's resource tracker)
HERE = Path(__file__).resolve().parent
_POOLS: dict[int, ProcessPool] = {}
PRELOAD = [True]  # --no-preload clears it


def extraction_pool(processes: int, *, preload: bool = True) -> ProcessPool | None:
    """One extraction pool per size for the whole benchmark, as an app or worker process keeps
    one for its life. Started and warmed before the first sync, as the job system does when
    the process starts (``--no-preload``: started by the first sync, which pays for it)."""
    if processes <= 0:
        return None
    if processes not in _POOLS:
        _POOLS[processes] = pool = ProcessPool(processes)
        atexit.register(pool.shutdown)
        if preload:
            started = time.perf_counter()
            pool.preload(warm_up).result()
            print(f"extraction pool of {processes} started and warmed in "
                  f"{time.perf_counter() - started:.2f} s, before the first sync")  # fmt: skip
    return _POOLS[processes]


async def first_sync(
    url: str,
    concurrency: int,
    data_dir: Path,
    database_url: str | None = None,
    extract_processes: int | None = None,
) -> tuple[Database, Settings, uuid.UUID, uuid.UUID, dict[str, Any]]:
    """A fresh database (SQLite in ``data_dir`` unless ``database_url``), a business, a source
    for ``url``, and its first sync (``extract_processes``: None keeps the setting's default)."""
    values: dict[str, Any] = {
        "environment": "test",
        "data_dir": data_dir,
        "database_url": database_url or f"sqlite+aiosqlite:///{data_dir / 'bench.db'}",
        "allow_private_urls": True,
        "log_level": "WARNING",
    }
    if extract_processes is not None:
        values["knowledge_extract_processes"] = extract_processes
    settings = Settings.model_validate(values)
    database = Database(create_engine(settings))
    await migrate.upgrade(database.engine)
    async with database.transaction() as session:
        business = await bootstrap.create_business(session, name="Bench")
        service = DocumentationService(session, business.id)
        source = await service.create(
            SourceCreate(url=url, max_pages=5000, max_depth=30, concurrency=concurrency)
        )
    result = await run_sync(database, settings, business.id, source.id)
    return database, settings, business.id, source.id, result


async def run_sync(
    database: Database, settings: Settings, business_id: uuid.UUID, source_id: uuid.UUID
) -> dict[str, Any]:
    async with database.transaction() as session:
        sync = await DocumentationService(session, business_id).start_sync(source_id, SyncStart())
    # Before the clock starts: an app or worker process starts its pool when it starts.
    pool = extraction_pool(settings.knowledge_extract_processes, preload=PRELOAD[0])
    async with SafeHttpClient.from_settings(settings) as http:
        started, cpu = time.perf_counter(), time.process_time()
        with descendants_cpu(exclude=SERVER_PIDS) as workers:
            await DocumentationSync(
                database, http, settings, business_id=business_id, sync_id=sync.id,
                processes=pool,
            ).run()  # fmt: skip
        seconds = time.perf_counter() - started
        cpu = time.process_time() - cpu - workers["sampler"]
    async with database.transaction() as session:
        done = await DocumentationService(session, business_id).get_sync(sync.id)
        return {"seconds": seconds, "main_cpu": cpu, "worker_cpu": workers["children"],
                "fetched": done.fetched, "unchanged": done.unchanged,
                "indexed": done.indexed, "failed": done.failed, "skipped": done.skipped,
                "status": done.status}  # fmt: skip


def scrapy(url: str, concurrency: int) -> dict[str, Any]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    output = subprocess.run(  # noqa: S603 - our own script
        [sys.executable, str(HERE / "scrapy_crawl.py"), url, str(concurrency)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    result: dict[str, Any] = json.loads(output.strip().splitlines()[-1])
    result["cpu"] = sum(getattr(after, f) - getattr(before, f) for f in ("ru_utime", "ru_stime"))
    return result


async def measure(
    site: str, concurrency: int, args: argparse.Namespace, tmp: Path, resync: bool
) -> None:
    before = set(tree_cpu(os.getpid()))  # the extraction pool's processes, once started
    port, counter = serve(debian_docs(site), args.latency / 1000)
    SERVER_PIDS.update(set(tree_cpu(os.getpid())) - before)
    url = f"http://127.0.0.1:{port}/index.html"
    load = " ".join(f"{v:.1f}" for v in os.getloadavg())
    ours: list[dict[str, Any]] = []
    theirs: list[dict[str, Any]] = []
    for run in range(args.runs):
        counter.reset()
        database, settings, business_id, source_id, result = await first_sync(
            url, concurrency, tmp / f"{site}-{concurrency}-{run}",
            extract_processes=args.extract_processes,
        )  # fmt: skip
        result["requests"] = counter.requests
        ours.append(result)
        if run < args.runs - 1 or not resync:
            await database.dispose()
        counter.reset()
        theirs.append(scrapy(url, concurrency))
        theirs[-1]["server_requests"] = counter.requests
    report(site, concurrency, args, ours, theirs)
    print(f"load average {load} at the start, {' '.join(f'{v:.1f}' for v in os.getloadavg())} "
          f"at the end of these runs")  # fmt: skip
    if resync:
        counter.reset()
        within = await run_sync(database, settings, business_id, source_id)
        within["requests"], within["not_modified"] = counter.requests, counter.not_modified
        settings.knowledge_page_ttl_hours = 0.0
        counter.reset()
        after = await run_sync(database, settings, business_id, source_id)
        after["requests"], after["not_modified"] = counter.requests, counter.not_modified
        await database.dispose()
        report_resync(within, after, statistics.median(r["requests"] for r in ours))


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", nargs="+", choices=sorted(SITES), default=["python"])
    parser.add_argument("--latency", type=float, default=50.0, help="ms added per request")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[8])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--extract-processes", type=int, help="knowledge_extract_processes (default: the setting's)"
    )
    parser.add_argument(
        "--no-preload", action="store_true",
        help="start the extraction pool at the first sync (as before the job system preloaded it)",
    )  # fmt: skip
    args = parser.parse_args()
    PRELOAD[0] = not args.no_preload
    configure_logging(level="WARNING")
    processes = args.extract_processes
    print(f"extraction processes: {processes if processes is not None else 'the default'}, "
          f"{'started at the first sync' if args.no_preload else 'preloaded'}")  # fmt: skip
    print(f"load average at the start: {' '.join(f'{v:.1f}' for v in os.getloadavg())}")
    with tempfile.TemporaryDirectory() as tmp:
        for index, site in enumerate(args.sites):
            for concurrency in args.concurrency:
                first = index == 0 and concurrency == args.concurrency[0]
                await measure(site, concurrency, args, Path(tmp), resync=first)
    print(f"load average at the end: {' '.join(f'{v:.1f}' for v in os.getloadavg())}")


def report(
    site: str,
    concurrency: int,
    args: argparse.Namespace,
    ours: list[dict[str, Any]],
    theirs: list[dict[str, Any]],
) -> None:
    def median(rows: list[dict[str, Any]], key: str) -> float:
        return statistics.median(float(row[key]) for row in rows)

    our_rate = statistics.median(r["fetched"] / r["seconds"] for r in ours)
    their_rate = statistics.median(r["pages"] / r["seconds"] for r in theirs)
    package, _, generator = SITES[site]
    print(f"\n{package} ({generator}) served from 127.0.0.1, +{args.latency:.0f} ms per request, "
          f"concurrency {concurrency}, {args.runs} runs (medians)")  # fmt: skip
    print(f"{'crawl':<34}{'pages':>7}{'requests':>10}{'seconds':>9}{'pages/s':>9}")
    print(
        f"{'aicaller first sync (indexing)':<34}{median(ours, 'fetched'):>7.0f}"
        f"{median(ours, 'requests'):>10.0f}{median(ours, 'seconds'):>9.1f}{our_rate:>9.1f}"
    )
    print(
        f"{'scrapy (no processing)':<34}{median(theirs, 'pages'):>7.0f}"
        f"{median(theirs, 'server_requests'):>10.0f}{median(theirs, 'seconds'):>9.1f}"
        f"{their_rate:>9.1f}"
    )
    main_ms = statistics.median(r["main_cpu"] / r["fetched"] * 1000 for r in ours)
    worker_ms = statistics.median(r["worker_cpu"] / r["fetched"] * 1000 for r in ours)
    scrapy_ms = statistics.median(r["cpu"] / r["pages"] * 1000 for r in theirs)
    print(f"CPU per page: aicaller main process {main_ms:.1f} ms + extraction processes "
          f"{worker_ms:.1f} ms = {main_ms + worker_ms:.1f} ms; "
          f"scrapy {scrapy_ms:.1f} ms")  # fmt: skip
    ratios = [
        o["fetched"] / o["seconds"] / (t["pages"] / t["seconds"])
        for o, t in zip(ours, theirs, strict=True)
    ]
    print("run by run, pages/s aicaller / scrapy: " + ", ".join(
        f"{o['fetched'] / o['seconds']:.1f} / {t['pages'] / t['seconds']:.1f}"
        for o, t in zip(ours, theirs, strict=True)))  # fmt: skip
    print(f"first sync vs scrapy: {our_rate / their_rate:.2f}x "
          f"(run by run: {', '.join(f'{r:.2f}x' for r in ratios)})")  # fmt: skip


def report_resync(within: dict[str, Any], after: dict[str, Any], first_requests: float) -> None:
    print(
        f"{'aicaller re-sync within TTL':<34}{within['unchanged']:>7}{within['requests']:>10}"
        f"{within['seconds']:>9.1f}"
    )
    print(
        f"{'aicaller re-sync after TTL':<34}{after['unchanged']:>7}{after['requests']:>10}"
        f"{after['seconds']:>9.1f}   ({after['not_modified']} answered 304)"
    )
    print(f"re-sync within TTL made {within['requests'] / first_requests:.1%} of the first "
          f"sync's requests")  # fmt: skip


if __name__ == "__main__":
    asyncio.run(main())
