"""HTML to markdown for the knowledge base: trafilatura for the main content, headings kept.

The page is parsed once with lxml: links, canonical URL and title come from that tree (much
cheaper than trafilatura's metadata pass), then trafilatura extracts the main content from it.
Trafilatura drops navigation, footers and boilerplate; on pages where that leaves too little (a
page that is mostly a table or a list of links, say) the whole visible text is used instead, so a
page never silently becomes empty.

Trafilatura's output stays what it was while it costs a third less CPU: spans it would only
strip are unwrapped first (spans.py), and its attribute-matching XPath rules run as Python
(trafilatura_rules/, guarded to the version and expressions they were written from).

Trafilatura keeps module-level lxml parsers, which are not safe to use from several threads at
once (we saw a crash in a parallel crawl), so extraction holds a lock; the GIL would serialise
the work anyway.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import lxml.html
import trafilatura
from lxml import etree
from lxml.etree import ParserError

from aicaller.knowledge.documentation_scraper import trafilatura_rules
from aicaller.knowledge.documentation_scraper.links import page_links
from aicaller.knowledge.documentation_scraper.spans import unwrap_plain_spans

# Below this share of the page's visible text, the extraction is taken to have missed content.
MIN_EXTRACTED_SHARE = 0.2
MIN_FALLBACK_CHARS = 200
_TRAFILATURA = threading.Lock()


def _html_parser() -> lxml.html.HTMLParser:
    """lxml.html's parser with a C-level element class lookup: its own lookup is Python code
    run for every element object lxml hands out (~6% of extraction's CPU, in trafilatura's
    tree walks), only to give forms and inputs their special classes, which extraction never
    uses."""
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
trafilatura_rules.install()
_KEEP = "aicaller-keep"  # a tag no page uses, for the spans that stay
_MIN_CODE_CHILDREN = 3  # a first and a last child stay: fewer leave nothing to unwrap
_HIGHLIGHT_JS = etree.XPath("boolean(.//span[starts-with(@class, 'hljs')])")
_INLINE_CODE = etree.XPath("//code[span][not(ancestor::pre)]")


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


def _filled(element: etree._Element) -> bool:
    """Not one of the empty elements trafilatura deletes before it looks at code blocks."""
    return element.text is not None or len(element) > 0


def _plain_code(document: lxml.html.HtmlElement) -> None:
    """Unwrap the ``<span>``s of code: syntax highlighters wrap every token of a ``<pre>`` in
    one, Sphinx every word of an inline ``<code>``. Trafilatura strips spans itself, but only
    after running its boilerplate XPath over every one of them, a fifth of its work on
    code-heavy docs. (The spans of API signatures are spans.py's: trafilatura's boilerplate
    rules drop some of those, such as Sphinx's return arrow, so those are kept.)

    Trafilatura tells a code block from a quote by the ``<pre>``'s own text and number of
    children once empty elements are gone, so a block's first and last filled child stay and
    the verdict (and the output) is that of the highlighted block; highlight.js blocks (a
    verdict of their own) are left alone. ``benchmarks/extraction.py --compare`` shows the
    extracted text byte-identical over the Python docs."""
    matches = _INLINE_CODE(document)
    for element in matches if isinstance(matches, list) else []:
        if isinstance(element, etree._Element):
            etree.strip_tags(element, "span")
    for block in document.iter("pre"):
        if len(block) < _MIN_CODE_CHILDREN or _HIGHLIGHT_JS(block):
            continue
        first = next((child for child in block if _filled(child)), None)
        last = next((child for child in reversed(block) if _filled(child)), None)
        kept = [child for child in {first, last} if child is not None and child.tag == "span"]
        for child in kept:
            child.tag = _KEEP
        etree.strip_tags(block, "span")
        for child in kept:
            child.tag = "span"


def extract_html(html: str | bytes, *, url: str | None = None) -> ExtractedPage:
    """The page's main content as markdown, its title, links and canonical URL (CPU-bound:
    call it off the event loop)."""
    try:
        document = lxml.html.document_fromstring(html, parser=_PARSER)
    except (ParserError, ValueError):
        return ExtractedPage(None, "")
    links = page_links(document, url) if url else None
    title = _title(document)
    full_text = _visible_text(document)  # before trafilatura, which may prune the tree
    _plain_code(document)
    with _TRAFILATURA:
        unwrap_plain_spans(document)  # in the lock: it asks trafilatura's rules about classes
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
