"""HTML to markdown for the knowledge base: trafilatura for the main content, headings kept.

Trafilatura drops navigation, footers and boilerplate. On pages where that leaves too little
(a page that is mostly a table or a list of links, say), the whole visible text is used instead,
so a page never silently becomes empty.
"""

from __future__ import annotations

from dataclasses import dataclass

import trafilatura

# Below this share of the page's visible text, the extraction is taken to have missed content.
MIN_EXTRACTED_SHARE = 0.2
MIN_FALLBACK_CHARS = 200


@dataclass(frozen=True, slots=True)
class ExtractedPage:
    title: str | None
    markdown: str


def extract_html(html: str, *, url: str | None = None) -> ExtractedPage:
    """The page's main content as markdown and its title (CPU-bound: call off the loop)."""
    extracted = trafilatura.extract(
        html,
        url=url,
        output_format="markdown",
        include_tables=True,
        include_formatting=True,
        include_links=False,
        favor_recall=True,
    )
    full_text = trafilatura.html2txt(html) or ""
    markdown = (extracted or "").strip()
    too_little = len(markdown) < MIN_EXTRACTED_SHARE * len(full_text)
    if not markdown or (too_little and len(full_text) >= MIN_FALLBACK_CHARS):
        markdown = full_text.strip()
    metadata = trafilatura.extract_metadata(html)
    title = metadata.title.strip() if metadata is not None and metadata.title else None
    return ExtractedPage(title, markdown)
