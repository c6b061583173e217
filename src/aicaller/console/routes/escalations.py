"""The escalation queue: the API's filters (status, priority, assignee, mine), each one's age,
and acknowledge, assign and resolve with a note, through the escalation service."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from aicaller.api.deps import HasherDep, PaginationDep, SessionDep
from aicaller.calls import deps as call_deps
from aicaller.calls.deps import Calls, EscalationQueueQueryDep
from aicaller.calls.escalations.schemas import EscalationQueueItem, EscalationUpdate
from aicaller.console.deps import Viewer, back_to, kept_query, may, parsed, render
from aicaller.console.options import ESCALATION_PRIORITIES, ESCALATION_STATUSES
from aicaller.core.errors import ValidationError
from aicaller.users.roles import MANAGER_ROLES
from aicaller.users.routes import users as user_routes
from aicaller.users.service import UserService

router = APIRouter(prefix="/app/escalations")
QueueReader = Annotated[Viewer, may(call_deps.Reader)]
QueueWorker = Annotated[Viewer, may(call_deps.StaffWriter)]
FILTERS = ("status", "priority", "assignee_id", "assigned_to_me", "order", "limit")
PAGE = "/app/escalations"


async def _people(viewer: Viewer, session: SessionDep, hasher: HasherDep) -> dict[str, str]:
    """Active users by id, for those whom the API lets list users (admins); others see
    "you" or "someone" for an assignee."""
    if not viewer.can(user_routes.AdminReader):
        return {}
    service = UserService(session, viewer.principal.business_id, hasher)
    users = await service.list(limit=100, cursor=None, is_active=True)
    return {str(user.id): user.full_name or user.email for user in users.items}


@router.get("/search", summary="The filter form's target: drops empty fields")
async def search_queue(request: Request, viewer: QueueReader) -> Response:
    return RedirectResponse(f"{PAGE}?{kept_query(request, FILTERS)}", status_code=303)


@router.get("", summary="The escalation queue")
async def queue(
    request: Request,
    viewer: QueueReader,
    calls: Calls,
    page: PaginationDep,
    query: EscalationQueueQueryDep,
    session: SessionDep,
    hasher: HasherDep,
) -> Response:
    rows, next_cursor = await calls.escalations(viewer.principal).queue(
        query, limit=page.limit, cursor=page.cursor
    )
    here = f"{PAGE}?{kept_query(request, FILTERS, cursor=page.cursor)}"
    return render(
        request,
        "escalations.html",
        viewer,
        items=[EscalationQueueItem.from_row(row) for row in rows],
        now=datetime.now(UTC),
        next_url=f"{PAGE}?{kept_query(request, FILTERS, cursor=next_cursor)}"
        if next_cursor
        else None,
        here=here,
        people=await _people(viewer, session, hasher),
        can_work=viewer.can(call_deps.StaffWriter),
        can_assign=viewer.role in MANAGER_ROLES,  # the service's rule: agents do not assign
        params=request.query_params,
        chosen_statuses=set(request.query_params.getlist("status")),
        chosen_priorities=set(request.query_params.getlist("priority")),
        statuses=ESCALATION_STATUSES,
        priorities=ESCALATION_PRIORITIES,
    )


@router.post("/{escalation_id}", summary="Acknowledge, assign or resolve an escalation")
async def change(
    escalation_id: uuid.UUID,
    viewer: QueueWorker,
    calls: Calls,
    action: Annotated[str, Form(max_length=20)],
    assignee_id: Annotated[str, Form(max_length=36)] = "",
    resolution: Annotated[str, Form(max_length=10_000)] = "",
    back: Annotated[str, Form(max_length=2000)] = PAGE,
) -> Response:
    body: dict[str, Any]
    if action == "acknowledge":
        body = {"status": "acknowledged"}
    elif action == "resolve":
        body = {"status": "resolved", "resolution": resolution.strip() or None}
        if body["resolution"] is None:
            raise ValidationError("Write a resolution note to resolve the escalation")
    elif action == "assign_me":
        body = {"assignee_id": viewer.principal.user_id}
    elif action == "assign":
        body = {"assignee_id": assignee_id or None}
    else:
        raise ValidationError("Unknown action")
    await calls.escalations(viewer.principal).update(escalation_id, parsed(EscalationUpdate, body))
    return RedirectResponse(back_to(back, PAGE), status_code=303)
