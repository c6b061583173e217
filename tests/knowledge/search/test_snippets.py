"""A result's snippet shows the words that matched, in bold, even deep in a long chunk."""

from __future__ import annotations

from aicaller.knowledge.search.snippets import _Vocabulary, snippet

HOURS = (
    "We are open Monday to Friday from 8am to 5pm, and on Saturday mornings from 9am to noon. "
    "We are closed on Sundays and public holidays."
)


def test_matching_words_are_bold_by_their_stem() -> None:
    shown = snippet(HOURS, ["saturdays", "opening"])
    assert shown.startswith("We are **open** Monday")
    assert "**Saturday**" in shown
    assert shown.endswith("…")  # cut after 24 words


def test_the_window_with_the_most_matches_is_shown() -> None:
    text = " ".join(["filler"] * 400) + " the zebrafish swims in the tank " + "tail " * 50
    shown = snippet(text, ["zebrafish", "tank"])
    assert shown.startswith("…")
    assert "**zebrafish** swims in the **tank**" in shown


def test_no_match_shows_the_beginning() -> None:
    assert snippet("Short text.", ["absent"]) == "Short text."
    assert snippet("", ["absent"]) == ""


def test_any_unicode_whitespace_separates_words() -> None:
    # As the \S+ tokens the snippets were made of before: a no-break space, an ideographic
    # space and an information separator all split words.
    text = "open\u00a0on\u3000Saturday\x1cmornings and more"
    assert snippet(text, ["saturday"], words=3) == "…**Saturday** mornings and…"


def test_a_workers_vocabulary_finds_every_match_past_its_size() -> None:
    vocabulary = _Vocabulary(size=4)
    assert vocabulary.matches({"Opening", "hours", "today"}, ["open"]) == {"Opening": "open"}
    # Four more tokens: it starts again from them, and still finds each match, with the stem
    # of its first matching word ("open-saturday" is bold for "open" first).
    tokens = {"open-Saturday", "closed", "Saturdays,", "noon"}
    assert vocabulary.matches(tokens, ["saturday", "open"]) == {
        "open-Saturday": "open",
        "Saturdays,": "saturday",
    }
    assert set(vocabulary.known) == tokens
