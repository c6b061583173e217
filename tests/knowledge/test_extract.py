"""Extraction's shortcuts leave trafilatura's output as it was: code spans unwrapped before it
runs give the same markdown as the highlighted page (benchmarks/extraction.py checks the same
over the whole Python docs)."""

from __future__ import annotations

import lxml.html
import pytest

from aicaller.knowledge.documentation_scraper import extract

TOKENS = "".join(
    f'<span class="{kind}">{text}</span>'
    for kind, text in (("k", "typedef"), ("w", " "), ("k", "struct"), ("w", " "), ("p", "{"))
)
CODE = f'<div class="highlight"><pre><span></span>{TOKENS}\n<span class="w">   </span>' + (
    '<span class="kt">double</span><span class="w"> </span><span class="n">real</span>'
    '<span class="p">;</span>\n<span class="p">}</span><span class="n">Py_complex</span>'
    '<span class="p">;</span>\n</pre></div>'
)
INLINE = '<code class="docutils literal"><span class="pre">os.path</span></code>'
PAGE = f"""<html><head><title>Complex numbers</title></head><body>
<div class="body" role="main"><h1>Complex numbers</h1>
<p>Python's {INLINE} module and complex numbers, with a long enough introduction to count as
the main content of this page for the extractor, which wants a few sentences of prose.</p>
<dl><dt><span class="sig-name">Py_complex</span></dt><dd><p>The C structure which
corresponds to the value portion of a Python complex number object. It is defined as:</p>
{CODE}</dd></dl>
<p>A block of its own:</p>
{CODE}
<div class="highlight"><pre><span class="hljs-keyword">def</span> f(): <span>pass</span></pre></div>
<p>More prose after the code, so the page ends with text as documentation pages do.</p>
</div></body></html>"""


def test_unwrapping_code_spans_keeps_the_extracted_markdown(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fast = extract.extract_html(PAGE, url="http://docs.test/complex.html")
    monkeypatch.setattr(extract, "_plain_code", lambda document: None)
    monkeypatch.setattr(extract, "_PARSER", lxml.html.HTMLParser())
    plain = extract.extract_html(PAGE, url="http://docs.test/complex.html")
    assert fast == plain
    assert "Py\\_complex" in fast.markdown
    assert "os.path" in fast.markdown


def test_code_spans_are_unwrapped_but_a_blocks_verdict_stays() -> None:
    document = lxml.html.document_fromstring(PAGE)
    extract._plain_code(document)
    blocks = list(document.iter("pre"))
    # The first and last filled children stay (so trafilatura, which prunes the empty first
    # span, still sees a two-child block whose own text is empty); all between is text now.
    assert [len(block) for block in blocks] == [2, 2, 2]
    first = blocks[0][0]
    assert blocks[0].text is None
    assert first.text == "typedef"
    assert (first.tail or "").startswith(" struct {\n")
    code = document.find(".//code")
    assert code is not None
    assert code.text == "os.path"  # inline code: plain text
