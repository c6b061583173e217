"""The evaluation data of issue 20 (``benchmarks/answer_data/``) as typed values.

Documentation sets, ``docs/<set>.json``: ``{"set", "package", "root", "questions": [{"id",
"question", "pages": [paths relative to root], "where"}]}``; the pages are those of a Debian
doc package extracted under ~/.cache/aicaller-bench/<package>/<root> (``docs_site.py``).

Businesses, ``business/<slug>/``: ``site/*.html``, ``business.json`` and ``questions.json``
(``{"questions": [{"id", "kind", "question", "page"?, "answer_facts"?, "note"}]}``).

The data was written by people who never saw the search or the agent. One documentation set and
one business are held out (``HELD_OUT``): run only to report, their questions never printed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from docs_site import CACHE, SITES, debian_docs

DATA = Path(__file__).resolve().parent / "answer_data"
HELD_OUT = frozenset(
    {
        "sqlalchemy",
        "ridgeline_plumbing_hvac",
        "harborview_dental",
        "granite_peak_roofing",
        "bayside_locksmith",
    }
)


@dataclass(frozen=True, slots=True)
class PageQuestion:
    id: str
    question: str
    pages: tuple[str, ...]  # acceptable pages, as page_key()s


@dataclass(frozen=True, slots=True)
class PageSet:
    """Questions whose answer is on known pages of a site served from ``root``."""

    name: str
    root: Path
    questions: tuple[PageQuestion, ...]
    start: str = "index.html"

    @property
    def held_out(self) -> bool:
        return self.name.removeprefix("business:") in HELD_OUT


def page_key(path_or_url: str) -> str:
    """A page's path relative to the site root, as the sync stores it and as the questions
    name it: no scheme, host, query or fragment; ``index.html`` and a trailing slash dropped."""
    path = unquote(urlsplit(path_or_url).path) if "://" in path_or_url else path_or_url
    path = path.split("#", 1)[0].lstrip("/")
    if path == "index.html" or path.endswith("/index.html"):
        path = path.removesuffix("index.html")
    return path.rstrip("/")


def relative_key(url: str, base: str) -> str:
    """``page_key`` of ``url`` relative to the served root ``base`` (``http://host:port/``)."""
    return page_key(url.removeprefix(base.rstrip("/")))


def doc_sets(data: Path, names: list[str] | None = None) -> list[PageSet]:
    """The documentation sets present under ``data/docs`` (all, or those ``names``)."""
    sets = []
    for path in sorted((data / "docs").glob("*.json")):
        raw = json.loads(path.read_text())
        name = str(raw.get("set") or path.stem)
        if names and name not in names:
            continue
        sets.append(
            PageSet(
                name=name,
                root=_docs_root(name, raw["package"], raw["root"]),
                questions=tuple(
                    PageQuestion(
                        str(q["id"]), q["question"], tuple(page_key(p) for p in q["pages"])
                    )
                    for q in raw["questions"]
                ),
            )
        )
    return sets


def business_sets(data: Path, names: list[str] | None = None) -> list[PageSet]:
    """Each business's answerable questions that name their page, as a page-retrieval set."""
    sets = []
    for folder in sorted(path for path in (data / "business").glob("*") if path.is_dir()):
        if names and folder.name not in names:
            continue
        questions = json.loads((folder / "questions.json").read_text())["questions"]
        sets.append(
            PageSet(
                name=f"business:{folder.name}",
                root=folder / "site",
                questions=tuple(
                    PageQuestion(str(q["id"]), q["question"], (page_key(q["page"]),))
                    for q in questions
                    if q.get("kind") == "answerable" and q.get("page")
                ),
            )
        )
    return sets


def business_config(data: Path, slug: str) -> dict[str, Any]:
    result: dict[str, Any] = json.loads((data / "business" / slug / "business.json").read_text())
    return result


def _docs_root(name: str, package: str, root: str) -> Path:
    """The extracted package's directory, downloaded and extracted first if need be."""
    path = CACHE / package / root
    if not path.is_dir() and name in SITES and SITES[name][0] == package:
        debian_docs(name)
    return path
