"""A common word the caller says is not found inside a proper name of the page.

"Are your electricians union?" asks about a labour union; "Financing through North Star
Credit Union" names a bank. A person hears the difference at once: the caller said "union"
as an ordinary word, and the page says it only as part of a name. So when the offline agent
weighs a sentence (``grounded.py``), the words of a proper name count for the caller's words
only when the caller named it too: spelt the word with a capital ("Do you install Generac
generators?"), or said another word of the same name ("credit union").

A proper name is two or more capitalised words in a row within a sentence ("North Star
Credit Union", "Tesla Wall Connectors"); a sentence's own first word takes part only in a
run of three or more, since every sentence begins with a capital. A question in lower case
alone (as some speech recognisers write) tells nothing about names: it is taken at its word.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"[A-Za-z][\w'\u2019-]*")
# Two or more capitalised words in a row, possibly joined by "of", "the", "&" or "and".
_NAME = re.compile(r"\b[A-Z][\w'\u2019-]*\.?(?:\s+(?:(?:of|the|and|&)\s+)?[A-Z][\w'\u2019-]*\.?)+")
_MIN_AT_START = 3  # words a name must have when it begins its sentence


class CallersNames:
    """The question's words as the caller said them: which it spelt as names."""

    def __init__(self, question: str) -> None:
        words = _WORD.findall(question)
        self.cased = any(ch.isupper() for ch in question)
        self.capitalised = {w.lower() for w in words[1:] if w[:1].isupper() and w != "I"}
        self.said = {w.lower() for w in words}

    def _named(self, name: str) -> bool:
        words = [w.lower().rstrip(".") for w in _WORD.findall(name)]
        capitals = [w for w in words if w not in {"of", "the", "and"}]
        said = [w for w in capitals if w in self.said]
        return len(said) >= 2 or bool(self.capitalised.intersection(capitals))  # noqa: PLR2004

    def common(self, sentence: str) -> str:
        """``sentence`` without the proper names the caller did not name (blanked, so that
        their words count for none of the caller's)."""
        if not self.cased:
            return sentence
        start = len(sentence) - len(sentence.lstrip())

        def blank(match: re.Match[str]) -> str:
            name = match.group(0)
            short = len(_WORD.findall(name)) < _MIN_AT_START
            if (match.start() == start and short) or self._named(name):
                return name
            return " " * len(name)

        return _NAME.sub(blank, sentence)
