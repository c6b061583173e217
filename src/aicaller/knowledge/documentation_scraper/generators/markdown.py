"""The main content's elements as the markdown the chunker reads, by html-to-markdown.

ATX headings (``#``, which chunking.py splits sections at), fenced code blocks and pipe tables
(which it keeps whole); link targets and images left out, as trafilatura's output had them: a
URL's words would only add noise to lexical search. Nothing is escaped (a ``*`` or ``_`` in an
identifier stays searchable as written), and html-to-markdown's own clean-up is off: the
generator's selectors have already chosen what is text.
"""

from __future__ import annotations

import lxml.html
from html_to_markdown import ConversionOptions, PreprocessingOptions, convert
from lxml import etree

_OPTIONS = ConversionOptions(
    heading_style="atx",
    code_block_style="backticks",
    bullets="-",
    autolinks=False,
    skip_images=True,
    extract_metadata=False,
    expand_abbreviations=False,
    include_blockquote_citations=False,
    escape_asterisks=False,
    escape_underscores=False,
    escape_misc=False,
    escape_ascii=False,
    compact_tables=True,
    preprocessing=PreprocessingOptions(enabled=False),
)


def elements_markdown(elements: list[etree._Element]) -> str:
    """The elements' markdown, one after another (their links reduced to their text)."""
    parts = []
    for element in elements:
        etree.strip_tags(element, "a")
        parts.append(lxml.html.tostring(element, encoding="unicode"))
    return (convert("".join(parts), _OPTIONS).content or "").strip()
