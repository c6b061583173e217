"""A knowledge passage turned into something a voice can say: at most two short sentences.

Markdown is for eyes. Code blocks, headings and URLs are dropped; a table's rows become
sentences ("Cat neuter: $245."), since price lists and schedules are often tables; links keep
their words; inline code keeps a short identifier ("the open function") and otherwise drops its
sentence. Sentences are picked by how many of the question's terms they contain (stemmed, so
"prices" finds "price"), the best one first, then the one after it if it is short enough.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

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
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])")
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


def _continues(sentence: str, wanted: set[str], before: str) -> bool:
    """The next sentence is said too when it is short enough and still on the question: it
    has one of its words, or it carries on from the one before ("It takes an hour.")."""
    if len(before.split()) + len(sentence.split()) > MAX_WORDS + MAX_WORDS // 2:
        return False
    first = sentence.split(maxsplit=1)[0].lower().strip(",")
    return bool(wanted & text_stems(sentence)) or first in _CONTINUATIONS


def sentences(markdown: str) -> list[str]:
    """Every speakable sentence of a passage, in order."""
    found: list[str] = []
    for paragraph in _paragraphs(markdown):
        for raw in _SENTENCE_END.split(paragraph):
            spoken = _speakable(raw)
            if spoken is not None:
                found.append(spoken)
    return found


def spoken_answer(
    markdown: str,
    terms: Iterable[str],
    prefer: re.Pattern[str] | None = None,
    weights: dict[str, float] | None = None,
) -> tuple[str, int]:
    """At most two sentences of ``markdown`` that best answer a question with ``terms``, and
    how many of those terms they contain; ("", 0) when nothing in it can be said aloud. A
    term counts its weight (by stem; 1 without ``weights``: rarer words say more about what
    is asked). With ``prefer`` (e.g. amounts of money for "how much"), a sentence matching it
    counts as much as an average term more."""
    wanted = stems(terms)
    candidates = sentences(markdown)
    if not candidates:
        return "", 0
    weight = weights or {}
    bonus = sum(weight.get(stem, 1.0) for stem in wanted) / max(len(wanted), 1)
    scored = [
        sum(weight.get(stem, 1.0) for stem in wanted & text_stems(sentence))
        + (bonus if prefer and prefer.search(sentence) else 0.0)
        for sentence in candidates
    ]
    best = max(range(len(candidates)), key=lambda index: (scored[index], -index))
    text = said_from(candidates, best, wanted)
    return text, len(wanted & text_stems(text))


def said_from(candidates: list[str], best: int, wanted: set[str]) -> str:
    """Sentence ``best`` of ``candidates``, and the one after it when it carries on."""
    chosen = [candidates[best]]
    following = best + 1
    if following < len(candidates) and _continues(candidates[following], wanted, chosen[0]):
        chosen.append(candidates[following])
    return " ".join(chosen[:MAX_SENTENCES])


def coverage(terms: Iterable[str], *texts: str) -> float:
    """The share of the question's terms (stemmed) that appear in ``texts``."""
    wanted = stems(terms)
    if not wanted:
        return 0.0
    found = set().union(*(text_stems(text) for text in texts))
    return len(wanted & found) / len(wanted)


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
