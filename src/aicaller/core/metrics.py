"""Prometheus metrics: one set of families for the process, multiprocess-safe.

With several worker processes (``aicaller serve --workers N``) the CLI points
``PROMETHEUS_MULTIPROC_DIR`` at a fresh directory before the workers start; prometheus-client then
writes each process's samples there and ``render_latest()`` aggregates them, so any worker can
answer a scrape for all of them.
"""

from __future__ import annotations

import os

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client import multiprocess as prometheus_multiprocess

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
CONTENT_TYPE = CONTENT_TYPE_LATEST

_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1.0, 2.5, 5.0, 10.0)
_QUERY_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0)

HTTP_REQUESTS = Counter(
    "aicaller_http_requests_total",
    "HTTP requests by route template, method and status",
    ["method", "route", "status"],
)
HTTP_LATENCY = Histogram(
    "aicaller_http_request_duration_seconds",
    "HTTP request latency by route template and method",
    ["method", "route"],
    buckets=_LATENCY_BUCKETS,
)
HTTP_IN_FLIGHT = Gauge(
    "aicaller_http_requests_in_flight",
    "HTTP requests being served",
    multiprocess_mode="livesum",
)
DB_QUERIES = Counter("aicaller_db_queries_total", "SQL statements executed")
DB_QUERY_LATENCY = Histogram(
    "aicaller_db_query_duration_seconds", "SQL statement duration", buckets=_QUERY_BUCKETS
)
DB_SLOW_QUERIES = Counter("aicaller_db_slow_queries_total", "SQL statements over the threshold")
DB_POOL_IN_USE = Gauge(
    "aicaller_db_pool_connections_in_use",
    "Database connections checked out of the pool",
    multiprocess_mode="livesum",
)
CACHE_REQUESTS = Counter(
    "aicaller_cache_requests_total",
    "Cache lookups by cache name and result (hit, miss, error)",
    ["cache", "result"],
)
RATE_LIMIT_REJECTIONS = Counter(
    "aicaller_rate_limit_rejections_total",
    "Requests refused with 429, by limit group",
    ["group"],
)
JOBS = Counter(
    "aicaller_jobs_total", "Background job runs by name and outcome", ["name", "outcome"]
)
JOB_DURATION = Histogram(
    "aicaller_job_duration_seconds",
    "Background job run duration",
    ["name"],
    buckets=(0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300, 1800),
)


def record_job(name: str, outcome: str, duration_seconds: float) -> None:
    """Hook for the job runner: count a finished run and its duration."""
    JOBS.labels(name=name, outcome=outcome).inc()
    JOB_DURATION.labels(name=name).observe(duration_seconds)


def render_latest() -> bytes:
    """The exposition text for this process, or for all workers in multiprocess mode."""
    if os.environ.get(MULTIPROC_ENV):
        registry = CollectorRegistry()
        prometheus_multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return generate_latest(registry)
    return generate_latest()


def mark_worker_exited(pid: int) -> None:
    """Drop a finished worker's live gauges (in-flight, pool) from the aggregate."""
    if os.environ.get(MULTIPROC_ENV):
        prometheus_multiprocess.mark_process_dead(pid)  # type: ignore[no-untyped-call]
