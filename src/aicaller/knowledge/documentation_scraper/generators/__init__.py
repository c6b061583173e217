"""A page's main content taken by its documentation generator's own markup.

Most documentation sites are built by a handful of generators, and each always puts a page's
text in the same element: finding the generator (``catalogue.py``) and taking that element is
exact where a boilerplate classifier guesses, and a fraction of its cost. A source can name its
own element with a CSS selector instead. Pages of no known generator, or where the element is
missing or empty, are left to trafilatura (``extract.py``).
"""

from __future__ import annotations

from dataclasses import dataclass

import lxml.html
from lxml import etree

from aicaller.knowledge.documentation_scraper.generators.catalogue import (
    GENERATORS,
    NEVER_TEXT,
    Generator,
)
from aicaller.knowledge.documentation_scraper.generators.markdown import elements_markdown
from aicaller.knowledge.documentation_scraper.selectors import compiled_selector

__all__ = ["GENERATORS", "Generator", "MainContent", "detect", "main_content"]

# Below this many characters of text, a selected element is taken to be a placeholder (a
# JavaScript-rendered page, a theme variant the selector does not fit), not the page's text.
MIN_CONTENT_CHARS = 20
_GENERATOR_META = etree.XPath(
    "//meta[translate(@name, 'GENERATOR', 'generator')='generator']/@content",
    smart_strings=False,
)


@dataclass(frozen=True, slots=True)
class MainContent:
    method: str  # the generator's name, or "selector" for the source's own selector
    title: str | None
    markdown: str


def detect(document: etree._Element) -> Generator | None:
    """The generator of the page: by its generator meta, else by markup only it emits."""
    found = _GENERATOR_META(document)
    names = [str(value).strip().lower() for value in found] if isinstance(found, list) else []
    for generator in GENERATORS:
        if any(name.startswith(generator.meta) for name in names):
            return generator
    return next((g for g in GENERATORS if g.marker(document)), None)


def _outermost(found: object) -> list[lxml.html.HtmlElement]:
    """Matched elements in document order, without those inside another match."""
    matched = [node for node in found if isinstance(node, lxml.html.HtmlElement)] if isinstance(
        found, list
    ) else []  # fmt: skip
    chosen = set(matched)
    return [
        node for node in matched if not any(parent in chosen for parent in node.iterancestors())
    ]


def _text_chars(elements: list[lxml.html.HtmlElement]) -> int:
    return sum(len("".join(element.text_content().split())) for element in elements)


def _nodes(query: etree.XPath | None, element: etree._Element) -> list[lxml.html.HtmlElement]:
    found = query(element) if query is not None else []
    return [node for node in found if isinstance(node, lxml.html.HtmlElement)] if isinstance(
        found, list
    ) else []  # fmt: skip


def _take(
    document: etree._Element, path: etree.XPath, method: str, generator: Generator | None = None
) -> MainContent | None:
    elements = _outermost(path(document))
    if _text_chars(elements) < MIN_CONTENT_CHARS:
        return None
    drop = generator.drop if generator is not None else None
    unwrap = generator.unwrap if generator is not None else None
    for element in elements:
        for node in [*element.iter(*NEVER_TEXT), *_nodes(drop, element)]:
            if node.getparent() is not None:
                node.drop_tree()  # its tail (the text after it) stays
        for node in reversed(_nodes(unwrap, element)):
            if node.getparent() is not None:
                node.drop_tag()  # its content stays in its place
    return MainContent(method, _title(elements), elements_markdown(elements))


def _title(elements: list[lxml.html.HtmlElement]) -> str | None:
    for element in elements:
        heading = element if element.tag == "h1" else element.find(".//h1")
        if heading is not None:
            text = " ".join(heading.text_content().replace("\u00b6", "").split())
            if text:
                return text[:500]
    return None


def main_content(document: etree._Element, selector: str | None = None) -> MainContent | None:
    """The page's main content by the source's selector, else by its generator; None when
    neither finds sensible content (the page is then trafilatura's)."""
    if selector:
        taken = _take(document, compiled_selector(selector), "selector")
        if taken is not None:
            return taken
    generator = detect(document)
    if generator is None:
        return None
    for candidate in generator.content:
        taken = _take(document, candidate, generator.name, generator)
        if taken is not None:
            return taken
    return None
