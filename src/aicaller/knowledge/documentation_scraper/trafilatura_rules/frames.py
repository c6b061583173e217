"""The rules that find a page's main content frame (``BODY_XPATH``, tried in turn)."""

from __future__ import annotations

from lxml import etree

from aicaller.knowledge.documentation_scraper.trafilatura_rules.base import (
    FRAMES,
    Attributes,
    FirstRule,
    Rule,
    search,
)

_CM, _CP = str.maketrans("CM", "cm"), str.maketrans("CP", "cp")


class ArticleBodyRule(Rule):
    """BODY_XPATH[0]: ``.//*[self::article or self::div or self::main or self::section][
    @class='post' or @class='entry' or @itemprop='articleBody' or @id='articleContent' or
    re:test(@id, ...) or re:test(@class, ...)][1]``: without parentheses ``[1]`` is the first
    match among each parent's children, so one match per parent."""

    replaces = ("BODY_XPATH", 0, "caaa561ceca17064773e97bf7c610f55e6c6a64a2477328c060642912d489b3b")
    tags = FRAMES
    reads = frozenset({"class", "itemprop", "id"})

    def verdict(self, values: dict[str, str], attributes: Attributes) -> bool:
        by_id, by_class = self.tests
        return (
            values.get("class") in ("post", "entry")
            or values.get("itemprop") == "articleBody"
            or values.get("id") == "articleContent"
            or search(by_id, values.get("id"))
            or search(by_class, values.get("class"))
        )

    def select(self, tree: etree._Element) -> list[etree._Element]:
        parents: set[etree._Element | None] = set()
        found = []
        for element in self.matching(tree):
            parent = element.getparent()
            if parent not in parents:
                parents.add(parent)
                found.append(element)
        return found


class StoryRule(FirstRule):
    """BODY_XPATH[2]: ``(.//*[self::article or ... or self::section][@role='article' or
    @id='article' or @id='story' or @class='postarea' or ... or @class='story' or
    re:test(@id, ...) or re:test(@class, 'fulltext', 'i') or re:test(@class, ...)])[1]``"""

    replaces = ("BODY_XPATH", 2, "6c9b5e1fdc092943ebdd87206a2e8a8b4c4666497fb00e6661d2a519d00f37f9")
    tags = FRAMES
    reads = frozenset({"role", "id", "class"})

    def verdict(self, values: dict[str, str], attributes: Attributes) -> bool:
        by_id, fulltext, by_class = self.tests
        return (
            values.get("role") == "article"
            or values.get("id") in ("article", "story")
            or values.get("class") in ("postarea", "art-postcontent", "text", "cell", "story")
            or search(by_id, values.get("id"))
            or search(fulltext, values.get("class"))
            or search(by_class, values.get("class"))
        )


class ContentRule(FirstRule):
    """BODY_XPATH[3]: ``(.//*[self::article or ... or self::section][@id='content' or
    @class='content' or re:test(@id, ...) or re:test(@class, ...) or contains(translate(@id,
    'CM','cm'), 'main-content') or contains(translate(@class, 'CM','cm'), 'main-content') or
    contains(translate(@class, 'CP','cp'), 'page-content')])[1]``"""

    replaces = ("BODY_XPATH", 3, "10a7ceacc0ff8cdfd8c58a575b5197b5d07ba24000f072101735478c2c585978")
    tags = FRAMES

    def verdict(self, values: dict[str, str], attributes: Attributes) -> bool:
        by_id, by_class = self.tests
        ident, css_class = values.get("id", ""), values.get("class", "")
        return (
            ident == "content"
            or css_class == "content"
            or search(by_id, ident)
            or search(by_class, css_class)
            or "main-content" in ident.translate(_CM)
            or "main-content" in css_class.translate(_CM)
            or "page-content" in css_class.translate(_CP)
        )


class MainRule(Rule):
    """BODY_XPATH[4]: ``(.//*[self::article or self::div or self::section][starts-with(@class,
    'main') or starts-with(@id, 'main') or starts-with(@role, 'main')])[1]|(.//main)[1]``:
    the first such frame and the first ``<main>``, in document order."""

    replaces = ("BODY_XPATH", 4, "95f15d1c1b6d4052b99a29f7e30be7aad583e8048a1d3f76c2ae8e176d211717")
    reads = frozenset({"class", "id", "role"})

    def verdict(self, values: dict[str, str], attributes: Attributes) -> bool:
        return any(values.get(name, "").startswith("main") for name in ("class", "id", "role"))

    def select(self, tree: etree._Element) -> list[etree._Element]:
        frame: etree._Element | None = None
        main: etree._Element | None = None
        found = []
        for element in tree.iterdescendants("article", "div", "section", "main"):
            if element.tag == "main":
                if main is None:
                    main = element
                    found.append(element)
            elif frame is None and self.accepts(element):
                frame = element
                found.append(element)
            if frame is not None and main is not None:
                break
        return found
