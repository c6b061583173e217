"""uvicorn's HTTP protocol, with its own refusal rendered as a problem like every other one.

uvicorn answers a request its parser cannot read (a request line or header past httptools'
limits, such as a URL over about 64 KiB, or bytes that are not HTTP) with a plain-text 400
before the application sees anything, so no handler of ours can shape it. This subclass keeps
uvicorn's behaviour (400, the connection closed) and writes the body as RFC 9457
``application/problem+json`` with the code ``bad_request``. Were uvicorn to stop calling
``send_400_response``, its own plain-text answer would come back: nothing else changes.
"""

from __future__ import annotations

import json
import uuid

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from aicaller.api.problems import PROBLEM_MEDIA_TYPE, problem_type

UNPARSABLE_DETAIL = (
    "The request could not be read as HTTP: its request line or a header is too long, "
    "or it is malformed"
)


def unparsable_request_response() -> bytes:
    """The whole HTTP response to a request that could not be parsed."""
    body = json.dumps(
        {
            "type": problem_type("bad_request"),
            "title": "Bad Request",
            "status": 400,
            "detail": UNPARSABLE_DETAIL,
            "code": "bad_request",
            "correlation_id": uuid.uuid4().hex,  # no request, so no request id to echo
        }
    ).encode()
    head = (
        "HTTP/1.1 400 Bad Request\r\n"
        f"content-type: {PROBLEM_MEDIA_TYPE}\r\n"
        f"content-length: {len(body)}\r\n"
        "connection: close\r\n\r\n"
    )
    return head.encode("ascii") + body


class ProblemHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol; its parse-error 400 is a problem document."""

    def send_400_response(self, msg: str) -> None:
        self.transport.write(unparsable_request_response())
        self.transport.close()
