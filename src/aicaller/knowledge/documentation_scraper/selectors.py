"""A source's own CSS selector for its pages' main content: checked when it is set, compiled
to XPath (by cssselect, lxml's companion) once per process."""

from __future__ import annotations

from functools import lru_cache

import lxml.html
from cssselect import SelectorError
from lxml import etree
from lxml.cssselect import CSSSelector

MAX_SELECTOR_LENGTH = 500
# Some valid CSS compiles to XPath that only fails when run (a namespace prefix lxml does not
# know): run once here, so a stored selector can never fail on a page.
_PROBE = lxml.html.document_fromstring("<html><body><main><p>probe</p></main></body></html>")


def check_selector(selector: str) -> str:
    """The selector if it is valid CSS that cssselect and lxml can evaluate, else
    ``ValueError``."""
    try:
        compiled_selector(selector)(_PROBE)
    except (SelectorError, etree.XPathError) as exc:
        raise ValueError(f"{selector!r} is not a CSS selector we can use: {exc}") from exc
    return selector


@lru_cache(maxsize=256)
def compiled_selector(selector: str) -> etree.XPath:
    return CSSSelector(selector, translator="html")
