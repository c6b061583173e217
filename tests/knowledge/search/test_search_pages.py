"""Search ranks the page that treats a question's subject above pages that mention it in passing
(release notes, lists of links), using the page's title and URL path and all its matches."""

from __future__ import annotations

import uuid
from dataclasses import replace

import httpx
import pytest

from aicaller.knowledge.search.backend import SearchHit
from aicaller.knowledge.search.pages import (
    CHUNK_WEIGHT,
    code_share,
    name_match,
    page_evidence,
    pool_size,
    rank_by_page,
)
from tests.factories import Tenant

SEARCH = "/api/v1/knowledge/search"
NOTES = b"""# Release notes

## Version 2.1
Threads can now be given names. Threads started before the change keep their numbers.
Threads, threads, threads: the changelog of threads.

## Version 2.2
The cache is faster.
"""
THREADING = b"""# Threading

## Starting work in the background
Start a worker with the Thread class and join it when it has finished; every thread of the
process shares its memory, so guard shared data with a lock.
"""


# A handbook of 80 chapters, one of which says in a line what the guests page is about.
MANUAL = b"# Handbook\n\n" + b"\n\n".join(
    b"## Chapter %d\n" % n
    + (
        b"Visitors sign in at the front desk and wear a badge."
        if n == 7
        else b"Chapter %d covers printers, keys and the kitchen rota." % n
    )
    for n in range(1, 81)
)
VISITORS = b"""# Guests

## On arrival
Visitors sign in at the front desk and wear a badge; coats go on the rack by the door.
"""


def _hit(page: uuid.UUID, score: float, title: str = "T", url: str | None = None) -> SearchHit:
    return SearchHit(uuid.uuid4(), page, title, url, title, "text", "snippet", score)


@pytest.mark.parametrize(
    ("terms", "title", "url", "share"),
    [
        (["threads"], "Library", "http://127.0.0.1/library/threading.html", 1.0),
        (["start", "threads"], "Threading", None, 0.5),
        # The host and the extension are no evidence.
        (["example", "html"], "Home", "https://example.com/a/index.html", 0.0),
        ([], "Anything", None, 0.0),
    ],
)
def test_a_page_is_named_by_its_title_and_path(
    terms: list[str], title: str, url: str | None, share: float
) -> None:
    assert name_match(terms, title, url) == share


def test_a_page_with_several_matches_beats_a_single_slightly_better_match() -> None:
    broad, single = uuid.uuid4(), uuid.uuid4()
    hits = [_hit(single, 1.0), _hit(broad, 0.95), _hit(broad, 0.9), _hit(broad, 0.8)]
    ranked = rank_by_page(hits, ["words"], 2)
    assert [hit.document_id for hit in ranked] == [broad, broad]
    assert ranked[0].score == 1.0
    assert rank_by_page([], ["words"], 3) == []
    assert pool_size(5) >= 5
    assert pool_size(20) >= 20


async def test_the_page_named_after_the_subject_answers_first(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    for name, data in (("notes.md", NOTES), ("threading.md", THREADING)):
        response = await client.post(
            "/api/v1/knowledge/documents",
            files={"file": (name, data)},
            headers=tenant.headers(),
        )
        assert response.status_code == 201, response.text
    found = await client.get(
        SEARCH, params={"q": "what about threads", "limit": 3}, headers=tenant.headers("agent")
    )
    assert found.status_code == 200, found.text
    results = found.json()["results"]
    assert [result["title"] for result in results] == ["Threading", "Release notes"]
    assert results[0]["score"] == 1.0


def test_a_source_listing_ranks_below_prose_on_the_same_words() -> None:
    listing, prose = uuid.uuid4(), uuid.uuid4()
    code = "```\ndef null_blank(field):\n    return field.null and field.blank\n```"
    hits = [
        replace(_hit(listing, 1.0), text=f"Source\n{code}"),
        replace(_hit(prose, 0.8), text="null is about the database; blank is about forms."),
    ]
    assert code_share(hits[0].text) > 0.9
    assert code_share(hits[1].text) == 0.0
    assert [hit.document_id for hit in rank_by_page(hits, ["null", "blank"], 2)] == [
        prose,
        listing,
    ]


def test_a_page_holding_all_the_question_words_beats_a_stronger_match_of_one() -> None:
    # One word matched hard (a changelog line) against a chunk that holds every word asked.
    passing, answering = uuid.uuid4(), uuid.uuid4()
    hits = [
        replace(_hit(passing, 1.0), text="Threads, threads: the changelog of threads."),
        replace(_hit(answering, 0.9), text="Start threads and guard shared data with a lock."),
    ]
    ranked = rank_by_page(hits, ["start", "threads", "lock"], 2)
    assert [hit.document_id for hit in ranked] == [answering, passing]


def test_the_page_evidence_says_why_the_page_that_answers_won() -> None:
    # What an evaluation prints for a miss: the parts behind the order, which it must match.
    passing, answering = uuid.uuid4(), uuid.uuid4()
    hits = [
        replace(_hit(passing, 1.0), text="Threads, threads: the changelog of threads."),
        replace(_hit(answering, 0.9, "Threads"), text="Start threads, guard data with a lock."),
    ]
    evidence = page_evidence(hits, ["start", "threads", "lock"])
    assert evidence[answering].coverage > evidence[passing].coverage
    assert evidence[answering].name > evidence[passing].name == 0.0
    fused = {
        hit.document_id: CHUNK_WEIGHT * hit.score + evidence[hit.document_id].total for hit in hits
    }
    ranked = rank_by_page(hits, ["start", "threads", "lock"], 2)
    assert [hit.document_id for hit in ranked] == sorted(fused, key=fused.__getitem__)[::-1]


def test_a_very_long_page_ranks_below_a_short_one_on_equal_evidence() -> None:
    # A user manual of 400 chunks mentions everything; the short page is about the subject.
    manual, page = uuid.uuid4(), uuid.uuid4()
    hits = [
        replace(_hit(manual, 1.0, "Manual"), chunk_count=400),
        replace(_hit(page, 0.95, "Page"), chunk_count=5),
    ]
    assert [hit.document_id for hit in rank_by_page(hits, ["text"], 2)] == [page, manual]
    # A page of unknown length (0: a hit made elsewhere) is not counted against.
    assert rank_by_page([replace(hit, chunk_count=0) for hit in hits], ["text"], 1)[0] == replace(
        hits[0], chunk_count=0
    )


async def test_a_handbook_that_mentions_the_subject_ranks_below_the_page_about_it(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    # The page's length comes from the search statement itself, on both engines.
    for name, data in (("handbook.md", MANUAL), ("guests.md", VISITORS)):
        response = await client.post(
            "/api/v1/knowledge/documents", files={"file": (name, data)}, headers=tenant.headers()
        )
        assert response.status_code == 201, response.text
    found = await client.get(
        SEARCH,
        params={"q": "do visitors sign in and wear a badge at the desk", "limit": 5},
        headers=tenant.headers("agent"),
    )
    assert found.status_code == 200, found.text
    assert found.json()["results"][0]["title"] == "Guests"
