"""The evaluation shared by the rules: candidates by tag, verdicts cached by attributes."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, ClassVar, cast

from lxml import etree
from trafilatura import xpaths

_REGEX_TEST = re.compile(r"re:test\((@[a-z|@-]+), '([^']*)'(?:, '([^']*)')?\)")
_MAX_VERDICTS = 8192
CONTENT = ("div", "item", "list", "p", "section", "span")
FRAMES = ("article", "div", "main", "section")

Attributes = tuple[tuple[str, str], ...]


def first(attributes: Attributes, names: tuple[str, ...]) -> str:
    """XPath's string value of ``@a|@b``: the first of them in document, i.e. source, order."""
    return next((value for name, value in attributes if name in names), "")


def search(pattern: re.Pattern[str], value: str | None) -> bool:
    """``re:test(@a, ...)``: an absent attribute is the empty string."""
    return pattern.search(value or "") is not None


class Rule(etree.XPath):
    """One expression. Compiled from trafilatura's text too, so ``path`` and calls with
    XPath variables or on an ElementTree stay its own."""

    replaces: ClassVar[tuple[str, int, str]]  # list in trafilatura.xpaths, index, SHA-256
    tags: ClassVar[tuple[str, ...] | None] = None  # the tests on self::, None: any element
    reads: ClassVar[frozenset[str]] = frozenset({"id", "class"})

    def __init__(self, original: etree.XPath) -> None:
        super().__init__(original.path, namespaces={"re": xpaths.REGEXP_NS})
        # re:test(s, pattern, flags) is Python's re.search (lxml's EXSLT), "i" ignoring case.
        self.tests = [
            re.compile(pattern, re.IGNORECASE if "i" in flags else 0)
            for _, pattern, flags in _REGEX_TEST.findall(original.path)
        ]
        self.verdicts: dict[Attributes, bool] = {}

    def verdict(self, values: dict[str, str], attributes: Attributes) -> bool:
        """The predicate on the attributes this rule reads (``attributes`` in source order)."""
        raise NotImplementedError

    def accepts(self, element: etree._Element) -> bool:
        key = cast(Attributes, tuple([pair for pair in element.items() if pair[0] in self.reads]))
        verdict = self.verdicts.get(key)
        if verdict is None:
            if len(self.verdicts) >= _MAX_VERDICTS:
                self.verdicts.clear()  # unique ids on some site: start over, stay bounded
            verdict = self.verdicts[key] = self.verdict(dict(key), key)
        return verdict

    def matching(self, tree: etree._Element) -> Iterator[etree._Element]:
        """``.//*[self::...][predicate]``: matching descendants in document order."""
        tags = self.tags if self.tags is not None else (etree.Element,)
        return (element for element in tree.iterdescendants(*tags) if self.accepts(element))

    def select(self, tree: etree._Element) -> list[etree._Element]:
        return list(self.matching(tree))

    def __call__(
        self, _etree_or_element: etree._Element | etree._ElementTree, **_variables: Any
    ) -> Any:
        if _variables or not isinstance(_etree_or_element, etree._Element):
            return super().__call__(_etree_or_element, **_variables)
        return self.select(_etree_or_element)


class FirstRule(Rule):
    """``(.//*[...])[1]``: the first match only."""

    def select(self, tree: etree._Element) -> list[etree._Element]:
        found = next(self.matching(tree), None)
        return [] if found is None else [found]
