"""Spans unwrapped before trafilatura runs leave its output as it was (benchmarks/extraction.py
checks the same over the whole Python docs), and only the spans no rule of its can act on go."""

from __future__ import annotations

import lxml.html
import pytest

from aicaller.knowledge.documentation_scraper import extract, spans

SIGNATURE = (
    '<dt class="sig sig-object py" id="os.open"><span class="sig-prename descclassname">'
    '<span class="pre">os.</span></span><span class="sig-name descname"><span class="pre">open'
    '</span></span><span class="sig-paren">(</span><em class="sig-param"><span class="n">'
    '<span class="pre">path</span></span><span class="o"><span class="pre">=</span></span>'
    '<span class="default_value"><span class="pre">None</span></span></em>'
    '<span class="sig-paren">)</span> <span class="sig-return"><span class="sig-return-icon">'
    '&#x2192;</span> <span class="sig-return-typehint"><a class="reference internal" '
    'href="functions.html#int"><span class="pre">int</span></a></span></span>'
    '<a class="headerlink" href="#os.open">\u00b6</a></dt>'
)
PAGE = f"""<html><head><title>os</title></head><body>
<div class="related" role="navigation"><ul><li><a href="index.html">index</a></li></ul></div>
<div class="body" role="main">
<h1>os — Miscellaneous <span class="caption-text">interfaces</span></h1>
<p>This module provides a portable way of using operating system dependent functionality, with a
long enough introduction to count as the page's main content for the extractor.</p>
<dl class="py function">{SIGNATURE}<dd><p>Open the file <em>path</em> and set various flags
according to <span class="menuselection">flags</span>, see <a class="reference internal"
href="#x"><span class="std std-ref">Inheritance of File Descriptors</span></a>.</p>
<div class="versionchanged"><p><span class="versionmodified changed">Changed in version 3.4:
</span>The new file descriptor is now non-inheritable.</p></div>
<span class="hidden-note">Hidden by its class.</span><span style="display:none">styled</span>
</dd></dl>
<div><span class="loose">Loose text in a div</span><p>and a paragraph after it.</p></div>
<p>More prose after the reference, so the page ends with text as documentation pages do.</p>
</div>
<div class="sphinxsidebar" role="navigation"><h3>Navigation</h3></div></body></html>"""


def test_unwrapping_spans_keeps_the_extracted_markdown(monkeypatch: pytest.MonkeyPatch) -> None:
    fast = extract.extract_html(PAGE, url="http://docs.test/os.html")
    monkeypatch.setattr(extract, "unwrap_plain_spans", lambda document: None)
    plain = extract.extract_html(PAGE, url="http://docs.test/os.html")
    assert fast == plain
    assert "os.open(*path=None*)  int" in fast.markdown  # the icon rule drops the arrow


def test_only_spans_no_rule_can_act_on_are_unwrapped() -> None:
    document = lxml.html.document_fromstring(PAGE)
    spans.unwrap_plain_spans(document)
    left = sorted(str(span.get("class") or span.get("style")) for span in document.iter("span"))
    assert left == [
        "caption-text",  # trafilatura's caption rule would drop it
        "display:none",  # not a class alone
        "hidden-note",  # its hidden rule
        "loose",  # a div's direct text is read by readability
        "menuselection",  # its "menu" rule
        "sig-return-icon",  # its "-icon" rule
        "sig-return-typehint",  # holds a link, whose parent tag link density reads
    ]


def test_a_span_after_a_block_or_holding_one_stays() -> None:
    document = lxml.html.document_fromstring(
        "<html><body><ul><li><p>one</p><span class='x'>after a block</span></li>"
        "<li><span class='x'><b>inline</b> only</span><span class='x'><p>block</p></span></li>"
        "<li><span class='x'></span><pre><span class='x'>code</span></pre></li></ul></body></html>"
    )
    spans.unwrap_plain_spans(document)
    kept = [span.text for span in document.iter("span")]
    assert kept == ["after a block", None, None, "code"]  # block holder, empty, in a <pre>


def test_a_class_is_judged_by_trafilaturas_own_rules() -> None:
    assert spans._selectable("sig-return-icon")
    assert spans._selectable("related-links")  # readability drops it, trafilatura too
    assert spans._selectable("footnote-menu")
    assert not spans._selectable("sig-name descname")
    assert not spans._selectable("pre")
