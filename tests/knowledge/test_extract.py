"""Extraction takes the main content of each documentation generator's pages and leaves its
navigation out; pages of no known generator go to trafilatura.

The Sphinx, AsciiDoc and MkDocs pages in ``pages/`` are real output from Debian's doc packages
(python3.11-doc, python-django-doc, python-sqlalchemy-doc, git-doc, mkdocs-doc); the others are
small pages written from each generator's own templates (they say so in a comment).
"""

from __future__ import annotations

from pathlib import Path

import lxml.etree
import lxml.html
import pytest

from aicaller.knowledge.chunking import chunk_markdown
from aicaller.knowledge.documentation_scraper.extract import _PARSER, extract_html
from aicaller.knowledge.documentation_scraper.generators import detect

PAGES = Path(__file__).parent / "pages"

# page, generator, title, text that must be kept, navigation or chrome that must not
CASES = [
    (
        "sphinx-python-concurrent.html", "sphinx", "The concurrent package",
        ["Currently, there is only one module in this package", "Launching parallel tasks"],
        ["Previous topic", "Report a Bug", "Python Software Foundation", "Navigation", "¶"],
    ),
    (
        "sphinx-django-external-packages.html", "sphinx", "External packages",
        ["django-localflavor", "## Comments", "## Formtools"],
        ["Django 3.2.25 documentation", "Table of Contents", "Previous topic", "¶"],
    ),
    (
        "sphinx-sqlalchemy-serializer.html", "sphinx", "Expression Serializer Extension",
        ["Serializer/Deserializer objects", "serialized = dumps(query)", "*function*"],
        ["SQLAlchemy 1.4 Documentation", "Release:", "Previous:", "Next:", "Sphinx", "¶"],
    ),
    (
        "asciidoc-git-stage.html", "asciidoc", "git-stage(1) Manual Page",
        ["## NAME", "Add file contents to the staging area", "git stage <arg>"],
        ["Last updated"],
    ),
    (
        "mkdocs-installation.html", "mkdocs", "MkDocs Installation",
        ["## Requirements", "pip install mkdocs"],
        ["Search", "Edit on GitHub", "Documentation built with", "Previous", "Getting Started"],
    ),
    (
        "mkdocs-material.html", "mkdocs", "Business hours",
        ["takes a message instead of transferring", "## Weekends"],
        ["Header site name", "Primary navigation", "Secondary table", "Last update", "¶"],
    ),
    (
        "docusaurus.html", "docusaurus", "Configure webhooks",
        ["## Signing secret", "curl -X POST"],
        ["Skip to main", "Sidebar:", "Breadcrumb", "On this page", "Copy button", "Edit this",
         "Previous page", "Desktop table", "Copyright footer"],
    ),
    (
        "docbook.html", "docbook", "Chapter 3. Backups",
        ["Back up the database every night", "## 3.1. Nightly dumps", "fourteen copies"],
        ["header link", "footer link", "Chapter table of contents"],
    ),
    (
        "javadoc.html", "javadoc", "Class RetryPolicy",
        ["Decides how often a failed request", "### backoff", "capped at thirty seconds"],
        ["Help navigation", "Constr", "Copyright legal"],
    ),
    (
        "rustdoc.html", "rustdoc", "Struct Pool",
        ["A pool of database connections", "## Examples", "#### pub fn get(&self)",
         "Waits for a free connection"],
        ["Sidebar: Methods", "Copy item path", "Expand description", "Source", "§"],
    ),
    (
        "hugo-docsy.html", "hugo", "Call routing",
        ["the first rule that matches", "## Rules"],
        ["Acme navbar", "Sidebar section", "Right-hand", "Edit this page", "Breadcrumb",
         "Was this page helpful", "Last modified", "Footer copyright"],
    ),
    (
        "gitbook.html", "gitbook", "Recording calls",
        ["kept for ninety days", "## Consent"],
        ["Summary chapter", "Book header", "Search results", "Previous page"],
    ),
]  # fmt: skip


@pytest.mark.parametrize(
    ("page", "generator", "title", "kept", "left_out"), CASES, ids=[c[0] for c in CASES]
)
def test_a_generators_main_content_is_taken_without_its_navigation(
    page: str, generator: str, title: str, kept: list[str], left_out: list[str]
) -> None:
    extracted = extract_html((PAGES / page).read_bytes(), url=f"http://docs.test/{page}")
    assert extracted.method == generator
    assert extracted.title == title
    assert extracted.markdown.startswith(("# ", "Package")), extracted.markdown[:80]
    for text in kept:
        assert text in extracted.markdown, text
    for text in left_out:
        assert text not in extracted.markdown, text
    assert extracted.links  # links still come from the whole page
    document = lxml.html.document_fromstring((PAGES / page).read_bytes())
    page_text = lxml.etree.tostring(document, method="text", encoding="unicode")
    assert all(text in page_text for text in left_out)  # each was there to be left out


def test_headings_reach_the_chunks() -> None:
    extracted = extract_html((PAGES / "sphinx-django-external-packages.html").read_bytes())
    paths = {
        chunk.heading_path for chunk in chunk_markdown(extracted.title or "", extracted.markdown)
    }
    assert "External packages > Comments" in paths
    assert "External packages > Formtools" in paths


def test_the_generator_is_found_without_a_generator_meta() -> None:
    """Python's docs carry only Docutils' meta: Sphinx is told by its documentation_options
    script; a Docusaurus page stripped of its meta by its #__docusaurus root."""
    python = lxml.html.document_fromstring(
        (PAGES / "sphinx-python-concurrent.html").read_bytes(), parser=_PARSER
    )
    docusaurus = lxml.html.document_fromstring(
        (PAGES / "docusaurus.html").read_text().replace('name="generator"', 'name="x"'),
        parser=_PARSER,
    )
    found = [detect(python), detect(docusaurus)]
    assert [g.name if g else None for g in found] == ["sphinx", "docusaurus"]


ARTICLE = """<html><head><title>Pricing - Acme</title></head><body>
<nav><a href="/a">Home</a> <a href="/b">Plans</a> <a href="/c">Contact</a></nav>
<div class="article-body"><h1>Pricing</h1><p>The starter plan costs nine euros a month and
includes two hundred minutes of calls; extra minutes are billed at two cents each. The
business plan adds call recording, quality scoring and a dedicated number for every team,
and it is billed yearly with a discount of fifteen percent on the monthly price.</p></div>
<footer>Acme footer, all rights reserved, imprint and privacy policy.</footer></body></html>"""


def test_a_page_of_no_known_generator_goes_to_trafilatura() -> None:
    extracted = extract_html(ARTICLE, url="http://docs.test/pricing")
    assert extracted.method == "trafilatura"
    assert "nine euros a month" in extracted.markdown
    assert "footer" not in extracted.markdown


def test_an_empty_main_element_falls_back_to_trafilatura() -> None:
    """A generator's page whose content element is empty (rendered by JavaScript, or a theme
    the selectors do not fit) still gets its text."""
    page = ARTICLE.replace("<body>", '<body><div id="__docusaurus"></div>').replace(
        "<head>", '<head><meta name="generator" content="Docusaurus v3.5.2">'
    )
    page = page.replace('class="article-body"', 'class="article"') + (
        '<div class="theme-doc-markdown markdown"> </div>'
    )
    extracted = extract_html(page, url="http://docs.test/pricing")
    assert extracted.method == "trafilatura"
    assert "nine euros a month" in extracted.markdown


def test_a_sources_selector_takes_the_content_it_names() -> None:
    extracted = extract_html(
        ARTICLE, url="http://docs.test/pricing", content_selector="div.article-body"
    )
    assert extracted.method == "selector"
    assert extracted.title == "Pricing"
    assert extracted.markdown.startswith("# Pricing\n\nThe starter plan costs nine euros")
    assert "Plans" not in extracted.markdown
    assert "footer" not in extracted.markdown


def test_a_sources_selector_wins_over_the_generator() -> None:
    page = (PAGES / "docusaurus.html").read_bytes()
    extracted = extract_html(page, content_selector="nav.theme-doc-breadcrumbs, .footer")
    assert extracted.method == "selector"
    assert "Breadcrumb home" in extracted.markdown
    assert "Copyright footer text" in extracted.markdown
    assert "Signing secret" not in extracted.markdown


def test_a_selector_that_matches_nothing_leaves_the_page_to_the_generator() -> None:
    page = (PAGES / "docusaurus.html").read_bytes()
    extracted = extract_html(page, content_selector="div.no-such-thing")
    assert extracted.method == "docusaurus"
    assert "Signing secret" in extracted.markdown
