"""Settings: the business configuration (profile, greeting, timezone, opening hours, phone
numbers, agent mode and instructions, escalation numbers, and urgent calls: the trade, the
business's own emergency phrases and its safety instructions) through the
same service as ``PATCH /api/v1/config``, and QA scorecards (create, edit weights and
criteria) through the QA service. Admins change the configuration; managers the scorecards."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from aicaller.api.deps import CacheDep, SessionDep, SettingsDep
from aicaller.businesses import routes as config_routes
from aicaller.businesses.schemas import MAX_SAFETY_INSTRUCTIONS, BusinessConfigUpdate, Weekday
from aicaller.businesses.service import BusinessService
from aicaller.console.deps import Viewer, form_of, may, parsed, redirect, render
from aicaller.console.forms import hours_field, hours_text, lines, optional
from aicaller.console.options import TRADE_LABELS
from aicaller.qa import routes as qa_routes
from aicaller.qa.schemas import ScorecardCreate, ScorecardOut, ScorecardUpdate
from aicaller.qa.service import QaService

router = APIRouter(prefix="/app/settings")
ConfigReader = Annotated[Viewer, may(config_routes.Reader)]
ConfigWriter = Annotated[Viewer, may(config_routes.Writer)]
ScorecardWriter = Annotated[Viewer, may(qa_routes.Writer)]
TEXT_FIELDS = (
    "name",
    "greeting",
    "timezone",
    "language",
    "agent_instructions",
    "agent_mode",
    "trade",
)
OPTIONAL_FIELDS = ("contact_email", "address", "website")
LIST_FIELDS = ("phone_numbers", "escalation_numbers", "emergency_phrases")


@router.get("", summary="Business settings and QA scorecards")
async def settings_page(
    request: Request, viewer: ConfigReader, session: SessionDep, cache: CacheDep
) -> Response:
    business = viewer.principal.business_id
    config = await BusinessService(session, business, cache).get_config()
    scorecards: list[ScorecardOut] = []
    if viewer.can(qa_routes.Reader):
        qa = QaService(session, business, cache)
        scorecards = [ScorecardOut.model_validate(s) for s in await qa.list_scorecards()]
    return render(
        request,
        "settings.html",
        viewer,
        config=config,
        hours={day.value: hours_text(config.business_hours.get(day, [])) for day in Weekday},
        scorecards=scorecards,
        trades=TRADE_LABELS,
        max_safety=MAX_SAFETY_INSTRUCTIONS,
        can_configure=viewer.can(config_routes.Writer),
        can_score=viewer.can(qa_routes.Writer),
        saved=request.query_params.get("saved"),
    )


@router.post("", summary="Save the business settings")
async def save_settings(
    request: Request,
    viewer: ConfigWriter,
    session: SessionDep,
    cache: CacheDep,
    settings: SettingsDep,
) -> Response:
    form = await form_of(request)
    body: dict[str, Any] = {}
    for name in TEXT_FIELDS:
        if (value := optional(form.get(name))) is not None:
            body[name] = value
    for name in OPTIONAL_FIELDS:
        if name in form:
            body[name] = optional(form.get(name))
    for name in LIST_FIELDS:
        if name in form:
            body[name] = lines(form.get(name))
    if "safety_instructions" in form:
        # Emptied, it is cleared: the agent then gives the general advice (call 911).
        body["safety_instructions"] = optional(form.get("safety_instructions")) or ""
    if (duration := optional(form.get("max_call_duration_seconds"))) is not None:
        body["max_call_duration_seconds"] = duration
    if any(f"hours_{day.value}" in form for day in Weekday):
        body["business_hours"] = {
            day.value: hours_field(form.get(f"hours_{day.value}")) for day in Weekday
        }
    await BusinessService(session, viewer.principal.business_id, cache).update_config(
        parsed(BusinessConfigUpdate, body),
        secret_box=request.app.state.secret_box,
        llm_available=settings.llm_configured,
    )
    return redirect(request, "/app/settings?saved=settings")


def _scorecard(form: Any) -> dict[str, Any]:
    """A scorecard form: name, description, default, and numbered criteria rows."""
    criteria = []
    for index in range(int(form.get("rows") or 0)):
        key = optional(form.get(f"key_{index}"))
        if key is None:
            continue  # an empty row: left blank or cleared to remove the criterion
        criteria.append(
            {
                "key": key,
                "label": optional(form.get(f"label_{index}")) or key,
                "description": optional(form.get(f"description_{index}")) or "",
                "weight": optional(form.get(f"weight_{index}")) or 1,
                "auto_fail": form.get(f"auto_fail_{index}") == "on",
            }
        )
    return {
        "name": optional(form.get("name")),
        "description": optional(form.get("description")) or "",
        "criteria": criteria,
        "is_default": form.get("is_default") == "on",
    }


@router.post("/scorecards", summary="Create a QA scorecard")
async def create_scorecard(
    request: Request, viewer: ScorecardWriter, session: SessionDep, cache: CacheDep
) -> Response:
    data = parsed(ScorecardCreate, _scorecard(await form_of(request)))
    await QaService(session, viewer.principal.business_id, cache).create_scorecard(data)
    return redirect(request, "/app/settings?saved=scorecard#scorecards")


@router.post("/scorecards/{scorecard_id}", summary="Save a QA scorecard")
async def edit_scorecard(
    request: Request,
    scorecard_id: uuid.UUID,
    viewer: ScorecardWriter,
    session: SessionDep,
    cache: CacheDep,
) -> Response:
    fields = _scorecard(await form_of(request))
    if not fields["is_default"]:
        del fields["is_default"]  # unticking does not leave the business without a default
    data = parsed(ScorecardUpdate, fields)
    await QaService(session, viewer.principal.business_id, cache).update_scorecard(
        scorecard_id, data
    )
    return redirect(request, f"/app/settings?saved=scorecard#scorecard-{scorecard_id}")
