"""A source's own CSS selector for its pages' main content: checked when it is set, compiled
to XPath (by cssselect, lxml's companion) once per process."""

from __future__ import annotations

from functools import lru_cache

from cssselect import SelectorError
from lxml import etree
from lxml.cssselect import CSSSelector

MAX_SELECTOR_LENGTH = 500


def check_selector(selector: str) -> str:
    """The selector if it is valid CSS that cssselect can evaluate, else ``ValueError``."""
    try:
        compiled_selector(selector)
    except SelectorError as exc:
        raise ValueError(f"{selector!r} is not a CSS selector we can use: {exc}") from exc
    return selector


@lru_cache(maxsize=256)
def compiled_selector(selector: str) -> etree.XPath:
    return CSSSelector(selector, translator="html")
