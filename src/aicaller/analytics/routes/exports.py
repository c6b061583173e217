"""``GET /api/v1/analytics/exports/calls``: the calls list, streamed as CSV or JSON Lines."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse

from aicaller.analytics.export_format import MEDIA_TYPES, ExportFormat, ExportOptions, Include
from aicaller.analytics.exports import ExportService
from aicaller.analytics.routes.deps import Exporter
from aicaller.api.deps import CacheDep, SettingsDep
from aicaller.calls.deps import CallListQueryDep

router = APIRouter()


@router.get(
    "/exports/calls",
    response_class=StreamingResponse,
    summary="Export calls (the calls list's filters) as CSV or JSON Lines, streamed",
    responses={
        200: {
            "content": {media: {} for media in MEDIA_TYPES.values()},
            "description": "One row per call; a header row first in CSV",
        }
    },
)
async def export_calls(
    request: Request,
    principal: Exporter,
    query: CallListQueryDep,
    cache: CacheDep,
    settings: SettingsDep,
    format: Annotated[ExportFormat, Query()] = ExportFormat.CSV,
    include: Annotated[
        list[Include] | None, Query(description="Add transcripts, notes and/or evaluations")
    ] = None,
    mask_phones: Annotated[
        bool, Query(description="Keep only the last four digits of phone numbers")
    ] = False,
    max_rows: Annotated[
        int | None, Query(ge=1, description="Stop after this many rows (default: the cap)")
    ] = None,
) -> StreamingResponse:
    exporter = ExportService(request.app.state.database, principal.business_id, cache, settings)
    options = ExportOptions(
        format=format,
        include=frozenset(include or ()),
        mask_phones=mask_phones,
        max_rows=exporter.check(max_rows),
    )
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    return StreamingResponse(
        exporter.stream(query, options),
        media_type=MEDIA_TYPES[format],
        headers={
            "Content-Disposition": f'attachment; filename="calls-{stamp}.{format.value}"',
            "Cache-Control": "no-store",
            "X-Export-Row-Cap": str(options.max_rows),
        },
    )
