"""Cut a markdown document into search chunks along its headings.

Written here because the text splitters we looked at either split code blocks and tables or
pull in a large framework: chunks follow h1-h3 sections, hold about 400-512 tokens, never split
a fenced code block or a table, and carry their "Title > Heading > Subheading" path. Chunk ids
derive from the document, position and content, so re-chunking unchanged text keeps them.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from dataclasses import dataclass

MAX_TOKENS = 512
TARGET_TOKENS = 400
PATH_SEPARATOR = " > "
_HEADING = re.compile(r"^(#{1,3})\s+(.+?)\s*#*\s*$")
_TOKEN = re.compile(r"\w+|[^\w\s]")
_INLINE_MARKUP = re.compile(r"[`*_]")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_CHUNK_NAMESPACE = uuid.UUID("6f1b7a52-3f0e-4c55-9a43-2f7d0c8e1b10")


def count_tokens(text: str) -> int:
    """Words and punctuation marks: close to a BPE tokenizer's count for English prose, with
    no model files to download (tiktoken fetches its encodings from the network)."""
    return len(_TOKEN.findall(text))


@dataclass(frozen=True, slots=True)
class ChunkText:
    ordinal: int
    heading_path: str
    text: str
    token_count: int

    def chunk_id(self, document_id: uuid.UUID) -> uuid.UUID:
        digest = hashlib.sha256(self.text.encode()).hexdigest()[:16]
        return uuid.uuid5(_CHUNK_NAMESPACE, f"{document_id}:{self.ordinal}:{digest}")

    @property
    def prefixed(self) -> str:
        """The chunk as an agent should read it: its heading path, then the text."""
        return f"{self.heading_path}\n\n{self.text}"


@dataclass(slots=True)
class _Section:
    path: list[str]
    blocks: list[str]


def _blocks(lines: list[str]) -> list[tuple[str, str]]:
    """("heading", "## Title") / ("atomic", code or table) / ("text", paragraph) blocks."""
    blocks: list[tuple[str, str]] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if line.lstrip().startswith(("```", "~~~")):
            fence = line.lstrip()[:3]
            end = index + 1
            while end < len(lines) and not lines[end].lstrip().startswith(fence):
                end += 1
            blocks.append(("atomic", "\n".join(lines[index : end + 1])))
            index = end + 1
        elif line.lstrip().startswith("|"):
            end = index
            while end < len(lines) and lines[end].lstrip().startswith("|"):
                end += 1
            blocks.append(("atomic", "\n".join(lines[index:end])))
            index = end
        elif _HEADING.match(line):
            blocks.append(("heading", line))
            index += 1
        elif not line.strip():
            index += 1
        else:
            end = index
            while end < len(lines) and lines[end].strip() and not _starts_block(lines[end]):
                end += 1
            blocks.append(("text", "\n".join(lines[index:end])))
            index = max(end, index + 1)
    return blocks


def _starts_block(line: str) -> bool:
    stripped = line.lstrip()
    return bool(_HEADING.match(line)) or stripped.startswith(("```", "~~~", "|"))


def _plain(heading: str) -> str:
    """A heading without inline markup, to compare with the title: a page's title and its h1
    are usually one text, the h1 with code spans or emphasis (Sphinx: "`json` — JSON encoder
    and decoder"). Repeated in the path, the title's words counted twice over in the headings'
    weight, and pages whose titles share a question's common words ("file", "read") won."""
    return " ".join(_INLINE_MARKUP.sub("", heading).split()).casefold()


def _sections(title: str, markdown: str) -> list[_Section]:
    sections = [_Section([title], [])]
    levels: list[tuple[int, str]] = []
    for kind, text in _blocks(markdown.splitlines()):
        match = _HEADING.match(text) if kind == "heading" else None
        if match is None:
            sections[-1].blocks.append(text)
            continue
        level, heading = len(match.group(1)), match.group(2).strip()
        levels = [(lvl, name) for lvl, name in levels if lvl < level] + [(level, heading)]
        path = [title] + [name for _, name in levels if _plain(name) != _plain(title)]
        sections.append(_Section(path, []))
    return [section for section in sections if section.blocks]


def _pieces(text: str) -> list[tuple[str, int]]:
    """A paragraph as pieces of at most ``MAX_TOKENS``, each with its token count: one piece,
    its sentences joined by single spaces, unless it is over the limit; then cut at sentence
    ends (or words, for a run-on sentence). A token never spans whitespace, so a text joined
    from pieces by whitespace has the sum of their counts: each text is counted once."""
    tokens = count_tokens(text)
    if tokens <= MAX_TOKENS:
        return [(_SENTENCE_END.sub(" ", text), tokens)]
    pieces: list[tuple[str, int]] = []
    current: list[str] = []
    tokens = 0  # of ``current``, kept as a running sum (recounting would be quadratic)
    for sentence in _SENTENCE_END.split(text):
        sentence_tokens = count_tokens(sentence)
        units = [sentence] if sentence_tokens <= MAX_TOKENS else sentence.split(" ")
        for unit in units:
            size = sentence_tokens if len(units) == 1 else count_tokens(unit)
            if current and tokens + size > MAX_TOKENS:
                pieces.append((" ".join(current), tokens))
                current, tokens = [], 0
            current.append(unit)
            tokens += size
    if current:
        pieces.append((" ".join(current), tokens))
    return pieces


def chunk_markdown(title: str, markdown: str) -> list[ChunkText]:
    """The document's chunks in reading order."""
    chunks: list[ChunkText] = []
    for section in _sections(title.strip() or "Untitled", markdown):
        path = PATH_SEPARATOR.join(section.path)
        current: list[str] = []
        tokens = 0
        for block in section.blocks:
            is_atomic = block.lstrip().startswith(("```", "~~~", "|"))
            for piece, size in [(block, count_tokens(block))] if is_atomic else _pieces(block):
                if current and (tokens + size > MAX_TOKENS or tokens >= TARGET_TOKENS):
                    chunks.append(ChunkText(len(chunks), path, "\n\n".join(current), tokens))
                    current, tokens = [], 0
                current.append(piece)
                tokens += size
        if current:
            chunks.append(ChunkText(len(chunks), path, "\n\n".join(current), tokens))
    return chunks
