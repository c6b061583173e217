"""HTML to markdown for the knowledge base: the page's main content, headings kept.

The page is parsed once with lxml: links, canonical URL and title come from that tree. The main
content is the element the page's documentation generator (or the source's own CSS selector)
puts it in (``generators/``); every other page goes to trafilatura, which drops navigation,
footers and boilerplate by its heuristics. Where that leaves too little (a page that is mostly
a table or a list of links, say) the whole visible text is used instead, so a page never
silently becomes empty.

Trafilatura keeps module-level lxml parsers, which are not safe to use from several threads at
once (we saw a crash in a parallel crawl), so its extraction holds a lock; the GIL would
serialise the work anyway.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import lxml.html
from lxml import etree
from lxml.etree import ParserError

from aicaller.knowledge.documentation_scraper.generators import main_content
from aicaller.knowledge.documentation_scraper.links import page_links

# Below this share of the page's visible text, the extraction is taken to have missed content.
MIN_EXTRACTED_SHARE = 0.2
MIN_FALLBACK_CHARS = 200
_TRAFILATURA = threading.Lock()


def _html_parser() -> lxml.html.HTMLParser:
    """lxml.html's parser with a C-level element class lookup: its own lookup is Python code
    run for every element object lxml hands out (many, in trafilatura's tree walks), only to
    give forms and inputs their special classes, which extraction never uses."""
    parser = lxml.html.HTMLParser()
    parser.set_element_class_lookup(
        etree.ElementDefaultClassLookup(
            element=lxml.html.HtmlElement,
            comment=lxml.html.HtmlComment,
            pi=lxml.html.HtmlProcessingInstruction,
            entity=lxml.html.HtmlEntity,
        )
    )
    return parser


_PARSER = _html_parser()


@dataclass(frozen=True, slots=True)
class ExtractedPage:
    title: str | None
    markdown: str
    links: tuple[str, ...] = ()
    canonical: str | None = None
    method: str = "trafilatura"  # a generator's name, "selector", "trafilatura" or "text"


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


def extract_html(
    html: str | bytes, *, url: str | None = None, content_selector: str | None = None
) -> ExtractedPage:
    """The page's main content as markdown, its title, links and canonical URL (CPU-bound:
    call it off the event loop). ``content_selector``: the source's CSS selector for the main
    content, tried before the generator's."""
    try:
        document = lxml.html.document_fromstring(html, parser=_PARSER)
    except (ParserError, ValueError):
        return ExtractedPage(None, "")
    links = page_links(document, url) if url else None
    found = (links.links, links.canonical) if links is not None else ([], None)
    main = main_content(document, content_selector)
    if main is not None and main.markdown:
        title = main.title or _title(document)
        return ExtractedPage(title, main.markdown, tuple(found[0]), found[1], main.method)
    title = _title(document)
    markdown, method = _trafilatura(document, url)
    return ExtractedPage(title, markdown, tuple(found[0]), found[1], method)


def _trafilatura(document: lxml.html.HtmlElement, url: str | None) -> tuple[str, str]:
    # Imported on the first page that needs it: a sync's extraction processes start from a
    # process that imports this module, and a site of one generator never needs trafilatura.
    import trafilatura  # noqa: PLC0415

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
        return full_text, "text"
    return markdown, "trafilatura"
