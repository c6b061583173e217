"""Trafilatura's two boilerplate XPath rules, evaluated in Python: same matches, a sixth the CPU.

``OVERALL_DISCARD_XPATH`` runs over every element of a page's main content (twice on some
pages) and was the largest single cost of extraction: 6.9 ms of a Python docs page's 41 (once
spans.py has unwrapped the signature spans). Its ``re:test`` calls are lxml EXSLT functions, a
Python callback per call, three per element whether or not it has the attribute. The same
tests in Python, each verdict cached by the attributes it reads (a site repeats a small class
vocabulary), cost a dictionary lookup for most elements: 1.1 ms.

This is a patch of trafilatura's internals, so it is guarded: it replaces the two expressions
(in place, in the list trafilatura's modules share) only on trafilatura 2.3.1 and only while
each expression's text is exactly the one this code was written from (a SHA-256 of it). On any
other version or text it logs once and leaves trafilatura as it is: slower, never different.
The regular expressions are read from the expression text itself. ``tests/knowledge/
test_discard_rules.py`` compares both evaluations on every combination of the attributes the
rules read, and ``benchmarks/extraction.py --compare`` the whole output over the Python docs.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from typing import Any, cast

import trafilatura
from lxml import etree
from trafilatura import xpaths

from aicaller.core.logging import get_logger

logger = get_logger("aicaller.knowledge.discard_rules")

TESTED_VERSION = "2.3.1"
_DIGESTS = (
    "a837e58a1b1ea116ce1dada53d856dec093fe9f64b37dc503698e30f96a87dd3",
    "c1d5b70b8cd03783545d6b715c69062ae6967c222b2d8f4e2399762362d426c0",
)
_REGEX_TEST = re.compile(r"re:test\((@[a-z|@-]+), '([^']*)'\)")
_CONTENT_TAGS = ("div", "item", "list", "p", "section", "span")
_MAX_VERDICTS = 8192


Attributes = tuple[tuple[str, str], ...]


def _first(attributes: Attributes, names: tuple[str, ...]) -> str:
    """XPath's string value of ``@a|@b``: the first of them in document, i.e. source, order."""
    return next((value for name, value in attributes if name in names), "")


class _Rule(etree.XPath):
    """Compiled from trafilatura's expression, so ``path`` and keyword calls stay its own.

    A verdict depends only on the attributes the rule reads, and pages repeat the same few
    (a site's class vocabulary), so verdicts are cached by them: most elements cost a lookup.
    """

    reads: frozenset[str] = frozenset()

    def __init__(self, original: etree.XPath) -> None:
        super().__init__(original.path, namespaces={"re": xpaths.REGEXP_NS})
        self.tests = [re.compile(pattern) for _, pattern in _REGEX_TEST.findall(original.path)]
        self.verdicts: dict[Attributes, bool] = {}

    def candidates(self, tree: etree._Element) -> Iterator[etree._Element]:
        raise NotImplementedError

    def verdict(self, attributes: Attributes) -> bool:
        raise NotImplementedError

    def __call__(
        self, _etree_or_element: etree._Element | etree._ElementTree, **_variables: Any
    ) -> Any:
        if _variables or not isinstance(_etree_or_element, etree._Element):
            return super().__call__(_etree_or_element, **_variables)
        reads, verdicts, found = self.reads, self.verdicts, []
        for element in self.candidates(_etree_or_element):
            key = cast(Attributes, tuple([pair for pair in element.items() if pair[0] in reads]))
            verdict = verdicts.get(key)
            if verdict is None:
                if len(verdicts) >= _MAX_VERDICTS:
                    verdicts.clear()  # unique ids on some site: start over, stay bounded
                verdict = verdicts[key] = self.verdict(key)
            if verdict:
                found.append(element)
        return found


class _SectionRule(_Rule):
    """``.//*[self::div or ... or self::span][@data-lp-replacement-content or
    contains(translate(@role, 'N', 'n'), 'nav') or contains(@data-component, ...) or
    re:test(@id|@class, ...) or re:test(@id, ...) or re:test(@class, ...)]``"""

    reads = frozenset({"data-lp-replacement-content", "role", "data-component", "id", "class"})

    def candidates(self, tree: etree._Element) -> Iterator[etree._Element]:
        return tree.iterdescendants(*_CONTENT_TAGS)

    def verdict(self, attributes: Attributes) -> bool:
        either, by_id, by_class = self.tests
        values = dict(attributes)
        role = values.get("role")
        return (
            "data-lp-replacement-content" in values
            or (role is not None and "nav" in role.replace("N", "n"))
            or "MostPopularStories" in values.get("data-component", "")
            or either.search(_first(attributes, ("id", "class"))) is not None
            or by_id.search(values.get("id", "")) is not None
            or by_class.search(values.get("class", "")) is not None
        )


class _HiddenRule(_Rule):
    """``.//*[@class='comments-title' or starts-with(@id|@class, 'reply-') or
    re:test(@id|@style, 'hidden') or contains(@style, 'display:none') or
    contains(@style, 'display: none') or re:test(@id, ...) or re:test(@class, ...) or
    @aria-hidden='true']``"""

    reads = frozenset({"id", "class", "style", "aria-hidden"})

    def candidates(self, tree: etree._Element) -> Iterator[etree._Element]:
        return tree.iterdescendants(etree.Element)

    def verdict(self, attributes: Attributes) -> bool:
        by_id_or_style, by_id, by_class = self.tests
        values = dict(attributes)
        style = values.get("style", "")
        return (
            values.get("class") == "comments-title"
            or _first(attributes, ("id", "class")).startswith("reply-")
            or by_id_or_style.search(_first(attributes, ("id", "style"))) is not None
            or "display:none" in style
            or "display: none" in style
            or by_id.search(values.get("id", "")) is not None
            or by_class.search(values.get("class", "")) is not None
            or values.get("aria-hidden") == "true"
        )


def _digest(rule: etree.XPath) -> str:
    return hashlib.sha256(rule.path.encode()).hexdigest()


def install(rules: list[etree.XPath] | None = None) -> bool:
    """Swap trafilatura's two rules (``rules``: for tests) for the Python ones, if they are the
    ones this code was written from; whether they are the Python ones now."""
    rules = xpaths.OVERALL_DISCARD_XPATH if rules is None else rules
    if all(isinstance(rule, _Rule) for rule in rules):
        return True
    digests = tuple(_digest(rule) for rule in rules)
    if trafilatura.__version__ != TESTED_VERSION or digests != _DIGESTS:
        logger.warning(
            "trafilatura_rules_kept",
            version=trafilatura.__version__,
            tested_version=TESTED_VERSION,
            reason="its boilerplate rules are not the ones discard_rules.py evaluates",
        )
        return False
    # In place: main_extractor and external imported this very list.
    rules[:] = [_SectionRule(rules[0]), _HiddenRule(rules[1])]
    return True
