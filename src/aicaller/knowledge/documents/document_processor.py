"""Uploaded files to markdown: txt, md, html, pdf (pypdf) and docx (python-docx).

Parsing runs in a worker thread (PDF and DOCX parsing is CPU-bound). A corrupt, encrypted,
empty or unsupported file is a 422 with the reason, and nothing is stored. A text file (txt,
md, html) must be UTF-8 text: one where control characters (NUL, as in UTF-16 or binary data,
and the like) make up more than ``MAX_CONTROL_SHARE`` of the characters is refused; stray NUL
characters in an otherwise fine file are dropped (PostgreSQL cannot store them).
"""

from __future__ import annotations

import asyncio
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

import docx
from docx.document import Document as DocxDocument
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from aicaller.core.errors import ValidationError
from aicaller.knowledge.documentation_scraper.extract import extract_html

MEDIA_TYPES = {
    ".txt": "text/plain",
    ".md": "text/markdown",
    ".markdown": "text/markdown",
    ".html": "text/html",
    ".htm": "text/html",
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


MAX_CONTROL_SHARE = 0.1
# C0 control characters and DEL, except the ones text uses (tab, line feed, form feed, ...).
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


@dataclass(frozen=True, slots=True)
class ProcessedDocument:
    title: str
    markdown: str
    media_type: str


def _unreadable(reason: str) -> ValidationError:
    return ValidationError(f"The file could not be read: {reason}", code="unreadable_document")


def _decode(data: bytes) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _unreadable("text files must be UTF-8") from exc
    if len(_CONTROL.findall(text)) > MAX_CONTROL_SHARE * len(text):
        raise _unreadable("it looks like binary data (or UTF-16), not UTF-8 text")
    return text.replace("\x00", "")


def _first_heading(markdown: str) -> str | None:
    for line in markdown.splitlines():
        if line.startswith("# "):
            return line[2:].strip() or None
    return None


def _pdf(data: bytes) -> tuple[str | None, str]:
    if not data.startswith(b"%PDF"):
        raise _unreadable("not a PDF file")
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise _unreadable("the PDF is encrypted")
        pages = [page.extract_text() or "" for page in reader.pages]
        title = reader.metadata.title if reader.metadata else None
    except (PyPdfError, ValueError, KeyError, TypeError) as exc:
        raise _unreadable(f"the PDF is damaged ({exc.__class__.__name__})") from exc
    return (str(title) if title else None), "\n\n".join(page.strip() for page in pages)


def _docx_markdown(document: DocxDocument) -> str:
    parts: list[str] = []
    for paragraph in document.paragraphs:
        text = paragraph.text.strip()
        if not text:
            continue
        style = paragraph.style.name if paragraph.style is not None else ""
        level = {"Title": 1, "Heading 1": 1, "Heading 2": 2, "Heading 3": 3}.get(style or "")
        parts.append(f"{'#' * level} {text}" if level else text)
    for table in document.tables:
        rows = [[cell.text.strip().replace("|", "\\|") for cell in row.cells] for row in table.rows]
        if rows:
            header, *body = rows
            lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
            lines += ["| " + " | ".join(row) + " |" for row in body]
            parts.append("\n".join(lines))
    return "\n\n".join(parts)


def _docx(data: bytes) -> tuple[str | None, str]:
    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise _unreadable("not a valid .docx file") from exc
    title = document.core_properties.title or None
    return title, _docx_markdown(document)


def _parse(extension: str, data: bytes) -> tuple[str | None, str]:
    if extension in {".txt", ".md", ".markdown"}:
        text = _decode(data)
        return (_first_heading(text) if extension != ".txt" else None), text
    if extension in {".html", ".htm"}:
        page = extract_html(_decode(data))
        return page.title, page.markdown
    if extension == ".pdf":
        return _pdf(data)
    return _docx(data)


async def process_upload(filename: str, data: bytes, title: str | None) -> ProcessedDocument:
    """The upload as markdown with a title (given, from the file, or its name)."""
    extension = PurePath(filename).suffix.lower()
    media_type = MEDIA_TYPES.get(extension)
    if media_type is None:
        supported = ", ".join(sorted(MEDIA_TYPES))
        raise ValidationError(
            f"Unsupported file type {extension or '(none)'}; upload one of {supported}",
            code="unsupported_document_type",
        )
    found_title, markdown = await asyncio.to_thread(_parse, extension, data)
    if not markdown.strip():
        raise _unreadable("it contains no text")
    name = title or found_title or PurePath(filename).stem or "Untitled"
    return ProcessedDocument(name.strip()[:500], markdown.strip(), media_type)
