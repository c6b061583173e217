"""URL normalisation and the crawl scope of a documentation source.

Normalised form: lowercase scheme and host (an IPv6 literal compressed and kept in brackets),
default port dropped, fragment dropped, query parameters sorted, ``index.html``/``index.htm``
dropped and the trailing slash removed (except for the root), control characters and spaces in
the path percent-encoded (as browsers do), so every spelling of a page maps to one row and one
document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from ipaddress import IPv6Address
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

_INDEX_FILES = ("index.html", "index.htm")
_DEFAULT_PORTS = {"http": 80, "https": 443}
# What browsers strip from both ends of a URL: C0 control characters and space.
_EDGES = "".join(chr(code) for code in range(0x21))
_UNSAFE_IN_PATH = re.compile(r"[\x00-\x20\x7f]")
_BAD_HOST = re.compile(r"[\x00-\x20\x7f%]")


def normalise_url(url: str, base: str | None = None) -> str | None:
    """The normalised absolute URL, or None for non-HTTP links (mailto:, javascript:, ...)."""
    try:
        absolute = urljoin(base, url.strip(_EDGES)) if base else url.strip(_EDGES)
        parts = urlsplit(absolute)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    host = _host(parts.hostname, parts.netloc)
    if scheme not in _DEFAULT_PORTS or host is None:
        return None
    netloc = host if port in (None, _DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    path = _UNSAFE_IN_PATH.sub(_percent, parts.path) or "/"
    for index in _INDEX_FILES:
        if path.endswith("/" + index):
            path = path[: -len(index)]
    if len(path) > 1:
        path = path.rstrip("/") or "/"
    query = urlencode(sorted(parse_qsl(parts.query, keep_blank_values=True)))
    return urlunsplit((scheme, netloc, path, query, ""))


def _host(hostname: str | None, netloc: str) -> str | None:
    """The host as it goes in a normalised URL: lowercase, an IPv6 literal compressed and in
    brackets (``urlsplit`` drops them); None when there is none or it cannot be a host name."""
    if not hostname or _BAD_HOST.search(hostname):
        return None  # also IPv6 zone ids ("%25eth0"), which no crawl may use
    if "[" not in netloc:
        return hostname.lower()
    try:
        return f"[{IPv6Address(hostname).compressed}]"
    except ValueError:  # "[v1.x]" and other bracketed forms that are no IPv6 address
        return None


def _percent(match: re.Match[str]) -> str:
    return f"%{ord(match.group()):02X}"


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
