"""A big export streams in batches: its peak memory does not grow with the number of rows."""

from __future__ import annotations

import csv
import io
import tracemalloc
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi import FastAPI
from sqlalchemy import insert

from aicaller.analytics.export_format import FORMULA_STARTS, ExportOptions, Include
from aicaller.analytics.exports import ExportService
from aicaller.calls.service import CallListQuery
from aicaller.config import Settings
from aicaller.database.models import Call
from tests.calls.seed import BASE_TIME
from tests.factories import Tenant
from tests.fixtures import backend_settings

BATCH = 50
SMALL, LARGE = 200, 2000  # ten times the rows, in forty batches


@pytest.fixture
async def settings(
    data_dir: Path, backend: str, database_urls: dict[str, str]
) -> AsyncIterator[Settings]:
    async with backend_settings(
        data_dir, backend, database_urls, analytics_export_batch_size=BATCH
    ) as values:
        yield values


async def _insert(app: FastAPI, business_id: uuid.UUID, count: int) -> None:
    rows = [
        {
            "id": uuid.uuid4(),
            "business_id": business_id,
            "direction": "inbound",
            "from_number": f"+1415555{i % 10000:04d}",
            "to_number": "+14155550000",
            "status": "completed",
            "started_at": BASE_TIME - timedelta(seconds=i),
            "duration_seconds": i % 600,
            "summary": f"-{i} =SUM(A{i})",
            "call_metadata": {},
        }
        for i in range(count)
    ]
    async with app.state.database.transaction() as session:
        await session.execute(insert(Call), rows)


async def _export(app: FastAPI, business_id: uuid.UUID, settings: Settings) -> tuple[int, int, int]:
    """(peak traced bytes, rows, chunks) of one CSV export, read and thrown away."""
    exporter = ExportService(app.state.database, business_id, app.state.cache, settings)
    options = ExportOptions(include=frozenset({Include.NOTES}), max_rows=exporter.check(None))
    rows = chunks = 0
    tracemalloc.start()
    try:
        async for chunk in exporter.stream(CallListQuery(), options):
            chunks += 1
            for row in csv.reader(io.StringIO(chunk.decode())):
                rows += 1
                assert not any(cell.startswith(FORMULA_STARTS) for cell in row)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak, rows - 1, chunks


async def test_memory_stays_flat_from_200_to_2000_rows(
    app: FastAPI, tenant: Tenant, other_tenant: Tenant, settings: Settings
) -> None:
    await _insert(app, other_tenant.business_id, SMALL)
    await _insert(app, tenant.business_id, SMALL)
    await _export(app, tenant.business_id, settings)  # warm caches (statements, config)
    small, rows, chunks = await _export(app, tenant.business_id, settings)
    assert (rows, chunks) == (SMALL, 1 + SMALL // BATCH)
    await _insert(app, tenant.business_id, LARGE - SMALL)
    # tracemalloc counts every allocation in the process, including other tasks on the event
    # loop that run while the export waits on the database; the lower of two peaks is the
    # export's own (rows held in memory would show in both).
    runs = [await _export(app, tenant.business_id, settings) for _ in range(2)]
    assert all(run[1:] == (LARGE, 1 + LARGE // BATCH) for run in runs)
    large = min(run[0] for run in runs)
    # Ten times the rows, about the same peak (one batch in memory at a time).
    assert large < small * 1.5 + 256 * 1024, (small, large)
