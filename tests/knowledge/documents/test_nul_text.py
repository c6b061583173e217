"""NUL characters (PostgreSQL text cannot hold them) in uploads and crawled pages: the same
answer on both engines. Stray NULs are dropped from the stored text; a "text" file that is
mostly control characters (binary data, UTF-16) is refused; a title typed with one is a 422."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from aicaller.database.models import Document
from tests.factories import Tenant
from tests.helpers import count_rows
from tests.knowledge.files import make_pdf
from tests.knowledge.site import DocSite, html
from tests.knowledge.sources.test_sync import add_source, sync

DOCS = "/api/v1/knowledge/documents"


async def _upload(
    client: httpx.AsyncClient, tenant: Tenant, name: str, data: bytes, **form: str
) -> httpx.Response:
    return await client.post(
        DOCS, files={"file": (name, data)}, data=form, headers=tenant.headers()
    )


async def _stored(client: httpx.AsyncClient, tenant: Tenant, document_id: str) -> dict[str, Any]:
    detail: dict[str, Any] = (
        await client.get(f"{DOCS}/{document_id}", headers=tenant.headers())
    ).json()
    return detail


async def _search(client: httpx.AsyncClient, tenant: Tenant, question: str) -> list[str]:
    found = await client.get(
        "/api/v1/knowledge/search", params={"q": question}, headers=tenant.headers()
    )
    return [result["content"] for result in found.json()["results"]]


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("notes.txt", b"Refunds take\x00 fourteen days.\x00\nCall us on weekdays.\x00"),
        ("faq.md", b"# FAQ\x00\n\nRefunds take fourteen\x00 days."),
        ("page.html", b"<html><body><p>Refunds take fourteen\x00 days.</p></body></html>"),
        ("policy.pdf", make_pdf(["Refunds take fourteen\x00 days."], "Poli\x00cies")),
    ],
)
async def test_nul_characters_in_an_upload_are_dropped(
    client: httpx.AsyncClient, tenant: Tenant, name: str, data: bytes
) -> None:
    response = await _upload(client, tenant, name, data)
    assert response.status_code == 201, response.text
    stored = await _stored(client, tenant, response.json()["id"])
    assert "\x00" not in stored["content"] + stored["title"]
    assert "fourteen days" in stored["content"].replace("\n", " ")
    assert any("fourteen" in text for text in await _search(client, tenant, "refunds"))


@pytest.mark.parametrize(
    "data",
    [
        "Refunds take fourteen days.".encode("utf-16-le"),  # UTF-16 without a byte order mark
        b"\x00" * 200 + b"PK\x03\x04 an archive, not text",
        b"\x01\x02\x03\x04\x05\x06\x07\x08" * 10 + b"mostly control bytes",
    ],
)
async def test_a_text_file_of_mostly_control_characters_is_refused(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant, data: bytes
) -> None:
    response = await _upload(client, tenant, "data.txt", data)
    assert response.status_code == 422, response.text
    problem = response.json()
    assert problem["code"] == "unreadable_document"
    assert "binary" in problem["detail"]
    assert await count_rows(app.state.database, Document) == 0


async def test_a_title_or_file_name_with_nul(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant
) -> None:
    titled = await _upload(client, tenant, "notes.txt", b"Open at nine.", title="No\x00tes")
    assert (titled.status_code, titled.json()["code"]) == (422, "validation_error")
    assert await count_rows(app.state.database, Document) == 0
    # Written by hand: httpx would percent-encode the NUL in the file name.
    body = (
        b'--b\r\nContent-Disposition: form-data; name="file"; filename="no\x00tes.txt"\r\n'
        b"Content-Type: text/plain\r\n\r\nOpen at nine.\r\n--b--\r\n"
    )
    headers = {**tenant.headers(), "Content-Type": "multipart/form-data; boundary=b"}
    named = await client.post(DOCS, content=body, headers=headers)
    assert named.status_code == 201, named.text
    assert named.json()["filename"] == "notes.txt"


async def test_crawled_pages_with_nul_characters_are_stored_without_them(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant, site: DocSite
) -> None:
    # HTML parsers read NUL as U+FFFD (so does a browser: the link leads to /a%EF%BF%BDb);
    # a plain-text page keeps its NULs until they are stored.
    site.page("/", html("Ho\x00me", "Refunds take fourteen\x00 days.", ("/notes.txt", "/a\x00b")))
    site.page("/notes.txt", b"Parking\x00 is behind the clinic.", "text/plain; charset=utf-8")
    site.page("/a%EF%BF%BDb", html("Odd link", "Found through a link with a NUL in it."))
    source = await add_source(client, tenant, site.url("/"))
    result = await sync(app, client, tenant, source["id"])
    assert (result["status"], result["indexed"], result["failed"]) == ("completed", 3, 0)
    items = (await client.get(DOCS, headers=tenant.headers())).json()["items"]
    assert sorted(item["url"] for item in items) == [
        site.url("/"), site.url("/a%EF%BF%BDb"), site.url("/notes.txt")
    ]  # fmt: skip
    for item in items:
        stored = await _stored(client, tenant, item["id"])
        assert "\x00" not in stored["content"] + stored["title"]
    assert any("behind the clinic" in text for text in await _search(client, tenant, "parking"))
