"""Signing in and out of the console: cookie, CSRF, expiry, password change, headers."""

from __future__ import annotations

import re
from datetime import timedelta

import httpx
from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from aicaller.api.routes_index import iter_routes
from aicaller.console import deps as console_deps
from aicaller.console import session as cookies
from aicaller.console.routes.router import is_console_path
from aicaller.core.security import TokenCodec
from tests.console.conftest import console_client, csrf_of, earlier_token
from tests.factories import PASSWORD, Tenant, create_api_key

LOGIN_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


async def _sign_in(client: httpx.AsyncClient, email: str, password: str) -> httpx.Response:
    page = await client.get("/")
    match = LOGIN_CSRF.search(page.text)
    assert match is not None
    data = {"email": email, "password": password, "csrf_token": match.group(1)}
    return await client.post("/app/login", data=data)


async def test_sign_in_sets_a_protected_cookie_and_opens_the_console(
    app: FastAPI, tenant: Tenant
) -> None:
    async with console_client(app) as client:
        wrong = await _sign_in(client, tenant.emails["agent"], "not the password")
        assert wrong.status_code == 401
        assert "Incorrect email or password" in wrong.text
        assert cookies.SESSION_COOKIE not in client.cookies

        response = await _sign_in(client, tenant.emails["agent"], PASSWORD)
        assert response.status_code == 303
        assert response.headers["location"] == "/app"
        cookie = next(
            c for c in response.headers.get_list("set-cookie") if c.startswith("aicaller_session=")
        )
        assert "HttpOnly" in cookie
        assert "SameSite=lax" in cookie
        assert "Secure" not in cookie  # plain HTTP: a Secure cookie would never come back
        assert "Max-Age=3600" in cookie  # the session ends with its token

        page = await client.get("/app/calls")
        assert page.status_code == 200
        assert "Sign out" in page.text
        assert (await client.get("/")).headers["location"] == "/app"


async def test_the_cookie_is_secure_over_https(app: FastAPI, tenant: Tenant) -> None:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="https://console.test") as client:
        response = await _sign_in(client, tenant.emails["admin"], PASSWORD)
    assert response.status_code == 303
    assert "Secure" in response.headers["set-cookie"]


async def test_sign_in_without_the_form_token_is_refused(app: FastAPI, tenant: Tenant) -> None:
    async with console_client(app) as client:
        data = {"email": tenant.emails["admin"], "password": PASSWORD, "csrf_token": "forged"}
        response = await client.post("/app/login", data=data)
    assert response.status_code == 403
    assert cookies.SESSION_COOKIE not in response.headers.get("set-cookie", "")


async def test_pages_send_strangers_to_sign_in_and_keep_where_they_were_going(
    app: FastAPI, tenant: Tenant
) -> None:
    async with console_client(app) as client:
        response = await client.get("/app/calls")
        assert response.status_code == 303
        assert response.headers["location"] == "/?next=/app/calls"
        htmx = await client.get("/app/calls", headers={"HX-Request": "true"})
        assert htmx.status_code == 401
        assert htmx.headers["HX-Redirect"] == "/?next=/app/calls"
        page = await client.get("/?next=/app/calls")
        assert 'name="next" value="/app/calls"' in page.text
        offsite = await client.get("/?next=//evil.example/app")
        assert 'name="next" value="/app"' in offsite.text


async def test_an_expired_session_says_so(app: FastAPI, tenant: Tenant) -> None:
    settings = app.state.settings
    old = TokenCodec(
        key=settings.signing_key,
        issuer=settings.jwt_issuer,
        audience=settings.jwt_audience,
        ttl=timedelta(minutes=-5),
    ).issue(user_id=tenant.users["admin"], business_id=tenant.business_id)
    async with console_client(app) as client:
        client.cookies.set(cookies.SESSION_COOKIE, old)
        response = await client.get("/app/calls")
        assert response.status_code == 303
        assert response.headers["location"].endswith("&expired=1")
        page = await client.get(response.headers["location"])
    assert "Your session has ended" in page.text


async def test_an_api_key_is_not_a_console_session(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant
) -> None:
    key = await create_api_key(client, tenant, scopes=["calls:read"])
    async with console_client(app) as console:
        console.cookies.set(cookies.SESSION_COOKIE, str(key["key"]))
        response = await console.get("/app/calls")
    assert response.status_code == 303


async def test_sign_out_needs_the_csrf_token_and_ends_the_session(
    app: FastAPI, tenant: Tenant
) -> None:
    async with console_client(app, tenant, "viewer") as client:
        forged = await client.post("/app/logout", data={"csrf_token": "0" * 64})
        assert forged.status_code == 403
        assert "another site" in forged.text
        response = await client.post("/app/logout", data={"csrf_token": csrf_of(client, app)})
        assert response.status_code == 303
        assert 'aicaller_session=""' in response.headers["set-cookie"]


async def test_password_change_signs_out_every_other_session(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant
) -> None:
    old_token = earlier_token(app, tenant, "supervisor")
    async with console_client(app, tenant, "supervisor") as console:
        console.cookies.set(cookies.SESSION_COOKIE, old_token)
        csrf = csrf_of(console, app)
        wrong = await console.post(
            "/app/account/password",
            data={"csrf_token": csrf, "current_password": "nope", "new_password": "x" * 16},
        )
        assert wrong.status_code == 400
        assert "current password is not correct" in wrong.text
        response = await console.post(
            "/app/account/password",
            data={"csrf_token": csrf, "current_password": PASSWORD, "new_password": "n" * 16},
        )
        assert response.status_code == 303
        assert (await console.get("/app/account?done=1")).status_code == 200  # the new cookie
    stale = await client.get("/api/v1/users/me", headers={"Authorization": f"Bearer {old_token}"})
    assert stale.status_code == 401
    async with console_client(app) as other_browser:
        other_browser.cookies.set(cookies.SESSION_COOKIE, old_token)
        assert (await other_browser.get("/app/calls")).status_code == 303


async def test_pages_carry_the_security_headers_and_the_api_keeps_its_own(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant
) -> None:
    page = await client.get("/")
    policy = page.headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy
    assert page.headers["x-content-type-options"] == "nosniff"
    assert page.headers["referrer-policy"] == "same-origin"
    assert page.headers["cache-control"] == "no-store"
    assert "<script>" not in page.text  # no inline script: every script has a src
    api = await client.get("/api/v1/users/me", headers=tenant.headers())
    assert api.status_code == 200
    assert "content-security-policy" not in api.headers
    static = await client.get("/app/static/console.js")
    assert static.status_code == 200
    assert static.headers["x-content-type-options"] == "nosniff"


def _needs(dependant: Dependant, call: object) -> bool:
    return dependant.call is call or any(_needs(sub, call) for sub in dependant.dependencies)


async def test_every_console_page_needs_a_session(app: FastAPI) -> None:
    """A new page that forgot ViewerDep would be public: every /app route must depend on it."""
    public = {"/", "/app/login"}
    checked = 0
    for info in iter_routes(app):
        route = info.route
        if not isinstance(route, APIRoute) or not is_console_path(info.path):
            continue
        if info.path in public:
            continue
        assert _needs(route.dependant, console_deps._viewer), info.path
        checked += 1
    assert checked > 30
