"""The rules that prune: boilerplate, captions, comment sections, appended articles."""

from __future__ import annotations

from lxml import etree

from aicaller.knowledge.documentation_scraper.trafilatura_rules.base import (
    CONTENT,
    Attributes,
    Rule,
    first,
    search,
)


class SectionRule(Rule):
    """OVERALL_DISCARD_XPATH[0]: ``.//*[self::div or ... or self::span][@data-lp-replacement-
    content or contains(translate(@role, 'N', 'n'), 'nav') or contains(@data-component,
    'MostPopularStories') or re:test(@id|@class, ...) or re:test(@id, ...) or
    re:test(@class, ...)]``"""

    replaces = (
        "OVERALL_DISCARD_XPATH",
        0,
        "a837e58a1b1ea116ce1dada53d856dec093fe9f64b37dc503698e30f96a87dd3",
    )
    tags = CONTENT
    reads = frozenset({"data-lp-replacement-content", "role", "data-component", "id", "class"})

    def verdict(self, values: dict[str, str], attributes: Attributes) -> bool:
        either, by_id, by_class = self.tests
        return (
            "data-lp-replacement-content" in values
            or "nav" in values.get("role", "").replace("N", "n")
            or "MostPopularStories" in values.get("data-component", "")
            or search(either, first(attributes, ("id", "class")))
            or search(by_id, values.get("id"))
            or search(by_class, values.get("class"))
        )


class HiddenRule(Rule):
    """OVERALL_DISCARD_XPATH[1]: ``.//*[@class='comments-title' or starts-with(@id|@class,
    'reply-') or re:test(@id|@style, 'hidden') or contains(@style, 'display:none') or
    contains(@style, 'display: none') or re:test(@id, ...) or re:test(@class, ...) or
    @aria-hidden='true']``"""

    replaces = (
        "OVERALL_DISCARD_XPATH",
        1,
        "c1d5b70b8cd03783545d6b715c69062ae6967c222b2d8f4e2399762362d426c0",
    )
    reads = frozenset({"id", "class", "style", "aria-hidden"})

    def verdict(self, values: dict[str, str], attributes: Attributes) -> bool:
        by_id_or_style, by_id, by_class = self.tests
        style = values.get("style", "")
        return (
            values.get("class") == "comments-title"
            or first(attributes, ("id", "class")).startswith("reply-")
            or search(by_id_or_style, first(attributes, ("id", "style")))
            or "display:none" in style
            or "display: none" in style
            or search(by_id, values.get("id"))
            or search(by_class, values.get("class"))
            or values.get("aria-hidden") == "true"
        )


class CaptionRule(Rule):
    """DISCARD_IMAGE_ELEMENTS[0]: ``.//*[self::div or ... or self::span][contains(@id,
    'caption') or contains(@class, 'caption')]``"""

    replaces = (
        "DISCARD_IMAGE_ELEMENTS",
        0,
        "cb1ab981e44913f706048bad10e9f027314ffccb36c56ffc66c8ff5e1e340c58",
    )
    tags = CONTENT

    def verdict(self, values: dict[str, str], attributes: Attributes) -> bool:
        return "caption" in values.get("id", "") or "caption" in values.get("class", "")


class CommentListRule(Rule):
    """COMMENTS_XPATH[0] and [1]: ``.//*[self::div or self::list or self::section][
    re:test(@id|@class, ...) or re:test(@class, ...)]``"""

    replaces = (
        "COMMENTS_XPATH",
        0,
        "c9bc44e8eabc181867e0e4bd3adc813c75470b9cb9e7cba280e278a38ff5427f",
    )
    tags = ("div", "list", "section")

    def verdict(self, values: dict[str, str], attributes: Attributes) -> bool:
        either, by_class = self.tests
        return search(either, first(attributes, ("id", "class"))) or search(
            by_class, values.get("class")
        )


class CommentsRule(CommentListRule):
    replaces = (
        "COMMENTS_XPATH",
        1,
        "777ad139e734aa16cd44f0ccbd8aa9fb9a85f34cc4fc7f50fd7932a527ef356c",
    )


class CommentIdRule(Rule):
    """COMMENTS_XPATH[2]: ``.//*[self::div or self::section or self::list][re:test(@id, ...)]``"""

    replaces = (
        "COMMENTS_XPATH",
        2,
        "315ca4d6f2f992c4b84e864308bd2b399758a5fe24a95b1792cf89d700dfa2d1",
    )
    tags = ("div", "list", "section")

    def verdict(self, values: dict[str, str], attributes: Attributes) -> bool:
        return search(self.tests[0], values.get("id"))


class SocialRule(Rule):
    """COMMENTS_XPATH[3]: ``.//*[self::div or self::section][starts-with(@id, 'social') or
    contains(@class, 'comment')]``"""

    replaces = (
        "COMMENTS_XPATH",
        3,
        "7d5d82f02ac6954461176a5dfeb7760ee6cf6ea6e0cf862efaa57300ed6d6218",
    )
    tags = ("div", "section")

    def verdict(self, values: dict[str, str], attributes: Attributes) -> bool:
        return values.get("id", "").startswith("social") or "comment" in values.get("class", "")


class AppendedArticleRule(Rule):
    """RAW_TREE_PRUNE_XPATH[0]: ``.//*[self::div or self::section or self::aside][
    re:test(@id, A) or re:test(@class, A)][not(.//h1) or re:test(@id, B) or
    re:test(@class, B)]``"""

    replaces = (
        "RAW_TREE_PRUNE_XPATH",
        0,
        "01e7c660fd6406f29932819d2dbd7530e2f3bdac11dde83565e977e391303444",
    )
    tags = ("div", "section", "aside")

    def verdict(self, values: dict[str, str], attributes: Attributes) -> bool:
        by_id, by_class = self.tests[:2]
        return search(by_id, values.get("id")) or search(by_class, values.get("class"))

    def select(self, tree: etree._Element) -> list[etree._Element]:
        strict_id, strict_class = self.tests[2:]
        return [
            element
            for element in self.matching(tree)
            if element.find(".//h1") is None
            or search(strict_id, element.get("id"))
            or search(strict_class, element.get("class"))
        ]


class ShareButtonsRule(Rule):
    """RAW_TREE_PRUNE_XPATH[1]: ``.//*[self::div or self::section or self::aside][
    contains(@class, 'elementor-share-buttons')]``"""

    replaces = (
        "RAW_TREE_PRUNE_XPATH",
        1,
        "3c7afe92279543d5530365aa7b921c6e5b51243033e5622cae1dc85e08976f87",
    )
    tags = ("div", "section", "aside")

    def verdict(self, values: dict[str, str], attributes: Attributes) -> bool:
        return "elementor-share-buttons" in values.get("class", "")
