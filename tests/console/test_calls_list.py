"""The calls list page: the API's filters and search, sorting, cursor paging, tenancy."""

from __future__ import annotations

import re

import httpx
from fastapi import FastAPI

from tests.console.calls_data import make_call
from tests.console.conftest import console_client
from tests.factories import Tenant
from tests.helpers import assert_max_queries

ROW_LINK = re.compile(r'href="/app/calls/([0-9a-f-]{36})"')


def _ids(html: str) -> list[str]:
    return ROW_LINK.findall(html)


async def test_filters_search_sort_and_pages(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant, other_tenant: Tenant
) -> None:
    short = await make_call(client, tenant, duration_seconds=10, summary="Boiler repair quote")
    long = await make_call(client, tenant, duration_seconds=300, summary="Leaking tap")
    failed = await make_call(client, tenant, status="failed", duration_seconds=0, summary="x")
    foreign = await make_call(client, other_tenant, summary="Boiler at the other business")
    async with console_client(app, tenant, "viewer") as console:
        everything = await console.get("/app/calls")
        assert everything.status_code == 200
        assert set(_ids(everything.text)) == {short["id"], long["id"], failed["id"]}
        assert foreign["id"] not in everything.text

        searched = await console.get("/app/calls?q=boiler")
        assert _ids(searched.text) == [short["id"]]
        statuses = await console.get("/app/calls?status=failed&status=busy")
        assert _ids(statuses.text) == [failed["id"]]
        by_duration = await console.get("/app/calls?sort=duration&order=asc")
        assert _ids(by_duration.text) == [failed["id"], short["id"], long["id"]]
        # The column header offers the other order of the column it sorts by.
        assert 'href="/app/calls?sort=duration&amp;order=desc"' in by_duration.text

        first = await console.get("/app/calls?limit=2&sort=duration&order=asc")
        assert _ids(first.text) == [failed["id"], short["id"]]
        next_url = re.search(r'href="([^"]+)" rel="next"', first.text)
        assert next_url is not None
        second = await console.get(next_url.group(1).replace("&amp;", "&"))
        assert _ids(second.text) == [long["id"]]
        assert 'rel="next"' not in second.text

        nothing = await console.get("/app/calls?q=no+such+words")
        assert "No calls match these filters." in nothing.text


async def test_the_filter_form_drops_empty_fields(app: FastAPI, tenant: Tenant) -> None:
    async with console_client(app, tenant, "agent") as console:
        response = await console.get(
            "/app/calls/search?q=&status=completed&phone=&from=&direction=inbound&bogus=1"
        )
    assert response.status_code == 303
    assert response.headers["location"] == "/app/calls?status=completed&direction=inbound"


async def test_bad_filters_are_explained_and_change_nothing(app: FastAPI, tenant: Tenant) -> None:
    async with console_client(app, tenant, "viewer") as console:
        reversed_dates = await console.get("/app/calls?from=2026-05-02&to=2026-05-01")
        bad_status = await console.get("/app/calls?status=exploded")
        bad_phone = await console.get("/app/calls?phone=call-me")
    assert reversed_dates.status_code == 422
    assert "to must not be before from" in reversed_dates.text
    assert bad_status.status_code == 422
    assert "status" in bad_status.text
    assert bad_phone.status_code == 422
    assert reversed_dates.headers["content-type"].startswith("text/html")


async def test_the_list_costs_the_same_statements_for_one_call_or_many(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant
) -> None:
    await make_call(client, tenant)
    async with console_client(app, tenant, "supervisor") as console:
        await console.get("/app/calls")  # the signed-in user's cache entry is warm from here on
        with assert_max_queries(10) as one:
            assert (await console.get("/app/calls?q=hours")).status_code == 200
        for _ in range(6):
            await make_call(client, tenant)
        await console.get("/app/calls")
        with assert_max_queries(one.count) as many:
            page = await console.get("/app/calls?q=hours")
    assert len(_ids(page.text)) == 7
    assert many.count == one.count
