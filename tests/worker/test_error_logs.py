"""A job failing on a database error leaves the values it wrote out of the log and the job row."""

from __future__ import annotations

import io
from typing import Any

from sqlalchemy import text

from aicaller.config import Settings
from aicaller.database.session import Database
from aicaller.worker import JobContext, JobRegistry
from tests.worker.conftest import RunnerFactory, enqueue_job, job_has_status, load_job, wait_until

SECRET = "canary-note-body-5f3a9c: the caller's account number"


async def test_a_failed_write_in_a_job_logs_no_written_value(
    db: Database, fast_settings: Settings, start_runner: RunnerFactory, log_output: io.StringIO
) -> None:
    registry = JobRegistry()

    @registry.job("notes.archive", max_attempts=1)
    async def archive(ctx: JobContext, payload: dict[str, Any]) -> None:
        async with ctx.database.transaction() as session:
            # PostgreSQL refuses the text as a number with a message quoting it; SQLite takes
            # it and fails on the missing table next, showing the statement's parameters.
            await session.execute(text("SELECT CAST(:body AS INTEGER)"), payload)
            await session.execute(
                text("INSERT INTO missing_archive (body) VALUES (:body)"), payload
            )

    await start_runner(db, fast_settings, registry)
    job_id = await enqueue_job(db, "notes.archive", {"body": SECRET})
    await wait_until(lambda: job_has_status(db, job_id, "failed"))

    logged = log_output.getvalue()
    assert "job_failed" in logged
    assert SECRET not in logged
    last_error = (await load_job(db, job_id)).last_error
    assert last_error is not None
    assert SECRET not in last_error
    assert "SELECT CAST" in last_error or "INSERT INTO missing_archive" in last_error
