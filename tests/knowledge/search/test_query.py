"""A spoken question becomes the words worth searching for."""

from __future__ import annotations

import pytest

from aicaller.knowledge.search.query import search_terms


@pytest.mark.parametrize(
    ("question", "terms"),
    [
        # Filler and contractions would make the every-term query find nothing.
        ("um, I was wondering, do you guys take walk-ins?", ["take", "walk", "ins"]),
        ("what's the fee if I don't show up", ["fee", "show"]),
        ("okay so basically my car won't start", ["car", "start"]),
        # "kind of" and "sort of" are filler; "sort" and "kind" alone are words.
        ("it's kind of leaking, sort of", ["leaking"]),
        ("how do I sort a list", ["sort", "list"]),
        # "Is there a way to", "some thing", "y'all", "'em": how a caller talks, not what
        # the page says.
        ("is there a way to run my own SQL or something", ["run", "sql"]),
        ("do y'all put 'em on, that kind of stuff", ["put"]),
        ("what kind of dog food", ["dog", "food"]),
        # Numbers of ten or more said in words are searched as documentation writes them.
        ("are you open twenty four hours", ["open", "24", "hours"]),
        ("is it fifteen dollars", ["15", "dollars"]),
        ("do you have a two hundred dollar minimum", ["200", "dollar", "minimum"]),
        ("three thousand five hundred miles service", ["3500", "miles", "service"]),
        # Small numbers stay words ("two years"), and digits stay digits.
        ("does whitening last two years", ["whitening", "last", "two", "years"]),
        ("is the 1040 form ready", ["1040", "form", "ready"]),
        ("hundred", ["hundred"]),
        # A number said with a point is a version or a decimal, searched as typed "3.2" is
        # (both indexes split it at the point), whatever its size.
        (
            "which Python versions does Django three point two work with",
            ["python", "versions", "django", "3", "2", "work"],
        ),
        ("does it take two dot five quarts", ["take", "2", "5", "quarts"]),
        ("twenty one point five", ["21", "5"]),
        # "point" that is no decimal stays a word.
        (
            "shops within five kilometers of a point",
            ["shops", "within", "five", "kilometers", "point"],
        ),
        ("three point", ["three", "point"]),
        # "dot" said inside a name is the "." typed there; said as a word, it stays.
        ("how do I run manage dot py", ["run", "manage", "py"]),
        ("what does the dot mean", ["dot", "mean"]),
    ],
)
def test_spoken_questions_become_search_terms(question: str, terms: list[str]) -> None:
    assert search_terms(question) == terms


def test_nothing_to_search_is_no_terms() -> None:
    assert search_terms("um, uh, okay?") == []
