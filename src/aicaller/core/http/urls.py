"""URL helpers shared by the SSRF guard, the retry helper and the client."""

from __future__ import annotations

import httpx


def display_url(url: httpx.URL | str) -> str:
    """``url`` safe for logs and error messages: no credentials, query string or fragment."""
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL:
        return "<invalid url>"
    path = parsed.raw_path.split(b"?", 1)[0].decode("ascii", "replace")
    netloc = parsed.netloc.decode("ascii", "replace")
    if not parsed.scheme:
        return path
    return f"{parsed.scheme}://{netloc}{path}"


def origin(url: httpx.URL) -> tuple[str, str, int | None]:
    """Scheme, host and effective port: credentials never cross a change of origin."""
    port = url.port or {"http": 80, "https": 443}.get(url.scheme)
    return url.scheme, url.host, port
