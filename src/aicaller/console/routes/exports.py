"""Exports: calls of a period as CSV or JSON Lines, streamed by the API's own export route
(called with the signed-in person, so the file is exactly the API's)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from aicaller.analytics.export_format import ExportFormat, Include
from aicaller.analytics.routes import deps as analytics_deps
from aicaller.analytics.routes import exports as export_routes
from aicaller.api.deps import CacheDep, SettingsDep
from aicaller.calls.deps import CallListQueryDep
from aicaller.console.deps import Viewer, kept_query, may, render

router = APIRouter(prefix="/app/exports")
Exporter = Annotated[Viewer, may(analytics_deps.Exporter)]
FIELDS = ("from", "to", "format", "include", "mask_phones", "status", "direction")


@router.get("", summary="Download calls for a period")
async def exports_page(request: Request, viewer: Exporter) -> Response:
    return render(
        request,
        "exports.html",
        viewer,
        formats=[f.value for f in ExportFormat],
        includes=[i.value for i in Include],
    )


@router.get("/download", summary="The export form's target: drops empty fields")
async def download(request: Request, viewer: Exporter) -> Response:
    return RedirectResponse(f"/app/exports/calls?{kept_query(request, FIELDS)}", status_code=303)


@router.get("/calls", summary="Calls as CSV or JSON Lines")
async def export_calls(
    request: Request,
    viewer: Exporter,
    query: CallListQueryDep,
    cache: CacheDep,
    settings: SettingsDep,
    format: Annotated[ExportFormat, Query()] = ExportFormat.CSV,
    include: Annotated[list[Include] | None, Query()] = None,
    mask_phones: Annotated[bool, Query()] = False,
) -> Response:
    return await export_routes.export_calls(
        request,
        viewer.principal,
        query,
        cache,
        settings,
        format=format,
        include=include,
        mask_phones=mask_phones,
        max_rows=None,
    )
