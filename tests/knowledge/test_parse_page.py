"""A crawled page's body reaches the extraction process as bytes only: plain text is decoded
there by the response's charset, HTML is read by lxml from its bytes."""

from __future__ import annotations

from aicaller.knowledge.documentation_scraper.parse import parse_page

URL = "http://docs.example/notes.txt"


def test_plain_text_is_decoded_by_its_charset() -> None:
    body = "Café opens at nine.\nTerrasse closed.".encode("latin-1")
    parsed = parse_page(body, "iso-8859-1", "text/plain", URL, URL, None)
    assert parsed.text is not None
    assert parsed.text.markdown == "Café opens at nine.\nTerrasse closed."
    assert parsed.links == []


def test_plain_text_without_a_charset_is_utf8_and_bad_bytes_do_not_fail() -> None:
    parsed = parse_page("Über uns".encode() + b"\xff", None, "text/plain", URL, URL, None)
    assert parsed.text is not None
    assert parsed.text.markdown == "Über uns\ufffd"


def test_html_is_read_from_its_bytes_with_its_own_encoding() -> None:
    page = (
        '<html><head><meta charset="iso-8859-1"><title>Menü</title></head><body><main>'
        "<h1>Menü</h1><p>Crème brûlée every day.</p><a href='/b.html'>b</a></main></body></html>"
    ).encode("latin-1")
    url = "http://docs.example/a.html"
    parsed = parse_page(page, None, "text/html", url, url, None)
    assert parsed.text is not None
    assert "Crème brûlée every day." in parsed.text.markdown
    assert parsed.links == ["http://docs.example/b.html"]
