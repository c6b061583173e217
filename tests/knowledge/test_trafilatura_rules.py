"""The Python evaluation of trafilatura's XPath rules selects exactly what its XPath does, and
is only put in place of the expressions it was written from."""

from __future__ import annotations

import itertools
import random
from types import SimpleNamespace

import pytest
import trafilatura
from lxml import etree
from trafilatura import xpaths

import aicaller.knowledge.documentation_scraper.extract  # noqa: F401 - installs the rules
from aicaller.knowledge.documentation_scraper import trafilatura_rules
from aicaller.knowledge.documentation_scraper.trafilatura_rules.base import Rule

# Values hitting each clause of the rules (and near misses), attribute by attribute.
VALUES: dict[str, tuple[str, ...]] = {
    "id": (
        "sidebar", "reply-7", "is-hidden", "akismet-x", "ad-top", "cookies", "nav", "caption-1",
        "comment-list", "comments", "disqus_thread", "social-bar", "mvp-post-add-box",
        "articleContent", "article-body", "article", "story", "primary-x", "content",
        "Main-Content", "main", "x", "",
    ),
    "class": (
        "comments-title", "reply-box", "cookie-note", "menu", "a hidden", "hide-print", "widget",
        "sig-return-icon", "sig-name descname", "Share", "wp-caption", "comment-page",
        "comments-area", "Comments", "article-comments", "infinite-scroll",
        "elementor-share-buttons", "post", "entry", "post-content", "FullText", "story-content",
        "text", "content", "content-main", "Main-Content", "Page-Content", "main-wrap", "",
    ),
    "style": ("display:none", "display: none", "visibility:hidden", "color: red", ""),
    "role": ("Navigation", "article", "main", ""),
    "aria-hidden": ("true", "false"),
    "data-component": ("MostPopularStories", "Other"),
    "data-lp-replacement-content": ("", "x"),
    "itemprop": ("articleBody", "name"),
    "href": ("#hidden",),
}  # fmt: skip
TAGS = (
    "div", "item", "list", "p", "section", "span", "ref", "article", "main", "aside", "h1",
)  # fmt: skip


def _attributes(chooser: random.Random) -> list[tuple[str, str]]:
    chosen = [
        (name, chooser.choice(pool)) for name, pool in VALUES.items() if chooser.random() < 0.3
    ]
    chooser.shuffle(chosen)  # the rules that read @id|@class take the first in source order
    return chosen


def _flat_page() -> etree._Element:
    """Every tag with every single attribute value, and every ordered pair of the attributes
    some rules take the first of (``@id|@class``, ``@id|@style``)."""
    root = etree.Element("body")
    inner = etree.SubElement(root, "section")
    inner.append(etree.Comment("a comment is not an element"))
    singles = [[(name, value)] for name, values in VALUES.items() for value in values]
    pairs = [
        [(one, a), (other, b)]
        for one, other in itertools.permutations(("id", "class", "style"), 2)
        for a in VALUES[one]
        for b in VALUES[other]
    ]
    for number, attributes in enumerate([[], *singles, *pairs]):
        parent = root if number % 3 else inner  # some a level down
        for tag in TAGS:
            element = etree.SubElement(parent, tag)
            for name, value in attributes:
                element.set(name, value)
    return root


def _random_page(chooser: random.Random, depth: int = 0) -> etree._Element:
    """Nested frames, siblings and ``<main>``s in every order (the rules taking the first match,
    or one per parent)."""
    element = etree.Element(chooser.choice(TAGS))
    for name, value in _attributes(chooser):
        element.set(name, value)
    for _ in range(chooser.randint(0, 4) if depth < 4 else 0):
        element.append(_random_page(chooser, depth + 1))
    return element


def _pages() -> list[etree._Element]:
    chooser = random.Random(7)  # noqa: S311 - reproducible test data, not secrets
    return [_flat_page(), *(_random_page(chooser) for _ in range(400))]


def _original(expression: etree.XPath) -> etree.XPath:
    return etree.XPath(expression.path, namespaces={"re": xpaths.REGEXP_NS})


def test_the_rules_are_in_place_on_the_tested_trafilatura() -> None:
    # Fails on a trafilatura upgrade: check the new expressions, then update the rules.
    assert trafilatura.__version__ == trafilatura_rules.TESTED_VERSION
    assert trafilatura_rules.install() == len(trafilatura_rules.RULES)
    for rule in trafilatura_rules.RULES:
        name, index, _ = rule.replaces
        assert isinstance(getattr(xpaths, name)[index], rule)


@pytest.mark.parametrize("rule", trafilatura_rules.RULES, ids=lambda rule: rule.__name__)
def test_each_selects_what_trafilaturas_xpath_selects(rule: type[Rule]) -> None:
    name, index, _ = rule.replaces
    fast = getattr(xpaths, name)[index]
    original = _original(fast)
    selected = 0
    for page in _pages():
        for context in (page, *list(page)[:1]):  # .//* from the root and from an element
            expected = original(context)
            assert isinstance(expected, list)
            assert fast(context) == expected
            selected += len(expected)
    assert selected > 10  # the pages exercise the rule


def test_changed_trafilatura_expressions_are_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    def fresh() -> SimpleNamespace:
        names = {rule.replaces[0] for rule in trafilatura_rules.RULES}
        lists = {name: [_original(e) for e in getattr(xpaths, name)] for name in names}
        return SimpleNamespace(**lists)

    module = fresh()
    monkeypatch.setattr(trafilatura, "__version__", "9.9.9")
    assert trafilatura_rules.install(module) == 0
    monkeypatch.undo()
    edited = module.COMMENTS_XPATH[3].path.replace("social", "sociable")
    module.COMMENTS_XPATH[3] = etree.XPath(edited)
    assert trafilatura_rules.install(module) == len(trafilatura_rules.RULES) - 1
    assert not isinstance(module.COMMENTS_XPATH[3], Rule)
    assert isinstance(module.COMMENTS_XPATH[2], Rule)
    assert not isinstance(module.BODY_XPATH[1], Rule)  # (.//article)[1] is cheap as it is
