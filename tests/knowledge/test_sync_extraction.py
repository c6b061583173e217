"""Page extraction: the main landmark converted directly, trafilatura for other pages."""

from __future__ import annotations

from aicaller.knowledge.documentation_scraper.extract import extract_html

SPHINX_LIKE = """<html><head><title>os - Python docs</title></head><body>
<div class="related" role="navigation"><a href="/genindex">index</a> | modules</div>
<div class="body" role="main">
<section id="os"><h1>os — Operating system interfaces<a class="headerlink" href="#os">¶</a></h1>
<p>This module provides a <em>portable</em> way of using <code class="docutils literal">
<span class="pre">operating</span> <span class="pre">system</span></code> functionality.</p>
<nav class="contents">On this page: Files | Processes</nav>
<section><h2>Files<a class="headerlink" href="#files">¶</a></h2>
<ul><li><p>Open a file</p><ul><li>Read it</li><li>Write it</li></ul></li><li>Close it</li></ul>
<div class="highlight"><pre><span class="k">import</span> <span class="nn">os</span>
<span class="n">os</span><span class="o">.</span><span class="n">getcwd</span>()
</pre></div>
<table><tr><th>Mode</th><th>Meaning</th></tr><tr><td>r</td><td>read | only</td></tr></table>
<p style="display: none">Hidden text.</p>
</section></section></div>
<div class="sphinxsidebar" role="complementary"><h3>Table of Contents</h3></div>
</body></html>"""


def test_a_page_with_a_main_landmark_keeps_its_structure() -> None:
    page = extract_html(SPHINX_LIKE, url="http://docs.example/os.html")
    assert page.title == "os — Operating system interfaces"
    assert page.markdown == (
        "# os — Operating system interfaces\n\n"
        "This module provides a *portable* way of using `operating system` functionality.\n\n"
        "## Files\n\n"
        "- Open a file\n  - Read it\n  - Write it\n- Close it\n\n"
        "```\nimport os\nos.getcwd()\n```\n\n"
        "| Mode | Meaning |\n| --- | --- |\n| r | read \\| only |"
    )
    assert "http://docs.example/genindex" in page.links  # links come from the whole page


def test_a_page_without_a_landmark_goes_through_trafilatura() -> None:
    body = " ".join(["Our clinic opens at eight and closes at five on weekdays."] * 6)
    html = (
        "<html><head><title>Hours</title></head><body><nav>Home | Team | Contact</nav>"
        f"<article><h1>Opening hours</h1><p>{body}</p><h2>Holidays</h2><p>{body}</p></article>"
        "<footer>Copyright Demo Dental</footer></body></html>"
    )
    page = extract_html(html)
    assert "## Holidays" in page.markdown
    assert "Copyright" not in page.markdown
    assert "Home | Team" not in page.markdown


def test_a_landmark_holding_little_of_the_page_is_not_taken_for_the_content() -> None:
    text = " ".join(["Refunds are issued within fourteen days of the request."] * 10)
    html = (
        "<html><body><main><p>Loading…</p></main>"
        f"<div class='content'><h1>Refunds</h1><p>{text}</p></div></body></html>"
    )
    assert "fourteen days" in extract_html(html).markdown
