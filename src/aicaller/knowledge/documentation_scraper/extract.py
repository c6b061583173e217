"""HTML to markdown for the knowledge base: trafilatura for the main content, headings kept.

The page is parsed once with lxml: links, canonical URL and title come from that tree (much
cheaper than trafilatura's metadata pass), then trafilatura extracts the main content from it.
Trafilatura drops navigation, footers and boilerplate; on pages where that leaves too little (a
page that is mostly a table or a list of links, say) the whole visible text is used instead, so a
page never silently becomes empty.

Trafilatura keeps module-level lxml parsers, which are not safe to use from several threads at
once (we saw a crash in a parallel crawl), so extraction holds a lock; the GIL would serialise
the work anyway.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import lxml.html
import trafilatura
from lxml.etree import ParserError

from aicaller.knowledge.documentation_scraper.links import page_links

# Below this share of the page's visible text, the extraction is taken to have missed content.
MIN_EXTRACTED_SHARE = 0.2
MIN_FALLBACK_CHARS = 200
_TRAFILATURA = threading.Lock()


@dataclass(frozen=True, slots=True)
class ExtractedPage:
    title: str | None
    markdown: str
    links: tuple[str, ...] = ()
    canonical: str | None = None


def _title(document: lxml.html.HtmlElement) -> str | None:
    for path in (".//h1", ".//title"):
        node = document.find(path)
        if node is not None:
            text = " ".join(node.text_content().replace("\u00b6", "").split())
            if text:
                return text[:500]
    return None


def _visible_text(document: lxml.html.HtmlElement) -> str:
    body = document.find(".//body")
    root = body if body is not None else document
    for node in root.iter("script", "style", "noscript", "template"):
        node.drop_tree()
    return " ".join(root.text_content().split())


def extract_html(html: str | bytes, *, url: str | None = None) -> ExtractedPage:
    """The page's main content as markdown, its title, links and canonical URL (CPU-bound:
    call it off the event loop)."""
    try:
        document = lxml.html.document_fromstring(html)
    except (ParserError, ValueError):
        return ExtractedPage(None, "")
    links = page_links(document, url) if url else None
    title = _title(document)
    full_text = _visible_text(document)  # before trafilatura, which may prune the tree
    with _TRAFILATURA:
        extracted = trafilatura.extract(
            document,
            url=url,
            output_format="markdown",
            include_tables=True,
            include_formatting=True,
            include_links=False,
            favor_recall=True,
        )
    markdown = (extracted or "").strip()
    too_little = len(markdown) < MIN_EXTRACTED_SHARE * len(full_text)
    if not markdown or (too_little and len(full_text) >= MIN_FALLBACK_CHARS):
        markdown = full_text
    if links is None:
        return ExtractedPage(title, markdown)
    return ExtractedPage(title, markdown, tuple(links.links), links.canonical)
