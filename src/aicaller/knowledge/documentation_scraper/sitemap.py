"""Sitemaps (urlset and sitemap index, plain or gzip) parsed with defusedxml."""

from __future__ import annotations

import gzip
import io
import zlib
from dataclasses import dataclass, field
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

MAX_SITEMAP_BYTES = 10 * 1024 * 1024  # the sitemaps.org limit, uncompressed


@dataclass
class SitemapContent:
    pages: list[str] = field(default_factory=list)
    sitemaps: list[str] = field(default_factory=list)  # nested, from a sitemap index


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def parse_sitemap(data: bytes) -> SitemapContent:
    """Page and nested sitemap URLs; an unreadable or hostile document yields nothing."""
    if data[:2] == b"\x1f\x8b":
        try:
            # Read at most one byte past the limit: a gzip bomb stops there.
            data = gzip.GzipFile(fileobj=io.BytesIO(data)).read(MAX_SITEMAP_BYTES + 1)
        except (OSError, EOFError, zlib.error):
            return SitemapContent()
    if len(data) > MAX_SITEMAP_BYTES:
        return SitemapContent()
    try:
        root = fromstring(data)
    except (ParseError, DefusedXmlException, ValueError):
        return SitemapContent()
    content = SitemapContent()
    target = content.sitemaps if _local(root.tag) == "sitemapindex" else content.pages
    for entry in root:
        for child in entry:
            if _local(child.tag) == "loc" and child.text and child.text.strip():
                target.append(child.text.strip())
    return content
