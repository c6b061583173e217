"""Markdown straight from a page's main landmark (``<main>`` or ``role="main"``).

Documentation generators (Sphinx, MkDocs, Docusaurus, ...) mark the page's content with a main
landmark, and what is inside it is the document: headings, paragraphs, lists, code, tables.
Converting that subtree directly is about ten times cheaper than trafilatura's boilerplate
detection (which costs more than fetching the page and is most of a sync's CPU), and keeps the
structure better: nested lists stay nested, code stays fenced, permalink marks (the ``¶`` after
Sphinx headings) are dropped. Page chrome that sits inside the landmark (nav, aside, footer,
forms, buttons, hidden elements) is left out. Pages without exactly one landmark go through
trafilatura as before (extract.py).
"""

from __future__ import annotations

import lxml.html

_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_BLOCKS = {
    "address", "article", "blockquote", "dd", "details", "div", "dl", "dt", "fieldset",
    "figcaption", "figure", "header", "hgroup", "hr", "li", "main", "ol", "p", "pre", "section",
    "summary", "table", "ul", *_HEADINGS,
}  # fmt: skip
_SKIPPED = {
    "script", "style", "noscript", "template", "nav", "aside", "footer", "form", "button",
    "svg", "iframe", "select", "textarea", "input", "object", "canvas", "video", "audio", "img",
}  # fmt: skip
_CHROME_ROLES = {"navigation", "complementary", "contentinfo", "search", "banner"}
_PERMALINKS = {"\u00b6", "#", "\u00a7", "\U0001f517"}
_CODE = {"code", "kbd", "samp", "tt"}
_EMPHASIS = {"em": "*", "i": "*", "strong": "**", "b": "**"}


def main_landmark(document: lxml.html.HtmlElement) -> lxml.html.HtmlElement | None:
    """The page's one main landmark; None when it has none or several."""
    found = document.xpath("//main | //*[@role='main']")
    if not isinstance(found, list) or len(found) != 1:
        return None
    node = found[0]
    return node if isinstance(node, lxml.html.HtmlElement) else None


def landmark_markdown(landmark: lxml.html.HtmlElement) -> str:
    return "\n\n".join(_blocks(landmark))


def _skipped(node: lxml.html.HtmlElement) -> bool:
    if node.tag in _SKIPPED or node.get("hidden") is not None:
        return True
    if node.get("aria-hidden") == "true" or node.get("role") in _CHROME_ROLES:
        return True
    return "display:none" in (node.get("style") or "").replace(" ", "").lower()


def _content(node: object) -> bool:
    """An element to convert (not a comment, processing instruction or left-out chrome)."""
    return (
        isinstance(node, lxml.html.HtmlElement) and isinstance(node.tag, str) and not _skipped(node)
    )


def _squash(text: str) -> str:
    return " ".join(text.split())


def _inline(node: lxml.html.HtmlElement) -> str:
    if not _content(node):
        return ""
    if node.tag in _CODE:
        code = _squash(node.text_content())
        return f"`{code}`" if code else ""
    if node.tag == "br":
        return " "
    inner = (node.text or "") + "".join(_inline(child) + (child.tail or "") for child in node)
    core = inner.strip()
    if node.tag == "a" and core in _PERMALINKS:
        return ""
    marker = _EMPHASIS.get(node.tag)
    if marker is None or not core:
        return inner
    lead, trail = inner[: len(inner) - len(inner.lstrip())], inner[len(inner.rstrip()) :]
    return f"{lead}{marker}{core}{marker}{trail}"


def _blocks(node: lxml.html.HtmlElement) -> list[str]:
    """The node's children as markdown blocks; runs of inline content become paragraphs."""
    out: list[str] = []
    run: list[str] = [node.text or ""]
    for child in node:
        if _content(child) and child.tag in _BLOCKS:
            paragraph = _squash("".join(run))
            if paragraph:
                out.append(paragraph)
            run.clear()
            out.extend(_block(child))
        elif _content(child):
            run.append(_inline(child))
        run.append(child.tail or "")
    paragraph = _squash("".join(run))
    if paragraph:
        out.append(paragraph)
    return out


def _block(node: lxml.html.HtmlElement) -> list[str]:
    tag = node.tag
    if tag in _HEADINGS:
        text = _squash(_inline(node))
        return [f"{'#' * _HEADINGS[tag]} {text}"] if text else []
    if tag == "pre":
        code = node.text_content().strip("\n")
        fence = "````" if "```" in code else "```"
        return [f"{fence}\n{code}\n{fence}"] if code.strip() else []
    if tag in ("ul", "ol"):
        return _list(node)
    if tag == "table":
        return _table(node)
    if tag == "blockquote":
        quoted = "\n\n".join(_blocks(node))
        return ["\n".join(f"> {line}".rstrip() for line in quoted.splitlines())] if quoted else []
    return _blocks(node) if tag != "hr" else []


def _list(node: lxml.html.HtmlElement) -> list[str]:
    items: list[str] = []
    for child in node:
        blocks = _blocks(child) if _content(child) else []
        if blocks:
            marker = f"{len(items) + 1}. " if node.tag == "ol" else "- "
            lines = "\n".join(blocks).splitlines()
            pad = " " * len(marker)
            items.append("\n".join([marker + lines[0], *(pad + line for line in lines[1:])]))
    return ["\n".join(items)] if items else []


def _table(node: lxml.html.HtmlElement) -> list[str]:
    rows: list[list[str]] = []
    for row in node.iter("tr"):
        cells = [
            _squash(_inline(cell)).replace("|", "\\|")
            for cell in row
            if _content(cell) and cell.tag in ("td", "th")
        ]
        if any(cells):
            rows.append(cells)
    if not rows:
        return []
    width = max(len(row) for row in rows)
    lines = ["| " + " | ".join(row + [""] * (width - len(row))) + " |" for row in rows]
    lines.insert(1, "|" + " --- |" * width)
    return ["\n".join(lines)]
