"""Uploading documents: every supported format, and bad files refused with nothing stored."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI

from aicaller.database.models import Chunk, Document
from tests.factories import Tenant
from tests.helpers import count_rows
from tests.knowledge.files import make_docx, make_pdf

DOCS = "/api/v1/knowledge/documents"
HTML = b"""<html><head><title>Visiting us</title></head><body><nav>Home | Team</nav>
<main><h1>Visiting us</h1><p>Our clinic is on the second floor, above the pharmacy, and the
lift is next to the main entrance. Bring your insurance card to every appointment.</p>
<h2>Parking</h2><p>Free parking is available behind the building for all patients and
visitors, including two spaces reserved for disabled drivers.</p></main>
<footer>Copyright Demo Dental</footer></body></html>"""


async def _upload(
    client: httpx.AsyncClient, tenant: Tenant, name: str, data: bytes, **form: str
) -> httpx.Response:
    return await client.post(
        DOCS, files={"file": (name, data)}, data=form, headers=tenant.headers("supervisor")
    )


@pytest.mark.parametrize(
    ("name", "data", "title", "expected"),
    [
        ("faq.md", b"# Clinic FAQ\n\n## Hours\nOpen 8 to 5.", "Clinic FAQ", "## Hours"),
        ("notes.txt", "Caf\u00e9 opens at nine.".encode(), "notes", "Caf\u00e9 opens"),
        ("visit.html", HTML, "Visiting us", "## Parking"),
        (
            "policy.pdf",
            make_pdf(["Refunds", "Refunds take 14 days."], "Policies"),
            "Policies",
            "14 days",
        ),
        (
            "handbook.docx",
            make_docx(
                "Handbook", {"Parking": "Behind the clinic."}, [["Day", "Hours"], ["Mon", "9-5"]]
            ),
            "Handbook",
            "| Mon | 9-5 |",
        ),
    ],
)
async def test_upload_each_format(
    app: FastAPI,
    client: httpx.AsyncClient,
    tenant: Tenant,
    name: str,
    data: bytes,
    title: str,
    expected: str,
) -> None:
    response = await _upload(client, tenant, name, data)
    assert response.status_code == 201, response.text
    document = response.json()
    assert document["title"] == title
    assert document["filename"] == name
    assert document["kind"] == "upload"
    assert document["size_bytes"] == len(data)
    assert document["chunk_count"] >= 1
    detail = (await client.get(f"{DOCS}/{document['id']}", headers=tenant.headers("viewer"))).json()
    assert expected in detail["content"]
    if name == "visit.html":
        assert "Copyright" not in detail["content"]  # boilerplate left out
    assert await count_rows(app.state.database, Chunk) == document["chunk_count"]
    listed = (await client.get(DOCS, headers=tenant.headers("agent"))).json()["items"]
    assert [item["id"] for item in listed] == [document["id"]]


async def test_a_given_title_wins(client: httpx.AsyncClient, tenant: Tenant) -> None:
    response = await _upload(client, tenant, "faq.md", b"# Old\nText.", title="Front desk FAQ")
    assert response.json()["title"] == "Front desk FAQ"


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("virus.exe", b"MZ\x90\x00", "unsupported_document_type"),
        ("noextension", b"text", "unsupported_document_type"),
        ("broken.pdf", b"%PDF-1.4 this is not really a pdf", "unreadable_document"),
        ("fake.pdf", b"just text", "unreadable_document"),
        ("broken.docx", b"PK\x03\x04 not a zip at all", "unreadable_document"),
        ("latin1.txt", "caf\u00e9".encode("latin-1"), "unreadable_document"),
        ("empty.md", b"   \n\n", "unreadable_document"),
        ("blank.pdf", make_pdf([]), "unreadable_document"),
    ],
)
async def test_bad_files_are_refused_and_nothing_is_stored(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant, name: str, data: bytes, code: str
) -> None:
    response = await _upload(client, tenant, name, data)
    assert response.status_code == 422, response.text
    assert response.json()["code"] == code
    assert await count_rows(app.state.database, Document) == 0
    assert await count_rows(app.state.database, Chunk) == 0


async def test_oversized_uploads_are_refused(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(app.state.settings, "knowledge_max_upload_bytes", 2048)
    response = await _upload(client, tenant, "big.txt", b"word " * 1000)
    assert response.status_code == 413
    assert response.json()["code"] == "document_too_large"
    assert await count_rows(app.state.database, Document) == 0
    exactly = await _upload(client, tenant, "fits.txt", b"x" * 2048)
    assert exactly.status_code == 201


async def test_missing_file_is_a_422(client: httpx.AsyncClient, tenant: Tenant) -> None:
    response = await client.post(DOCS, data={"title": "x"}, headers=tenant.headers())
    assert response.status_code == 422


async def test_delete_removes_the_document_and_its_chunks(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant
) -> None:
    document = (await _upload(client, tenant, "faq.md", b"# FAQ\n\n## Hours\nOpen 8 to 5.")).json()
    deleted = await client.delete(f"{DOCS}/{document['id']}", headers=tenant.headers())
    assert deleted.status_code == 204
    assert await count_rows(app.state.database, Chunk) == 0
    again = await client.delete(f"{DOCS}/{document['id']}", headers=tenant.headers())
    assert again.status_code == 404
    assert again.json()["code"] == "document_not_found"
