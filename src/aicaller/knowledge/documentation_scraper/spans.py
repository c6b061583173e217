"""Unwrap the ``<span>``s trafilatura would only strip, before it walks them with every rule.

Sphinx wraps each part of an API signature in nested spans (``sig-name``, ``sig-param``'s
``n``/``o``/``default_value``, ``pre`` inside them): a fifth of the elements of a Python docs
page. Trafilatura strips all spans itself (``prune_unwanted_sections``), but only after its
boilerplate XPath passes, which cost per element (their ``re:test`` calls are Python callbacks,
several per element), and after copying the tree three times. Unwrapping them first keeps its
decisions and output, provided nothing that runs before its own strip can tell the difference:

- no rule selects the span: its only attribute is a ``class`` that none of trafilatura's XPath
  expressions (every one in ``trafilatura.xpaths`` and ``BASIC_CLEAN_XPATH``) selects on a
  span, and that readability's unlikely-candidate pattern does not drop;
- it is not empty (trafilatura deletes empty spans, and an empty parent left behind with them);
- it sits in a text container, not a ``<div>`` or other block whose children are counted or
  whose direct text readability reads, not inside a ``<pre>`` (whose children decide code
  versus quote), and follows no block sibling (link density reads blocks' ``getnext()``);
- it holds only inline markup and no direct ``<a>`` (whose parent tag link density reads).

``benchmarks/extraction.py --compare`` shows the output byte-identical over the Python docs.
"""

from __future__ import annotations

from functools import lru_cache

import lxml.html
from lxml import etree
from trafilatura import settings as trafilatura_settings
from trafilatura import xpaths as trafilatura_xpaths
from trafilatura.readability_lxml import REGEXES as READABILITY_PATTERNS

_UNWRAP = "aicaller-unwrap"  # a tag no page uses, for the spans to strip
_INLINE = frozenset(
    {"span", "a", "code", "em", "strong", "b", "i", "kbd", "samp", "var", "tt", "u", "sub", "sup"}
)
# Parents whose children no rule counts and whose direct text no rule reads.
_TEXT_PARENTS = _INLINE | {"p", "dt", "dd", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th"}


def _rules() -> list[etree.XPath]:
    found: list[etree.XPath] = [trafilatura_settings.BASIC_CLEAN_XPATH]
    for value in vars(trafilatura_xpaths).values():
        candidates = value if isinstance(value, list) else [value]
        found.extend(item for item in candidates if isinstance(item, etree.XPath))
    return found


_RULES = _rules()
_PROBE = "<html><body><div><p><span>x</span></p></div></body></html>"


@lru_cache(maxsize=4096)
def _selectable(css_class: str) -> bool:
    """Whether any trafilatura rule (or readability) could act on a span with this class:
    asked of the rules themselves, on a one-span page, once per class."""
    low = css_class.lower()
    if READABILITY_PATTERNS["unlikelyCandidatesRe"].search(low) and not READABILITY_PATTERNS[
        "okMaybeItsACandidateRe"
    ].search(low):
        return True
    page = lxml.html.document_fromstring(_PROBE)
    span = next(page.iter("span"))
    span.set("class", css_class)
    for rule in _RULES:
        selected = rule(page)
        if isinstance(selected, list) and any(node is span for node in selected):
            return True
    return False


def _unwrappable(span: etree._Element) -> bool:
    names = span.keys()
    if names and names != ["class"]:
        return False
    children = len(span)
    if not children and span.text is None:
        return False
    parent = span.getparent()
    if parent is None or parent.tag not in _TEXT_PARENTS:
        return False
    previous = span.getprevious()
    if previous is not None and previous.tag not in _INLINE:
        return False
    if children and (
        any(child.tag == "a" for child in span)
        or any(descendant.tag not in _INLINE for descendant in span.iterdescendants())
    ):
        return False
    return not names or not _selectable(str(span.get("class")))


def unwrap_plain_spans(document: lxml.html.HtmlElement) -> None:
    """Strip the spans no trafilatura rule can tell from their text (see the module)."""
    in_code = {span for block in document.iter("pre") for span in block.iter("span")}
    chosen = [span for span in document.iter("span") if span not in in_code and _unwrappable(span)]
    for span in chosen:
        span.tag = _UNWRAP
    etree.strip_tags(document, _UNWRAP)
