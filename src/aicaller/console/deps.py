"""Who is using the console, what their role lets them do, and how pages are rendered.

A console session is the API's access token in an HttpOnly cookie, checked by the API's own
``authenticate``; roles come from the API's route aliases (``calls.deps.Writer`` ...), so a page
offers exactly what the matching endpoint allows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, TypeVar
from urllib.parse import urlencode, urlsplit

from fastapi import Depends, Request
from markupsafe import Markup, escape
from pydantic import BaseModel
from pydantic import ValidationError as PydanticError
from starlette.datastructures import FormData
from starlette.responses import RedirectResponse, Response
from starlette.templating import Jinja2Templates

from aicaller.api.authentication import authenticate
from aicaller.api.deps import AUTHZ_MARKER, SessionDep
from aicaller.api.rate_limits import limit_principal
from aicaller.config import Settings
from aicaller.console import session as cookies
from aicaller.console.menu import MENU
from aicaller.core.errors import (
    AppError,
    AuthenticationError,
    PermissionDenied,
    ValidationError,
)
from aicaller.core.security import looks_like_api_key
from aicaller.users.principal import Principal
from aicaller.users.roles import Role

templates = Jinja2Templates(directory=Path(__file__).parent / "templates")


def web_link(value: object) -> str | None:
    """``value`` as a link target when it is an http(s) URL; anything else (``javascript:``,
    ``data:``) is shown as text only."""
    text = str(value)
    return text if urlsplit(text).scheme in {"http", "https"} else None


def age(since: datetime, now: datetime | None = None) -> str:
    """How long ago ``since`` was, as a person reads it in a queue: "5 min", "3 h 12 min"."""
    minutes = max(0, int(((now or datetime.now(UTC)) - since).total_seconds() // 60))
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return f"{days} d {hours} h"
    return f"{hours} h {minutes} min" if hours else f"{minutes} min"


_BOLD = re.compile(r"\*\*(.+?)\*\*")


def bold_marks(snippet: str) -> Markup:
    """A search snippet with its ``**match**`` marks as <strong>; everything else escaped."""
    return Markup(_BOLD.sub(r"<strong>\1</strong>", str(escape(snippet))))  # noqa: S704


def figure_label(name: str) -> str:
    """``ai_containment_rate`` -> "Ai containment rate" (with a few words spelled out)."""
    words = name.removesuffix("_seconds").replace("avg_", "average_").replace("ai_", "AI_")
    text = words.replace("_", " ").replace("qa", "QA")
    return text[:1].upper() + text[1:]


def figure_value(value: float | None, name: str) -> str:
    """A dashboard figure as a person reads it: rates in percent, durations in minutes."""
    if value is None:
        return "\u2013"  # an en dash: no figure
    if name.endswith("_rate"):
        return f"{value * 100:.0f}%"
    if name.endswith("_seconds"):
        minutes, seconds = divmod(int(value), 60)
        hours, minutes = divmod(minutes, 60)
        return f"{hours} h {minutes} min" if hours else f"{minutes}:{seconds:02d}"
    return f"{value:.1f}" if isinstance(value, float) and not value.is_integer() else f"{value:g}"


templates.env.filters["web_link"] = web_link
templates.env.filters["figure_label"] = figure_label
templates.env.filters["figure_value"] = figure_value
templates.env.filters["bold_marks"] = bold_marks
templates.env.filters["age"] = age
M = TypeVar("M", bound=BaseModel)


def parsed(model: type[M], data: dict[str, Any]) -> M:
    """A form's values as the API's request model, or a 422 saying what is wrong."""
    try:
        return model.model_validate(data)
    except PydanticError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in error['loc']) or 'value'}: {error['msg']}"
            for error in exc.errors()
        )
        raise ValidationError(f"Some values are not valid. {problems}") from exc


class SignInRequired(AppError):
    """No session, or one that ended: pages send the browser to the sign-in form."""

    status = 401
    code = "sign_in_required"
    title = "Sign in required"

    def __init__(self, *, expired: bool = False) -> None:
        super().__init__("Your session has ended; sign in again" if expired else None)
        self.expired = expired


class CsrfRejected(AppError):
    status = 403
    code = "csrf_failed"
    title = "Forbidden"


def allowed_roles(api_alias: Any) -> frozenset[Role]:
    """The roles an API route alias (``Annotated[Principal, require_role(...)]``) admits."""
    depends = api_alias.__metadata__[0]
    roles, _scope = getattr(depends.dependency, AUTHZ_MARKER)
    return frozenset(roles)


@dataclass(frozen=True, slots=True)
class Viewer:
    """The signed-in person, with the CSRF token their forms and htmx requests carry."""

    principal: Principal
    csrf: str
    role: Role

    def can(self, api_alias: Any) -> bool:
        """May this person do what the API route guarded by ``api_alias`` does?"""
        return self.role in allowed_roles(api_alias)


def settings_of(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def form_of(request: Request) -> FormData:
    """The request's form (Starlette parses it once per request and keeps it)."""
    return await request.form()


async def presented_csrf(request: Request) -> str | None:
    if header := request.headers.get(cookies.CSRF_HEADER):
        return header
    content_type = request.headers.get("content-type", "")
    if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        value = (await form_of(request)).get(cookies.CSRF_FIELD)
        return value if isinstance(value, str) else None
    return None


async def _viewer(request: Request, session: SessionDep) -> Viewer:
    token = request.cookies.get(cookies.SESSION_COOKIE)
    if not token or looks_like_api_key(token):
        raise SignInRequired
    try:
        principal = await authenticate(request, session, token)
    except AuthenticationError as exc:
        raise SignInRequired(expired=exc.code == "token_expired") from exc
    if principal.role is None:  # only API keys have no role, and they were refused above
        raise SignInRequired
    key = settings_of(request).signing_key
    if request.method not in cookies.SAFE_METHODS and not cookies.csrf_matches(
        key, token, await presented_csrf(request)
    ):
        raise CsrfRejected("The form has expired or came from another site; reload the page")
    await limit_principal(request, principal)
    request.state.business_id = str(principal.business_id)
    request.state.user_id = str(principal.user_id)
    return Viewer(principal, cookies.csrf_token(key, token), principal.role)


ViewerDep = Annotated[Viewer, Depends(_viewer)]


def may(api_alias: Any) -> Any:
    """A dependency: the viewer, if the API would let them use the route behind ``api_alias``;
    otherwise a 403, as the API answers."""
    roles = allowed_roles(api_alias)

    async def authorize(viewer: ViewerDep) -> Viewer:
        if viewer.role not in roles:
            raise PermissionDenied("Your role does not allow this action", code="forbidden_role")
        return viewer

    return Depends(authorize)


def is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


def render(
    request: Request,
    name: str,
    viewer: Viewer | None,
    *,
    status: int = 200,
    headers: dict[str, str] | None = None,
    **context: Any,
) -> Response:
    return templates.TemplateResponse(
        request,
        name,
        {"viewer": viewer, "csrf": viewer.csrf if viewer else None, "menu": MENU, **context},
        status_code=status,
        headers=headers,
    )


def kept_query(request: Request, names: tuple[str, ...], **changes: str | None) -> str:
    """The request's non-empty parameters among ``names`` as a query string, with ``changes``
    applied (None drops one): links that keep a page's filters."""
    pairs = [(k, v) for k, v in request.query_params.multi_items() if k in names and v]
    pairs = [(k, v) for k, v in pairs if k not in changes]
    pairs += [(k, v) for k, v in changes.items() if v]
    return urlencode(pairs)


def back_to(target: str | None, page: str) -> str:
    """A form's return address: ``target`` when it is ``page`` (with a query), else ``page``."""
    if target and (target == page or target.startswith(f"{page}?")) and "\n" not in target:
        return target
    return page


def redirect(request: Request, url: str) -> Response:
    """After a change: back to a page. An htmx request (an upload with its progress bar) is
    told to navigate there itself, since following a redirect would swap the page into it."""
    if is_htmx(request):
        return Response(status_code=200, headers={"HX-Redirect": url})
    return RedirectResponse(url, status_code=303)
