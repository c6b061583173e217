"""Trafilatura's attribute-matching XPath rules, evaluated in Python: same matches, less CPU.

Trafilatura finds the main content, comment sections and boilerplate with XPath expressions
that test each element's ``id``/``class``/... against regular expressions, run over the whole
page or its main content, several times per page. They were the largest cost of extraction:
13.4 ms of a Python docs page's 41 (once spans.py has unwrapped the signature spans). libxml2
evaluates every ``self::div`` test as a location step, and every ``re:test`` is an lxml EXSLT
function: a Python callback per call, per element, whether or not it has the attribute. The
same tests in Python, each verdict cached by the attributes it reads (a site repeats a small
class vocabulary), cost a dictionary lookup for most elements: 2.6 ms for the 13 rules
replaced (``BODY_XPATH[1]``, ``(.//article)[1]``, is cheap as it is).

This is a patch of trafilatura's internals, so it is guarded: each expression is replaced (in
place, in the lists trafilatura's modules share) only on trafilatura 2.3.1 and only while its
text is exactly the one the code was written from (a SHA-256 of it, the expression restated
in each rule's docstring in pruning.py and frames.py); the regular expressions are read from
that text. Otherwise it logs and leaves trafilatura as it is: slower, never different.
``tests/knowledge/test_trafilatura_rules.py`` compares both evaluations of each rule on every
value and ordered pair of the attributes the rules read and on 400 random nested pages, and
``benchmarks/extraction.py --compare`` the whole output over the Python docs.
"""

from __future__ import annotations

import hashlib
from typing import Any

import trafilatura
from lxml import etree
from trafilatura import xpaths

from aicaller.core.logging import get_logger
from aicaller.knowledge.documentation_scraper.trafilatura_rules import frames, pruning
from aicaller.knowledge.documentation_scraper.trafilatura_rules.base import Rule

logger = get_logger("aicaller.knowledge.trafilatura_rules")

TESTED_VERSION = "2.3.1"
RULES: tuple[type[Rule], ...] = (
    pruning.SectionRule,
    pruning.HiddenRule,
    pruning.CaptionRule,
    pruning.CommentListRule,
    pruning.CommentsRule,
    pruning.CommentIdRule,
    pruning.SocialRule,
    pruning.AppendedArticleRule,
    pruning.ShareButtonsRule,
    frames.ArticleBodyRule,
    frames.StoryRule,
    frames.ContentRule,
    frames.MainRule,
)


def _digest(expression: etree.XPath) -> str:
    return hashlib.sha256(expression.path.encode()).hexdigest()


def install(module: Any = xpaths) -> int:
    """Put each rule in place of the expression it was written from, in ``module``'s lists
    (trafilatura.xpaths; another object for tests), if that expression is unchanged. Returns
    how many are in place."""
    if trafilatura.__version__ != TESTED_VERSION:
        logger.warning(
            "trafilatura_rules_kept", version=trafilatura.__version__, tested=TESTED_VERSION
        )
        return 0
    installed = 0
    for rule in RULES:
        name, index, digest = rule.replaces
        expressions = getattr(module, name)
        current = expressions[index]
        if isinstance(current, rule):
            installed += 1
        elif _digest(current) == digest:
            expressions[index] = rule(current)  # in place: trafilatura imported these lists
            installed += 1
        else:
            logger.warning("trafilatura_rule_kept", rule=rule.__name__, expression=name)
    return installed
