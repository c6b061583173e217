"""The knowledge base's errors: why a documentation page could not be used (recorded per URL
and shown by the sync API), and why a sync could not start or stop."""

from __future__ import annotations

from aicaller.core.errors import AppError, ExternalServiceError


class DocumentationScrapingError(ExternalServiceError):
    """A documentation page or site could not be scraped."""

    code = "documentation_scraping_error"
    title = "Documentation Scraping Failed"


class SyncError(AppError):
    """A documentation sync could not run or continue."""

    status = 409
    code = "sync_error"
    title = "Sync Error"


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
