"""A page's kind counts beside its words (ADR 0046): its one-line description names it as its
title does, a page of a numbered series (release notes) yields to the page about the subject
unless a version is asked about, and one page served at two addresses fills one place."""

from __future__ import annotations

import uuid
from dataclasses import replace

import httpx
import pytest

from aicaller.database.session import Database
from aicaller.knowledge.documents.description import page_description
from aicaller.knowledge.search.backend import SearchHit
from aicaller.knowledge.search.pages import rank_by_page
from aicaller.knowledge.search.service import SearchService
from tests.factories import Tenant

SEARCH = "/api/v1/knowledge/search"
MAN_PAGE = """# git-cherry-pick(1) Manual Page

## NAME

git-cherry-pick -
Apply the changes introduced by some existing commits

## SYNOPSIS

```
git cherry-pick [--edit] <commit>...
```
"""


@pytest.mark.parametrize(
    ("markdown", "description"),
    [
        (MAN_PAGE, "git-cherry-pick - Apply the changes introduced by some existing commits"),
        ("# Guests\n\nWho signs in.\n\n## On arrival\nAt the desk.", "Who signs in."),
        # Code is not a description, nor is a heading; the first paragraph after them is.
        ("```\nimport os\n\nos.sep\n```\n\n# T\n\nA tagline.", "A tagline."),
        # A long first paragraph is an introduction, not a description.
        ("# Signing\n\n" + "Never trust data from untrusted sources. " * 3, ""),
        ("", ""),
        ("# Only a title", ""),
    ],
)
def test_a_page_is_described_by_its_short_first_paragraph(markdown: str, description: str) -> None:
    assert page_description(markdown) == description


def _hit(
    page: uuid.UUID, score: float, title: str, *, text: str = "text", url: str | None = None,
    description: str = "",
) -> SearchHit:  # fmt: skip
    return SearchHit(uuid.uuid4(), page, title, url, title, text, "", score, 0, description)


def test_the_description_names_a_page_whose_title_is_only_its_command() -> None:
    # The everyday guide matches the question's words a little harder; the man page says in
    # its NAME line that applying a commit is what it does.
    guide, command = uuid.uuid4(), uuid.uuid4()
    hits = [
        _hit(guide, 1.0, "giteveryday(7) Manual Page", text="grab a commit, apply it"),
        _hit(
            command, 0.9, "git-cherry-pick(1) Manual Page", text="grab a commit, apply it",
            description="git-cherry-pick - Apply the changes introduced by some existing commits",
        ),
    ]  # fmt: skip
    terms = ["grab", "commit", "apply"]
    assert [hit.document_id for hit in rank_by_page(hits, terms, 2)] == [command, guide]
    # Without its description, the order of the words alone.
    plain = [replace(hit, description="") for hit in hits]
    assert [hit.document_id for hit in rank_by_page(plain, terms, 2)] == [guide, command]


def _notes_and_page() -> tuple[list[SearchHit], uuid.UUID]:
    notes = [uuid.uuid4() for _ in range(3)]
    page = uuid.uuid4()
    hits = [
        _hit(note, 1.0, f"Django {version} release notes", text="formsets, saved")
        for note, version in zip(notes, ("1.1", "1.2.5", "3.0"), strict=True)
    ]
    return [*hits, _hit(page, 0.93, "Working with forms", text="formsets, saved")], page


def test_release_notes_yield_to_the_page_about_the_subject() -> None:
    hits, page = _notes_and_page()
    assert rank_by_page(hits, ["formsets", "saved"], 1)[0].document_id == page
    # A question about a version or a release wants its notes.
    for terms in (["formsets", "saved", "3"], ["formsets", "saved", "release"]):
        assert rank_by_page(hits, terms, 1)[0].document_id != page
    # Two pages numbered alike are no series.
    assert rank_by_page(hits[1:], ["formsets", "saved"], 1)[0].document_id != page


def test_a_page_served_at_two_addresses_fills_one_place() -> None:
    home, copy, other = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    hits = [
        _hit(home, 1.0, "git(1) Manual Page", url="http://h/index.html", text="tags and counts"),
        _hit(copy, 1.0, "git(1) Manual Page", url="http://h/git.html", text="tags and counts"),
        _hit(other, 0.7, "git-describe(1) Manual Page", text="the nearest tag"),
    ]
    ranked = rank_by_page(hits, ["tag", "count"], 2)
    assert [hit.document_id for hit in ranked] == [home, other]


async def test_the_description_is_kept_and_read_with_the_page(
    client: httpx.AsyncClient, tenant: Tenant, database: Database
) -> None:
    # Stored when the document is written, read by the search statement on both engines.
    for name, text in (
        ("cherry-pick.md", MAN_PAGE + "\nGiven one or more existing commits, apply each.\n"),
        ("everyday.md", "# Everyday Git\n\n" + "Apply a commit here and there. " * 5),
    ):
        response = await client.post(
            "/api/v1/knowledge/documents",
            files={"file": (name, text.encode())},
            headers=tenant.headers(),
        )
        assert response.status_code == 201, response.text
    async with database.transaction() as session:
        _, hits = await SearchService(session, tenant.business_id).search(
            "apply existing commits", limit=5
        )
    described = {hit.title: hit.description for hit in hits}
    assert described == {
        "git-cherry-pick(1) Manual Page": (
            "git-cherry-pick - Apply the changes introduced by some existing commits"
        ),
        "Everyday Git": "",
    }
    found = await client.get(
        SEARCH, params={"q": "apply existing commits", "limit": 1}, headers=tenant.headers("agent")
    )
    assert found.json()["results"][0]["title"] == "git-cherry-pick(1) Manual Page"
