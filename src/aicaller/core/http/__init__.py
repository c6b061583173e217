"""The shared outbound HTTP client, its retry policy and the SSRF guard.

Open one ``SafeHttpClient`` per process in the app lifespan (``SafeHttpClient.from_settings``)
and close it on shutdown. Use ``fetch`` for user-supplied URLs, ``check_url`` to validate them
at input time, and ``send_with_retry`` with ``client`` for trusted, configured APIs.
"""

from aicaller.core.http.addresses import IPAddress, embedded_ipv4, is_public_address, refusal_reason
from aicaller.core.http.client import FetchResponse, SafeHttpClient
from aicaller.core.http.retry import (
    RetryPolicy,
    Sleep,
    is_retryable_status,
    parse_retry_after,
    send_with_retry,
    should_retry_status,
)
from aicaller.core.http.ssrf import (
    Resolver,
    ValidatedUrl,
    check_url,
    system_resolver,
    validate_url_syntax,
)
from aicaller.core.http.urls import display_url

__all__ = [
    "FetchResponse",
    "IPAddress",
    "Resolver",
    "RetryPolicy",
    "SafeHttpClient",
    "Sleep",
    "ValidatedUrl",
    "check_url",
    "display_url",
    "embedded_ipv4",
    "is_public_address",
    "is_retryable_status",
    "parse_retry_after",
    "refusal_reason",
    "send_with_retry",
    "should_retry_status",
    "system_resolver",
    "validate_url_syntax",
]
