"""One crawled page's CPU-bound work: links, canonical URL, extraction, hashing and chunking.

It runs in a sync's extraction processes, which start from a process that imports this module
only: it needs extraction and chunking, not the database or the HTTP client, whose imports
would be a fixed cost on every sync."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from aicaller.knowledge.chunking import ChunkText, chunk_markdown
from aicaller.knowledge.documentation_scraper.extract import extract_html


def without_nul(text: str) -> str:
    """The text without NUL characters, which PostgreSQL text cannot hold (SQLite can): removed
    from every stored document, uploaded or crawled, so both engines store the same text."""
    return text.replace("\x00", "")


@dataclass(frozen=True, slots=True)
class PageText:
    """A page's text ready to store, prepared where the CPU is (a sync's extraction
    processes), so writing it costs the database's time only."""

    title: str
    markdown: str
    content_hash: str
    size_bytes: int
    chunks: list[ChunkText]


def page_text(title: str, markdown: str, *, known_hash: str | None) -> tuple[str, PageText | None]:
    """The text's hash, and the text with its chunks unless the hash is ``known_hash``."""
    title, markdown = without_nul(title), without_nul(markdown)
    encoded = markdown.encode()
    digest = hashlib.sha256(encoded).hexdigest()
    if digest == known_hash:
        return digest, None
    chunks = chunk_markdown(title, markdown)
    return digest, PageText(title, markdown, digest, len(encoded), chunks)


@dataclass(frozen=True, slots=True)
class Parsed:
    links: list[str]
    canonical: str | None
    content_hash: str
    text: PageText | None  # None when the content is unchanged


def parse_page(
    content: bytes,
    charset: str | None,
    media_type: str,
    url: str,
    base: str,
    known_hash: str | None,
    content_selector: str | None = None,
) -> Parsed:
    """Links, canonical URL, content hash and, when the content changed, title, markdown and
    chunks. The body comes as bytes only (decoded here, for plain text; lxml reads HTML's
    bytes itself): a page crosses to the extraction process once, not also as text."""
    if media_type == "text/plain":
        text = content.decode(charset or "utf-8", errors="replace")
        links, canonical, title, markdown = [], None, None, text.strip()
    else:
        page = extract_html(content, url=base, content_selector=content_selector)
        links, canonical = list(page.links), page.canonical
        title, markdown = page.title, page.markdown
    digest, body = page_text(title or url, markdown, known_hash=known_hash)
    return Parsed(links, canonical, digest, body)


_WARM_UP_PAGE = (
    b"<html><head><title>Warm-up</title></head><body><main><h1>Warm-up</h1>"
    b"<p>A page parsed once by each new extraction process.</p></main></body></html>"
)


def warm_up() -> None:
    """Run by each extraction process as the job system starts (``ProcessPool.preload``):
    importing this module and parsing one page loads everything extraction uses, so a user's
    first sync finds the processes ready."""
    url = "http://warm-up.invalid/"
    parse_page(_WARM_UP_PAGE, None, "text/html", url, url, None)
