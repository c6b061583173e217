"""Links and the canonical URL of an HTML page, normalised against the page's base."""

from __future__ import annotations

from dataclasses import dataclass

import lxml.html
from lxml import etree

from aicaller.knowledge.documentation_scraper.urls import normalise_url


@dataclass(frozen=True, slots=True)
class PageLinks:
    links: list[str]
    canonical: str | None


# Plain strings: lxml's default "smart" strings each keep a reference to their element,
# which costs more than the rest of the lookup on a page with hundreds of links.
_BASE = etree.XPath("//base/@href", smart_strings=False)
_HREFS = etree.XPath("//a/@href", smart_strings=False)
_CANONICAL = etree.XPath("//link[@rel='canonical']/@href", smart_strings=False)


def _values(document: lxml.html.HtmlElement, path: etree.XPath) -> list[str]:
    found = path(document)
    return [str(value) for value in found] if isinstance(found, list) else []


def page_links(document: lxml.html.HtmlElement, page_url: str) -> PageLinks:
    """Links and canonical URL of an already parsed page."""
    base_hrefs = _values(document, _BASE)
    base = normalise_url(base_hrefs[0], page_url) if base_hrefs else None
    base = base or page_url
    # Pages link to the same page many times (anchors into one page, repeated navigation):
    # normalise each distinct href once, fragments dropped first.
    hrefs = dict.fromkeys(href.strip().partition("#")[0] for href in _values(document, _HREFS))
    seen: dict[str, None] = {}
    for href in hrefs:
        url = normalise_url(href, base)
        if url is not None:
            seen.setdefault(url, None)
    canonical_hrefs = _values(document, _CANONICAL)
    canonical = normalise_url(canonical_hrefs[0], base) if canonical_hrefs else None
    return PageLinks(list(seen), canonical)
