"""The Python evaluation of trafilatura's boilerplate rules selects exactly what its XPath does,
and is only installed over the expressions it was written from."""

from __future__ import annotations

import itertools
import random

import pytest
import trafilatura
from lxml import etree
from trafilatura import xpaths

import aicaller.knowledge.documentation_scraper.extract  # noqa: F401 - installs the rules
from aicaller.knowledge.documentation_scraper import discard_rules

# Values hitting each clause of both rules (and near misses), attribute by attribute.
VALUES: dict[str, tuple[str, ...]] = {
    "id": ("sidebar", "reply-7", "is-hidden", "akismet-x", "ad-top", "cookies", "nav", "x", ""),
    "class": (
        "comments-title", "reply-box", "cookie-note", "menu", "a hidden", "hide-print", "widget",
        "sig-return-icon", "sig-name descname", "shared", "Share", "main", "",
    ),
    "style": ("display:none", "display: none", "visibility:hidden", "color: red", ""),
    "role": ("Navigation", "navigation", "main", ""),
    "aria-hidden": ("true", "false"),
    "data-component": ("MostPopularStories", "Other"),
    "data-lp-replacement-content": ("", "x"),
    "href": ("#hidden",),
}  # fmt: skip
TAGS = ("div", "item", "list", "p", "section", "span", "ref", "code", "head")


def _originals() -> list[etree.XPath]:
    return [
        etree.XPath(rule.path, namespaces={"re": xpaths.REGEXP_NS})
        for rule in xpaths.OVERALL_DISCARD_XPATH
    ]


def _page() -> etree._Element:
    """Every tag with every single attribute value, every ordered pair of the attributes the
    rules take the first of (``@id|@class``, ``@id|@style``), and random combinations."""
    root = etree.Element("body")
    inner = etree.SubElement(root, "section")
    inner.append(etree.Comment("a comment is not an element"))
    singles = [[(name, value)] for name, values in VALUES.items() for value in values]
    pairs = [
        [(first, a), (second, b)]
        for first, second in itertools.permutations(("id", "class", "style"), 2)
        for a in VALUES[first]
        for b in VALUES[second]
    ]
    chooser = random.Random(7)  # noqa: S311 - reproducible test data, not secrets
    mixed = [
        [(name, chooser.choice(pool)) for name, pool in VALUES.items() if chooser.random() < 0.4]
        for _ in range(3000)
    ]
    for number, attributes in enumerate([[], *singles, *pairs, *mixed]):
        parent = root if number % 3 else inner  # some a level down, as on a page
        element = etree.SubElement(parent, TAGS[number % len(TAGS)])
        for name, value in attributes:
            element.set(name, value)
    return root


def test_the_rules_are_installed_on_the_tested_trafilatura() -> None:
    # Fails on a trafilatura upgrade: check the new rules, then update discard_rules.py.
    assert trafilatura.__version__ == discard_rules.TESTED_VERSION
    assert all(isinstance(rule, discard_rules._Rule) for rule in xpaths.OVERALL_DISCARD_XPATH)


def test_they_select_what_trafilaturas_xpath_selects() -> None:
    page = _page()
    for original, rule in zip(_originals(), xpaths.OVERALL_DISCARD_XPATH, strict=True):
        for context in (page, page[0]):  # .//* from the root and from an element
            expected = original(context)
            assert isinstance(expected, list)
            assert len(expected) > 1
            assert rule(context) == expected


def test_other_trafilatura_rules_are_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    rules = _originals()
    monkeypatch.setattr(trafilatura, "__version__", "9.9.9")
    assert discard_rules.install(rules) is False
    monkeypatch.undo()
    edited = rules[0].path.replace("cookie", "biscuit")
    changed = [etree.XPath(edited, namespaces={"re": xpaths.REGEXP_NS}), rules[1]]
    assert discard_rules.install(changed) is False
    assert not any(isinstance(rule, discard_rules._Rule) for rule in rules + changed)
    assert discard_rules.install(rules) is True
    assert all(isinstance(rule, discard_rules._Rule) for rule in rules)
