"""URL normalisation and the crawl scope of a documentation source.

Normalised form: lowercase scheme and host, default port dropped, fragment dropped, query
parameters sorted, ``index.html``/``index.htm`` dropped and the trailing slash removed (except
for the root), so every spelling of a page maps to one row and one document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

_INDEX_FILES = ("index.html", "index.htm")
_DEFAULT_PORTS = {"http": 80, "https": 443}


def normalise_url(url: str, base: str | None = None) -> str | None:
    """The normalised absolute URL, or None for non-HTTP links (mailto:, javascript:, ...)."""
    try:
        absolute = urljoin(base, url.strip()) if base else url.strip()
        parts = urlsplit(absolute)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        return None
    host = parts.hostname.lower()
    netloc = host if port in (None, _DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    path = parts.path or "/"
    for index in _INDEX_FILES:
        if path.endswith("/" + index):
            path = path[: -len(index)]
    if len(path) > 1:
        path = path.rstrip("/") or "/"
    query = urlencode(sorted(parse_qsl(parts.query, keep_blank_values=True)))
    return urlunsplit((scheme, netloc, path, query, ""))


def site_of(url: str) -> str:
    """Scheme and host (with port): pages are crawled on the start URL's site only."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def compile_patterns(patterns: list[str]) -> list[re.Pattern[str]]:
    """Raises ``re.error`` for an invalid pattern (the API turns it into a 422)."""
    return [re.compile(pattern) for pattern in patterns]


@dataclass(frozen=True)
class CrawlScope:
    """Which URLs a source's crawl may visit: same site, include/exclude regular expressions
    searched in the whole normalised URL (no include patterns means everything)."""

    site: str
    include: tuple[re.Pattern[str], ...]
    exclude: tuple[re.Pattern[str], ...]

    @classmethod
    def for_source(cls, start_url: str, include: list[str], exclude: list[str]) -> CrawlScope:
        return cls(
            site_of(start_url), tuple(compile_patterns(include)), tuple(compile_patterns(exclude))
        )

    def allows(self, url: str) -> bool:
        if site_of(url) != self.site:
            return False
        if self.include and not any(pattern.search(url) for pattern in self.include):
            return False
        return not any(pattern.search(url) for pattern in self.exclude)
