"""Property-based fuzzing of every operation in the app's own OpenAPI schema, with schemathesis.

The schema comes from ``GET /openapi.json`` of the app under test, so a new route is fuzzed as soon
as it exists. Each operation gets positive (schema-valid) and negative (schema-violating) cases,
sent in-process and signed in as the tenant's admin. Every response must not be a 5xx, must use a
documented status code and content type, must match the documented headers and body schema, and a
negative case must not be accepted with a 2xx.

Plumbing: schemathesis and Hypothesis are synchronous, while the app, its database engine and the
httpx client live on the test's event loop (asyncpg connections cannot move between loops). So the
Hypothesis run happens in a worker thread, and each request ``requests`` prepares there is handed
back to the event loop and sent through the ``client`` fixture (``httpx.ASGITransport``).
"""

from __future__ import annotations

import io
import logging
import traceback
from collections.abc import Mapping
from typing import Any

import anyio.from_thread
import anyio.to_thread
import httpx
import hypothesis
import pytest
import requests
import requests.adapters
import schemathesis
import urllib3
from hypothesis import HealthCheck, Phase
from schemathesis.checks import (
    content_type_conformance,
    negative_data_rejection,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.errors import FailureGroup

from tests.factories import Tenant

BASE_URL = "http://testserver"
MAX_EXAMPLES = 30
MODES = (schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE)

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    # Only acts on negative cases: schema-violating input must be refused, with a 4xx.
    negative_data_rejection,
]
# Not used: ``ignored_auth`` re-sends the request itself without the session below, i.e. over the
# network, and the stateful checks need links between operations that the schema does not declare.

# Writes first, so the reads that follow also serialize whatever odd data the fuzzer stored;
# deletes last.
_METHOD_ORDER = {"post": 0, "put": 1, "patch": 2, "get": 3, "head": 4, "options": 5, "delete": 6}

FUZZ_SETTINGS = hypothesis.settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,  # the same cases on every run and machine
    database=None,  # no .hypothesis directory
    phases=[Phase.explicit, Phase.generate, Phase.shrink],
    # Schemathesis strategies are large and filter a lot by design; that is not a test defect.
    suppress_health_check=list(HealthCheck),
    print_blob=False,
)


class _AppAdapter(requests.adapters.HTTPAdapter):
    """A ``requests`` adapter that sends each prepared request through the test's httpx client.

    ``send`` runs in the Hypothesis worker thread; the request itself runs on the event loop that
    owns the app, via ``anyio.from_thread.run``.
    """

    def __init__(self, client: httpx.AsyncClient) -> None:
        super().__init__()
        self._client = client

    async def _send(self, request: requests.PreparedRequest) -> httpx.Response:
        body = request.body
        if body is not None and not isinstance(body, str | bytes):
            raise TypeError(f"Unsupported request body: {type(body).__name__}")
        return await self._client.request(
            str(request.method),
            str(request.url),
            headers=dict(request.headers),
            content=body,
        )

    def send(
        self,
        request: requests.PreparedRequest,
        stream: bool = False,
        timeout: float | tuple[float, float] | tuple[float, None] | None = None,
        verify: bool | str = True,
        cert: bytes | str | tuple[bytes | str, bytes | str] | None = None,
        proxies: Mapping[str, str] | None = None,
    ) -> requests.Response:
        response = anyio.from_thread.run(self._send, request)
        raw = urllib3.HTTPResponse(
            body=io.BytesIO(response.content),
            # httpx has already decoded any content-encoding.
            headers={k: v for k, v in response.headers.items() if k != "content-encoding"},
            status=response.status_code,
            version=11,
            version_string="HTTP/1.1",
            reason=response.reason_phrase,
            preload_content=False,
            decode_content=False,
            enforce_content_length=False,
            request_method=request.method,
            request_url=request.url,
        )
        return self.build_response(request, raw)


def _operations(raw_schema: dict[str, Any]) -> list[schemathesis.APIOperation]:
    schema = schemathesis.openapi.from_dict(raw_schema, config=schemathesis.Config())
    operations = [result.ok() for result in schema.get_all_operations()]
    return sorted(operations, key=lambda op: _METHOD_ORDER.get(op.method.lower(), 9))


def _describe(exc: BaseException) -> str:
    if isinstance(exc, FailureGroup):
        # The failed checks, the response and a curl command that reproduces the request.
        return str(exc)
    if isinstance(exc, BaseExceptionGroup):
        # Hypothesis found several distinct failures.
        return "\n".join([str(exc), *(_describe(inner) for inner in exc.exceptions)])
    return "".join(traceback.format_exception(exc))


def _fuzz_operation(
    operation: schemathesis.APIOperation,
    mode: schemathesis.GenerationMode,
    session: requests.Session,
    headers: dict[str, str],
) -> None:
    """Hypothesis run for one operation and mode; raises the (shrunk) failure if there is one."""

    @FUZZ_SETTINGS
    @hypothesis.given(case=operation.as_strategy(generation_mode=mode))
    def fuzz(case: schemathesis.Case) -> None:
        case.call_and_validate(base_url=BASE_URL, session=session, headers=headers, checks=CHECKS)

    fuzz()


def _run(
    operations: list[schemathesis.APIOperation], client: httpx.AsyncClient, headers: dict[str, str]
) -> list[str]:
    session = requests.Session()
    session.mount("http://", _AppAdapter(client))
    failures: list[str] = []
    # Positive cases first for every operation, so negative ones run against a populated tenant.
    for mode in MODES:
        for operation in operations:
            try:
                _fuzz_operation(operation, mode, session, headers)
            # FailureGroup (one or more failed checks) is a BaseExceptionGroup, not an Exception.
            except (Exception, BaseExceptionGroup) as exc:
                failures.append(f"=== {operation.label} [{mode.value}] ===\n{_describe(exc)}")
    return failures


async def test_every_operation_survives_fuzzing(
    client: httpx.AsyncClient, tenant: Tenant, caplog: pytest.LogCaptureFixture
) -> None:
    # Hundreds of request log lines would bury the failure report.
    for name in ("aicaller.request", "httpx"):
        caplog.set_level(logging.WARNING, logger=name)
    response = await client.get("/openapi.json")
    assert response.status_code == 200, response.text
    operations = _operations(response.json())
    assert operations, "the OpenAPI schema lists no operations"

    failures = await anyio.to_thread.run_sync(_run, operations, client, tenant.headers())

    if failures:
        pytest.fail(
            f"{len(failures)} of {len(operations) * len(MODES)} operation runs failed:\n\n"
            + "\n\n".join(failures),
            pytrace=False,
        )
