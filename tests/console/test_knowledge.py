"""The knowledge pages: sources (add, edit, sync now with progress to the end, failures
listed, cancel, delete), documents (upload, delete), search and the gap report."""

from __future__ import annotations

import re

from fastapi import FastAPI

from tests.console.conftest import console_client, csrf_of
from tests.core.http_peer import Reply
from tests.factories import Tenant
from tests.helpers import assert_max_queries
from tests.knowledge.conftest import run_sync, settings, site  # noqa: F401 - fixtures
from tests.knowledge.site import DocSite, html

SYNC_URL = re.compile(r"/app/knowledge/syncs/([0-9a-f-]{36})")


def _small_site(site: DocSite) -> None:  # noqa: F811
    site.page("/", html("Home", "Welcome to the plumbing docs.", ("/prices", "/gone")))
    site.page("/prices", html("Prices", "A boiler service costs ninety pounds."))
    robots = b"User-agent: *\nDisallow: /gone\n"  # a page the sync lists as skipped
    site.route("/robots.txt", Reply(200, {"Content-Type": "text/plain"}, robots))


async def test_a_source_is_added_synced_to_completion_and_searched(
    app: FastAPI,
    tenant: Tenant,
    site: DocSite,  # noqa: F811
) -> None:
    _small_site(site)
    async with console_client(app, tenant, "supervisor") as console:
        csrf = csrf_of(console, app)
        bad = await console.post(
            "/app/knowledge/sources", data={"csrf_token": csrf, "url": "not a url"}
        )
        assert bad.status_code == 422
        added = await console.post(
            "/app/knowledge/sources",
            data={"csrf_token": csrf, "url": site.url("/"), "name": "Docs <i>", "max_pages": "10"},
        )
        assert added.status_code == 303
        page = await console.get("/app/knowledge")
        assert "Docs &lt;i&gt;" in page.text
        source_id = re.search(r"/app/knowledge/sources/([0-9a-f-]{36})/sync", page.text)
        assert source_id is not None
        edited = await console.post(
            f"/app/knowledge/sources/{source_id.group(1)}",
            data={"csrf_token": csrf, "url": site.url("/"), "name": "Plumbing docs"},
        )
        assert edited.status_code == 303
        started = await console.post(
            f"/app/knowledge/sources/{source_id.group(1)}/sync", data={"csrf_token": csrf}
        )
        sync_id = SYNC_URL.search(started.headers["location"])
        assert sync_id is not None
        pending = await console.get(f"/app/knowledge/syncs/{sync_id.group(1)}")
        assert 'hx-trigger="every 1s"' in pending.text  # the progress keeps asking
        assert "Cancel sync" in pending.text

        await run_sync(app, tenant.business_id, sync_id.group(1))
        done = await console.get(f"/app/knowledge/syncs/{sync_id.group(1)}/progress")
        assert "completed" in done.text
        assert "hx-trigger" not in done.text  # ended: the page stops asking
        assert site.url("/gone") in done.text  # the skipped page is listed, with why
        assert "robots_disallowed" in done.text
        found = await console.get("/app/knowledge?q=how+much+is+a+boiler+service")
    assert "<strong>boiler</strong>" in found.text
    assert "Prices" in found.text


async def test_a_sync_is_cancelled_and_a_source_deleted(
    app: FastAPI,
    tenant: Tenant,
    site: DocSite,  # noqa: F811
) -> None:
    _small_site(site)
    async with console_client(app, tenant, "admin") as console:
        csrf = csrf_of(console, app)
        await console.post(
            "/app/knowledge/sources", data={"csrf_token": csrf, "url": site.url("/")}
        )
        page = await console.get("/app/knowledge")
        source = re.search(r"/app/knowledge/sources/([0-9a-f-]{36})/sync", page.text)
        assert source is not None
        started = await console.post(source.group(0), data={"csrf_token": csrf})
        sync_path = started.headers["location"]
        cancelled = await console.post(f"{sync_path}/cancel", data={"csrf_token": csrf})
        assert cancelled.status_code == 303
        assert "cancelled" in (await console.get(sync_path)).text
        deleted = await console.post(
            f"/app/knowledge/sources/{source.group(1)}/delete", data={"csrf_token": csrf}
        )
        assert deleted.status_code == 303
        assert "No documentation sources yet." in (await console.get("/app/knowledge")).text


async def test_documents_are_uploaded_found_and_deleted(app: FastAPI, tenant: Tenant) -> None:
    async with console_client(app, tenant, "supervisor") as console:
        csrf = csrf_of(console, app)
        upload = await console.post(
            "/app/knowledge/documents",
            data={"csrf_token": csrf, "title": "<script>x()</script> Opening hours"},
            files={"file": ("hours.md", b"# Hours\n\nWe open at nine on Saturdays.")},
            headers={"HX-Request": "true"},
        )
        assert upload.status_code == 200
        assert upload.headers["HX-Redirect"] == "/app/knowledge?uploaded=1#documents"
        empty = await console.post(
            "/app/knowledge/documents",
            data={"csrf_token": csrf},
            files={"file": ("empty.pdf", b"not a pdf")},
        )
        assert empty.status_code in {400, 415, 422}
        with assert_max_queries(12):
            page = await console.get("/app/knowledge?q=saturday+opening")
        assert "&lt;script&gt;x()&lt;/script&gt; Opening hours" in page.text
        assert (
            "<strong>Saturdays</strong>" in page.text or "<strong>saturdays</strong>" in page.text
        )
        document = re.search(r"/app/knowledge/documents/([0-9a-f-]{36})/delete", page.text)
        assert document is not None
        deleted = await console.post(document.group(0), data={"csrf_token": csrf})
        assert deleted.status_code == 303
        after = await console.get("/app/knowledge?q=saturday+opening")
    assert "Nothing in the knowledge base answers" in after.text


async def test_viewers_search_but_change_nothing(app: FastAPI, tenant: Tenant) -> None:
    async with console_client(app, tenant, "viewer") as console:
        page = await console.get("/app/knowledge")
        assert "No unanswered questions." in page.text
        for control in ("Add a documentation source", ">Upload<", "Sync now"):
            assert control not in page.text
        refused = await console.post(
            "/app/knowledge/sources",
            data={"csrf_token": csrf_of(console, app), "url": "https://docs.example.com/"},
        )
    assert refused.status_code == 403
