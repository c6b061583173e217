"""Property-based fuzzing of every operation in the app's own OpenAPI schema, with schemathesis.

The schema comes from ``GET /openapi.json`` of the app under test, so a new route is fuzzed as soon
as it exists; nothing is excluded. Each operation gets positive (schema-valid) and, when it has
parameters or a body, negative (schema-violating) cases, sent in-process and signed in as the
tenant's admin. No response may be a 5xx; each must use a documented status code and content
type and match the documented headers and body schema; a negative case must be refused (4xx).
All operations run even after one fails, and the report lists every failing one with the
response and a curl command that reproduces the request.

The cases are fixed (one seed per operation and mode), so a failure reproduces on every run.
Randomly generated ids almost never name a real user, so the admin is not deactivated by the
fuzzer; should that or anything else end the session, the run fails instead of quietly testing
only the 401 path.

Plumbing: schemathesis and Hypothesis are synchronous, while the app, its database engine and the
httpx client live on the test's event loop (asyncpg connections cannot move between loops). So the
Hypothesis runs happen in a worker thread, and each request ``requests`` prepares there is handed
back to the event loop and sent through the ``client`` fixture (``httpx.ASGITransport``).
"""

from __future__ import annotations

import logging
from pathlib import Path

import anyio.to_thread
import httpx
import pytest

from tests.factories import Tenant

# The operations are dealt into shards, one test each, so that make test's worker processes
# share the fuzzing instead of one of them ending the run with it.
SHARDS = 4


@pytest.mark.parametrize("shard", range(SHARDS))
async def test_every_operation_survives_fuzzing(
    client: httpx.AsyncClient,
    tenant: Tenant,
    caplog: pytest.LogCaptureFixture,
    tmp_path: Path,
    shard: int,
) -> None:
    from hypothesis.configuration import set_hypothesis_home_dir  # noqa: PLC0415

    from tests.api import fuzzing  # noqa: PLC0415 - schemathesis only where the fuzzing runs

    # Hundreds of request log lines would bury the failure report.
    for name in ("aicaller.request", "httpx"):
        caplog.set_level(logging.WARNING, logger=name)
    response = await client.get("/openapi.json")
    assert response.status_code == 200, response.text
    operations = fuzzing.operations(response.json())
    assert len(operations) >= SHARDS, "the OpenAPI schema lists (almost) no operations"
    # Dealt in turn from the method-ordered list: each shard writes, reads, then deletes.
    runs = fuzzing.plan(operations[shard::SHARDS])

    # database=None keeps examples out of .hypothesis, but Hypothesis still caches unicode tables
    # and source constants there; send those to the test's temporary directory instead.
    set_hypothesis_home_dir(tmp_path / "hypothesis")
    try:
        failures = await anyio.to_thread.run_sync(fuzzing.run_all, runs, client, tenant.headers())
    finally:
        set_hypothesis_home_dir(None)  # back to the default (or HYPOTHESIS_STORAGE_DIRECTORY)

    if failures:
        pytest.fail(
            f"{len(failures)} of {len(runs)} fuzzing runs (operation x mode) failed:\n\n"
            + "\n\n".join(failures),
            pytrace=False,
        )
