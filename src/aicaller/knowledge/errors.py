"""Why a documentation page could not be used; recorded per URL and shown by the sync API."""

from __future__ import annotations

from aicaller.core.errors import DocumentationScrapingError


class RobotsDisallowed(DocumentationScrapingError):
    code = "robots_disallowed"


class FetchFailed(DocumentationScrapingError):
    code = "fetch_failed"


class PageTooLarge(DocumentationScrapingError):
    code = "page_too_large"


class UnsupportedContent(DocumentationScrapingError):
    code = "unsupported_content"


class BlockedUrl(DocumentationScrapingError):
    code = "blocked_url"
