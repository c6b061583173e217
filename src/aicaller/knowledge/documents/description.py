"""A page's one-line description: what the page says it is about, in its own first words.

Documentation states a page's subject in its opening line more plainly than anywhere else: a
man page's NAME line ("git-cherry-pick - Apply the changes introduced by some existing
commits") says what the command does where its title says only its name, and a short page
often opens with a tagline. Kept with the document at write time (``documents.description``)
so that search reads it with the page's other columns, at no extra statement (ADR 0046).
"""

from __future__ import annotations

import re

DESCRIPTION_CHARS = 80
"""Longest first paragraph taken as a description: one line. A longer one is an introduction,
whose words are as much about the page's neighbours as about the page (measured: counting
them lost Django and business questions; docs/benchmarks.md, ADR 0046)."""
_FENCE = re.compile(r"^```.*?(?:^```[^\n]*$|\Z)", re.DOTALL | re.MULTILINE)
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
_SPACE = re.compile(r"\s+")


def page_description(markdown: str) -> str:
    """The first paragraph of ``markdown`` that is neither a heading nor code, whitespace
    collapsed, when it is at most ``DESCRIPTION_CHARS`` long; otherwise empty."""
    for block in _PARAGRAPH_BREAK.split(_FENCE.sub("\n\n", markdown)):
        paragraph = block.strip()
        if not paragraph or paragraph.startswith("#"):
            continue
        line = _SPACE.sub(" ", paragraph)
        return line if len(line) <= DESCRIPTION_CHARS else ""
    return ""
