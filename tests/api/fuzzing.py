"""The fuzzing machinery of test_openapi_fuzz.py (its docstring says what it checks and how).

A module of its own, imported by the test when it runs: schemathesis costs every pytest-xdist
worker over a second of imports at collection, and only the worker that fuzzes needs it.
"""

from __future__ import annotations

import io
import os
import traceback
import zlib
from collections import Counter
from typing import Any, TypeAlias

import anyio.from_thread
import anyio.to_thread
import httpx
import hypothesis
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
from schemathesis.core.result import Err
from schemathesis.errors import FailureGroup

Operation: TypeAlias = schemathesis.APIOperation[Any, Any, Any, Any]

BASE_URL = "http://testserver"
# A fixed budget per operation and mode keeps the suite's time bounded; raise it (and vary
# AICALLER_FUZZ_SEED) for a deeper local run.
MAX_EXAMPLES = int(os.environ.get("AICALLER_FUZZ_EXAMPLES", "12"))
SEED_SALT = os.environ.get("AICALLER_FUZZ_SEED", "")
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
    # _seed pins each run to its own seed; derandomize is the fallback should that go away.
    derandomize=True,
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
            headers={
                name: value.decode("latin-1") if isinstance(value, bytes) else value
                for name, value in request.headers.items()
            },
            content=body,
        )

    def send(
        self, request: requests.PreparedRequest, *args: Any, **kwargs: Any
    ) -> requests.Response:
        # Timeouts, TLS and proxies mean nothing in-process.
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


def operations(raw_schema: dict[str, Any]) -> list[Operation]:
    # An explicit empty config: no schemathesis.toml or environment changes what runs here.
    schema = schemathesis.openapi.from_dict(raw_schema, config=schemathesis.Config())
    operations: list[Operation] = []
    for result in schema.get_all_operations():
        if isinstance(result, Err):
            raise result.err()  # an operation schemathesis cannot read is a broken schema
        operations.append(result.ok())
    return sorted(operations, key=lambda op: _METHOD_ORDER.get(op.method.lower(), 9))


def _has_inputs(operation: Operation) -> bool:
    """Whether there is anything to make invalid: with no parameters and no body, there is not."""
    return bool(operation.body) or any(True for _ in operation.iter_parameters())


def _describe(exc: BaseException) -> str:
    if isinstance(exc, FailureGroup):
        # The failed checks, the response and a curl command that reproduces the request.
        return exc.message
    if isinstance(exc, BaseExceptionGroup):
        # Hypothesis found several distinct failures.
        return "\n".join([str(exc), *(_describe(inner) for inner in exc.exceptions)])
    return "".join(traceback.format_exception(exc))


def _seed(operation: Operation, mode: schemathesis.GenerationMode) -> int:
    """One fixed seed per operation and mode.

    Reproducible like ``derandomize``, but each operation draws its own cases (``derandomize``
    alone seeds from the test function, which is the same for all of them), and editing this file
    does not reshuffle them. Set AICALLER_FUZZ_SEED to explore other cases locally.
    """
    return zlib.crc32(f"{SEED_SALT} {operation.label} {mode.value}".encode())


def _requires_auth(operation: Operation) -> bool:
    return bool(operation.definition.raw.get("security"))


def _fuzz_operation(
    operation: Operation,
    mode: schemathesis.GenerationMode,
    session: requests.Session,
    headers: dict[str, str],
    statuses: Counter[int],
) -> None:
    """Hypothesis run for one operation and mode; raises the (shrunk) failure if there is one."""

    @FUZZ_SETTINGS
    @hypothesis.seed(_seed(operation, mode))
    @hypothesis.given(case=operation.as_strategy(generation_mode=mode))
    def fuzz(case: schemathesis.Case[Operation]) -> None:
        response = case.call(base_url=BASE_URL, session=session, headers=headers)
        statuses[response.status_code] += 1
        case.validate_response(
            response,
            checks=CHECKS,
            headers=headers,
            transport_kwargs={"base_url": BASE_URL, "session": session, "headers": headers},
        )

    fuzz()


Run: TypeAlias = tuple[Operation, schemathesis.GenerationMode]


def plan(operations: list[Operation]) -> list[Run]:
    """Positive cases for every operation first, so negative ones meet a populated tenant.

    Negative mode needs something to make invalid; without parameters or a body there is none,
    and schemathesis then cannot generate a single case.
    """
    return [
        (operation, mode)
        for mode in MODES
        for operation in operations
        if mode.is_positive or _has_inputs(operation)
    ]


def run_all(runs: list[Run], client: httpx.AsyncClient, headers: dict[str, str]) -> list[str]:
    """Every run, in the worker thread; returns a report per failed run."""
    with requests.Session() as session:
        session.mount("http://", _AppAdapter(client))
        return [failure for run in runs for failure in _run_one(run, session, headers)]


def _run_one(run: Run, session: requests.Session, headers: dict[str, str]) -> list[str]:
    operation, mode = run
    label = f"{operation.label} [{mode.value}]"
    failures: list[str] = []
    statuses: Counter[int] = Counter()
    try:
        _fuzz_operation(operation, mode, session, headers, statuses)
    # FailureGroup (one or more failed checks) is a BaseExceptionGroup, not an Exception.
    except (Exception, BaseExceptionGroup) as exc:
        failures.append(f"=== {label} ===\n{_describe(exc)}")
    # A 401 means the admin's token stopped working (say a fuzzed request deactivated the admin
    # or changed their password): every later case would only exercise authentication.
    if _requires_auth(operation) and statuses[401]:
        failures.append(
            f"=== {label} ===\nThe signed-in admin got {statuses[401]} x 401 "
            f"(all statuses: {dict(statuses)}); the fuzzer no longer reaches the handlers."
        )
    return failures
