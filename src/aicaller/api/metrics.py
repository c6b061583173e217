"""``GET /metrics``: Prometheus exposition, for loopback scrapers or a bearer token holder."""

from __future__ import annotations

import hmac
import ipaddress

from fastapi import APIRouter, Request, Response

from aicaller.config import Settings
from aicaller.core import metrics
from aicaller.core.errors import PermissionDenied

router = APIRouter(tags=["operations"])


def _is_loopback(host: str | None) -> bool:
    if not host:
        return False
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _has_token(request: Request, settings: Settings) -> bool:
    if settings.metrics_token is None:
        return False
    expected = f"Bearer {settings.metrics_token.get_secret_value()}"
    given = request.headers.get("authorization", "")
    return hmac.compare_digest(given.encode(), expected.encode())


@router.get("/metrics", include_in_schema=False)
async def prometheus_metrics(request: Request) -> Response:
    settings: Settings = request.app.state.settings
    client = request.client.host if request.client else None
    if not (_is_loopback(client) or _has_token(request, settings)):
        raise PermissionDenied(
            "Metrics are served to loopback clients or with the metrics token",
            code="metrics_forbidden",
        )
    return Response(metrics.render_latest(), media_type=metrics.CONTENT_TYPE)
