"""URLs between pages must resolve to the right file at a domain root and under a sub-path."""

from urllib.parse import urljoin

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.urls import absolute_url, is_external, relative_url, root_relative_url, safe_href


@pytest.mark.parametrize(
    ("from_path", "to_path", "expected"),
    [
        ("", "", "./"),
        ("", "papers/x/", "papers/x/"),
        ("", "assets/style.css", "assets/style.css"),
        ("papers/x/", "", "../../"),
        ("papers/x/", "papers/y/", "../y/"),
        ("papers/x/", "papers/x/", "./"),
        ("papers/x/", "assets/style.css", "../../assets/style.css"),
        ("people/ana/", "people/", "../"),
        ("people/", "people/ana/", "ana/"),
        ("a/b/c/", "a/d/", "../../d/"),
        ("about/", "static/cv.pdf", "../static/cv.pdf"),
        ("404.html", "publications/", "publications/"),
        ("404.html", "", "./"),
    ],
)
def test_relative_url(from_path: str, to_path: str, expected: str) -> None:
    assert relative_url(from_path, to_path) == expected


def test_fragments_and_queries_are_kept() -> None:
    assert relative_url("papers/x/", "papers/x/#bibtex") == "#bibtex"
    assert relative_url("", "papers/x/#bibtex") == "papers/x/#bibtex"
    assert relative_url("papers/x/", "#top") == "#top"
    assert relative_url("papers/x/", "search/?q=a#r") == "../../search/?q=a#r"
    assert relative_url("", "?q=1") == "./?q=1"


def test_external_urls_pass_through() -> None:
    for url in (
        "https://example.org/a?b#c",
        "http://x.y/",
        "mailto:me@example.org",
        "//cdn.example.org/x.js",
    ):
        assert relative_url("papers/x/", url) == url
        assert absolute_url("https://u.github.io/repo/", url) == url
        assert is_external(url)
    assert not is_external("papers/x/")


def test_odd_paths() -> None:
    assert relative_url("papers/x/", "/publications/") == "../../publications/"  # site root, not host root
    assert relative_url("static/", "static/a:b.pdf") == "./a:b.pdf"  # not read as a URL scheme
    assert relative_url("", "static/my file.pdf") == "static/my%20file.pdf"
    assert relative_url("", "static/my%20file.pdf") == "static/my%20file.pdf"  # not encoded twice
    assert relative_url("papers/x/", "papers/./y/../z/") == "../z/"
    assert relative_url("papers/x/", "../../../etc/") == "../../etc/"  # cannot climb above the site


SEGMENT = st.text(alphabet="abcxyz0-", min_size=1, max_size=6)
PAGE = st.lists(SEGMENT, max_size=4).map(lambda parts: "".join(f"{p}/" for p in parts))
FILE = st.tuples(PAGE, SEGMENT).map(lambda t: f"{t[0]}{t[1]}.css")


@given(from_path=PAGE, to_path=st.one_of(PAGE, FILE))
def test_relative_urls_resolve_to_the_target_under_any_base(from_path: str, to_path: str) -> None:
    for base in ("https://example.org/", "https://user.github.io/repo/", "file:///home/me/site/"):
        assert urljoin(base + from_path, relative_url(from_path, to_path)) == base + to_path


@pytest.mark.parametrize(
    ("base", "path", "expected"),
    [
        ("https://user.github.io/repo/", "papers/x/", "https://user.github.io/repo/papers/x/"),
        ("https://user.github.io/repo", "papers/x/", "https://user.github.io/repo/papers/x/"),
        ("https://example.org/", "", "https://example.org/"),
        ("https://example.org", "/papers/x/", "https://example.org/papers/x/"),
        ("/", "papers/x/", "/papers/x/"),
        ("", "papers/x/#bibtex", "/papers/x/#bibtex"),
    ],
)
def test_absolute_url(base: str, path: str, expected: str) -> None:
    assert absolute_url(base, path) == expected


def test_root_relative_url_for_pages_served_anywhere() -> None:
    assert root_relative_url("https://user.github.io/repo/", "papers/x/") == "/repo/papers/x/"
    assert root_relative_url("https://user.github.io/repo", "") == "/repo/"
    assert root_relative_url("/", "assets/style.css") == "/assets/style.css"
    assert root_relative_url("https://example.org", "publications/") == "/publications/"


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "java\nscript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "",
        "   ",
    ],
)
def test_safe_href_rejects_urls_that_run_code(url: str) -> None:
    assert safe_href(url) is None


@pytest.mark.parametrize(
    "url",
    [
        "https://x.org/a",
        "http://x.org",
        "mailto:a@b.org",
        "static/cv.pdf",
        "../x/",
        "#frag",
        "//host/x",
        "a/b:c",
    ],
)
def test_safe_href_keeps_ordinary_links(url: str) -> None:
    assert safe_href(url) == url
