"""A knowledge passage turned into something a voice can say: at most two short sentences.

Markdown is for eyes. Code blocks, headings and URLs are dropped; a table's rows become
sentences ("Cat neuter: $245."), since price lists and schedules are often tables; links keep
their words; inline code keeps a short identifier ("the open function") and otherwise drops its
sentence. Which sentence answers a question is ``grounded.py``'s choice; the one after it is
said too when it carries on and is short enough (``said_from``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

import snowballstemmer

MAX_SENTENCES = 2
MAX_WORDS = 32  # per sentence; a phone answer longer than this loses the caller
MIN_WORDS = 3

_stemmer = snowballstemmer.stemmer("english")
_FENCE = re.compile(r"^(```|~~~).*?^\1[^\n]*$", re.MULTILINE | re.DOTALL)
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_URL = re.compile(r"\b(?:https?://|www\.)\S+", re.IGNORECASE)
_INLINE_CODE = re.compile(r"`([^`]*)`")
_IDENTIFIER = re.compile(r"^[A-Za-z_][\w.]{0,30}(\(\))?$")
_EMPHASIS = re.compile(r"(\*\*|__|\*|_)(?=\S)(.+?)(?<=\S)\1")
# A sentence ends before the next one, or before the next item of a list run into one line
# ("... diesel engines. - We do not service ...").
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?:[-*+\u2022]\s+)?(?=[A-Z0-9\"'(])")
_WORD = re.compile(r"[^\W_]+")
# First words of a sentence that carries on from the one before it.
_CONTINUATIONS = frozenset(
    {"it", "its", "this", "that", "these", "those", "they", "their", "he", "she"}
    | {"also", "then", "so", "but", "however", "please", "you", "your"}
)
_CODE_LIKE = re.compile(r"[{}<>\[\]=;|\\]|>>>|\w\.\w+\(|::")
_RULE_ROW = re.compile(r"^[-:\s]*$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPOKEN_END = re.compile(r"[.!?](?=\s|$)")
ELLIPSIS = "\u2026"


def stems(words: Iterable[str]) -> set[str]:
    return set(_stemmer.stemWords({word.lower() for word in words}))


def text_stems(text: str) -> set[str]:
    """The stems of a text's distinct words (a chunk repeats most of its words)."""
    return set(_stemmer.stemWords(set(_WORD.findall(text.lower()))))


def stems_in(text: str, wanted: set[str]) -> set[str]:
    """The stems of ``wanted`` that some word of ``text`` has. Only words that begin like one
    of them are stemmed (a stem keeps the beginning of its word; the ending is what stemming
    changes), so a long passage costs a scan, not a stemming of every word."""
    if not wanted:
        return set()
    words = set(_starting_with(frozenset(stem[:3] for stem in wanted)).findall(text.lower()))
    return wanted & set(_stemmer.stemWords(words))


def stems_begun_in(text: str, wanted: set[str]) -> set[str]:
    """The stems of ``wanted`` that begin the stem of a longer word of ``text``: a caller's
    short form of the site's word ("prenup" of "prenuptial", which stem apart)."""
    if not wanted:
        return set()
    words = set(_starting_with(frozenset(wanted)).findall(text.lower()))
    begun = set(_stemmer.stemWords(words))
    return {stem for stem in wanted if any(word.startswith(stem) for word in begun)}


@lru_cache(maxsize=256)
def _starting_with(starts: frozenset[str]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(start) for start in sorted(starts))
    return re.compile(rf"\b(?:{alternatives})[^\W_]*")


def _plain_code(match: re.Match[str]) -> str:
    inner = match.group(1).strip()
    if _IDENTIFIER.match(inner):
        return inner.removesuffix("()").replace("_", " ").replace(".", " ")
    return "\x00"  # marks the sentence as unspeakable


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def _table_rows(lines: list[str]) -> list[str]:
    """A markdown table's rows as sentences: "Rabies, 1-year: dog $26, cat $36." (the first
    column names the row; the other headers name its values when there are several)."""
    rows = [_cells(line) for line in lines if line.lstrip().startswith("|")]
    header, body = rows[0], [row for row in rows[1:] if not _RULE_ROW.match("".join(row))]
    spoken = []
    for row in body:
        values = [
            f"{head.lower()} {value}" if len(header) > 2 and head else value  # noqa: PLR2004
            for head, value in zip(header[1:], row[1:], strict=False)
            if value.strip("-\u2013\u2014 ")
        ]
        if row and row[0] and values:
            spoken.append(f"{row[0]}: {', '.join(values)}.")
    return spoken


def _paragraphs(markdown: str) -> list[str]:
    """Prose paragraphs and table rows: no code blocks, headings, rules or indented code."""
    text = _FENCE.sub("\n", markdown)
    paragraphs: list[str] = []
    for block in re.split(r"\n\s*\n", text):
        lines = [line for line in block.splitlines() if line.strip()]
        if not lines:
            continue
        first = lines[0].lstrip()
        if first.startswith("|"):
            paragraphs.extend(_table_rows(lines))
            continue
        if first.startswith(("#", ">>>", "---", "***")) or lines[0].startswith(("    ", "\t")):
            continue
        cleaned = [re.sub(r"^\s*(?:[-*+]|\d+[.)])\s+", "", line).strip() for line in lines]
        paragraphs.append(" ".join(cleaned))
    return paragraphs


def _speakable(sentence: str) -> str | None:
    sentence = _LINK.sub(r"\1", sentence)
    sentence = _URL.sub("", sentence)
    sentence = _INLINE_CODE.sub(_plain_code, sentence)
    sentence = _EMPHASIS.sub(r"\2", sentence)
    if "\x00" in sentence or _CODE_LIKE.search(sentence):
        return None
    sentence = re.sub(r"\s+([,.;:!?])", r"\1", re.sub(r"\s+", " ", sentence)).strip(" -:;,")
    words = sentence.split()
    if len(words) < MIN_WORDS:
        return None
    if len(words) > MAX_WORDS:
        sentence = _shorten(words)
    if sentence and sentence[-1] not in ".!?":
        sentence += "."
    return sentence[0].upper() + sentence[1:]


def _shorten(words: list[str]) -> str:
    """Cut at the last clause boundary within the limit (else at the limit)."""
    head = words[:MAX_WORDS]
    for index in range(len(head) - 1, MIN_WORDS, -1):
        if head[index - 1].endswith((",", ";", ":")):
            return " ".join(head[:index]).rstrip(",;:")
    return " ".join(head)


def starts_carrying_on(sentence: str) -> bool:
    """The sentence begins like one that carries on from the one before ("It takes ...")."""
    words = sentence.split(maxsplit=1)
    return bool(words) and words[0].lower().strip(",") in _CONTINUATIONS


def continues(sentence: str, wanted: set[str], before: str) -> bool:
    """The next sentence is said too when it is short enough and still on the question: it
    has one of its words, or it carries on from the one before ("It takes an hour.")."""
    if len(before.split()) + len(sentence.split()) > MAX_WORDS + MAX_WORDS // 2:
        return False
    return bool(wanted & text_stems(sentence)) or starts_carrying_on(sentence)


def raw_sentences(markdown: str) -> list[str]:
    """A passage's sentences before they are made speakable (``speakable``): cheap, so that
    many passages can be weighed and only the sentence chosen is cleaned up."""
    return [raw for paragraph in _paragraphs(markdown) for raw in _SENTENCE_END.split(paragraph)]


def speakable(raw: str) -> str | None:
    """A raw sentence as it can be said aloud, or None (code, too short)."""
    return _speakable(raw)


def sentences(markdown: str) -> list[str]:
    """Every speakable sentence of a passage, in order."""
    return [spoken for raw in raw_sentences(markdown) if (spoken := _speakable(raw)) is not None]


def said_from(candidates: list[str], best: int, wanted: set[str]) -> str:
    """Sentence ``best`` of ``candidates``, and the one after it when it carries on."""
    chosen = [candidates[best]]
    following = best + 1
    if following < len(candidates) and continues(candidates[following], wanted, chosen[0]):
        chosen.append(candidates[following])
    return " ".join(chosen[:MAX_SENTENCES])


def printable(text: str) -> str:
    """``text`` without control characters (other than tab and line breaks)."""
    return _CONTROL.sub("", text)


def plain(text: str) -> str:
    """Markdown emphasis, links and URLs removed from a short text (LLM answers, configs);
    control characters too (NUL cannot even be stored on PostgreSQL)."""
    text = _CONTROL.sub("", text)
    text = _LINK.sub(r"\1", text)
    text = _URL.sub("", text)
    text = _INLINE_CODE.sub(lambda match: match.group(1), text)
    text = _EMPHASIS.sub(r"\2", text)
    text = re.sub(r"^\s*(?:#+|[-*+]|\d+[.)])\s+", "", text, flags=re.MULTILINE)
    return re.sub(r"\s+", " ", text).strip()


def clip(text: str, limit: int, *, whole_sentences: bool = False) -> str:
    """``text`` cut to at most ``limit`` characters, at the end of its last sentence that
    fits; without one (or when that would keep less than a third), at a word, ending in an
    ellipsis. ``whole_sentences`` also drops an unfinished last sentence within the limit (an
    answer the model was stopped in the middle of)."""
    if len(text) <= limit and not whole_sentences:
        return text
    head = text[: limit + 1]
    ends = [match.end() for match in _SPOKEN_END.finditer(head)]
    if ends and ends[-1] >= min(limit, len(text)) // 3:
        return head[: ends[-1]].strip()
    if len(text) <= limit:
        return text
    words = head[:limit].rsplit(" ", 1)[0] if " " in head[:limit] else head[: limit - 1]
    return words.rstrip(" ,;:-") + ELLIPSIS
