"""Markdown from profiles and pages: formatting survives, anything that could run code does not."""

from bs4 import BeautifulSoup

from generator.markup import render_markdown, shift_headings


def soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def test_formatting_is_kept() -> None:
    html = render_markdown(
        "## Research\n\nI study *language* and **vision**.\n\n- one\n- two\n\n1. first\n\n"
        "| a | b |\n|:--|--:|\n| 1 | 2 |\n\n```python\nx = 1\n```\n\n> quoted\n\nInline `code`."
    )
    doc = soup(html)
    assert doc.find("h2").get_text() == "Research"
    assert doc.find("em").get_text() == "language"
    assert doc.find("strong").get_text() == "vision"
    assert [li.get_text() for li in doc.find("ul").find_all("li")] == ["one", "two"]
    assert doc.find("ol") is not None
    assert doc.find("table").find("th")["style"] == "text-align:left"
    assert doc.find("pre").find("code")["class"] == ["language-python"]
    assert doc.find("blockquote") is not None


def test_links_and_images() -> None:
    doc = soup(
        render_markdown(
            "[web](https://example.org) [mail](mailto:me@example.org) [cv](../static/cv.pdf) "
            "![me](static/me.jpg)"
        )
    )
    hrefs = [a["href"] for a in doc.find_all("a")]
    assert hrefs == ["https://example.org", "mailto:me@example.org", "../static/cv.pdf"]
    assert all("noopener" in a["rel"] for a in doc.find_all("a"))
    assert doc.find("img")["src"] == "static/me.jpg"
    assert doc.find("img")["alt"] == "me"


def test_dangerous_markup_is_removed() -> None:
    html = render_markdown(
        "Hi <script>alert(1)</script><style>body{display:none}</style>"
        '<iframe src="https://evil.example"></iframe> <b onclick="steal()">bold</b> '
        '<img src="x.png" onerror="steal()"> [x](javascript:alert(1)) '
        '<a href="JaVaScRiPt:alert(1)">y</a> ![d](data:image/png;base64,AAAA) <form><input></form>'
    )
    lowered = html.lower()
    for bad in ("<script", "alert", "<style", "display:none", "<iframe", "onclick", "onerror", "javascript:"):
        assert bad not in lowered, bad
    assert "data:" not in lowered
    assert "<form" not in lowered and "<input" not in lowered
    doc = soup(html)
    assert doc.find("b").get_text() == "bold"
    assert all(img.get("src") for img in doc.find_all("img")), "an <img> without src is invalid HTML"
    assert all(a.get("href") or not a.get("rel") for a in doc.find_all("a")), "rel needs an href"


def test_allow_html_skips_sanitising_for_trusted_pages() -> None:
    html = render_markdown('<div class="x" onclick="go()">raw</div>\n\n*md*', allow_html=True)
    assert 'onclick="go()"' in html
    assert "<em>md</em>" in html


def test_smart_punctuation_and_sane_lists() -> None:
    html = render_markdown('"Quoted" -- and --- dashes...\n\n1. a\n2. b\n\n* c\n* d')
    assert "“Quoted”" in html and "–" in html and "—" in html and "…" in html
    doc = soup(html)
    assert len(doc.find_all("ol")) == 1 and len(doc.find_all("ul")) == 1


def test_footnote_ids_are_prefixed_and_links_still_match() -> None:
    doc = soup(render_markdown("Claim.[^1]\n\n[^1]: Source."))
    ref = doc.find("a", class_="footnote-ref")
    target_id = ref["href"].removeprefix("#")
    assert target_id.startswith("md-")
    assert doc.find(id=target_id) is not None


def test_headings_shift_to_keep_one_h1_and_their_order() -> None:
    html = render_markdown("# Top\n\n## Sub\n\n#### Deep", heading_top=2)
    assert [t.name for t in soup(html).find_all(["h1", "h2", "h3", "h4", "h5", "h6"])] == ["h2", "h3", "h5"]
    assert shift_headings("<h5>a</h5><h6>b</h6>", 5) == "<h5>a</h5><h6>b</h6>"
    assert shift_headings("<h1>a</h1><h4>b</h4>", 4) == "<h4>a</h4><h6>b</h6>"  # capped at h6
    assert shift_headings("<p>no headings</p>", 2) == "<p>no headings</p>"


def test_empty_text_gives_empty_html() -> None:
    assert render_markdown("") == ""
    assert render_markdown("  \n ") == ""
