"""Everything from BibTeX, YAML and Markdown is untrusted: it must land inert."""

import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.conftest import FIXTURES, build_site

UNSAFE_SCHEMES = ("javascript:", "data:", "vbscript:")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> tuple[Path, list]:
    root = tmp_path_factory.mktemp("hostile")
    shutil.copytree(FIXTURES / "hostile/content", root / "content")
    result = build_site(root)
    return root / "output", result.diagnostics


def pages(output: Path) -> dict[str, BeautifulSoup]:
    return {
        p.relative_to(output).as_posix(): BeautifulSoup(p.read_text(), "html.parser")
        for p in output.rglob("*.html")
        if p.relative_to(output).as_posix() != "embed/index.html"
    }


def test_no_script_runs(hostile):
    output, _ = hostile
    for name, soup in pages(output).items():
        for script in soup.find_all("script"):
            kind = script.get("type", "")
            src = script.get("src", "")
            assert kind == "application/ld+json" or (src and "assets/" in src and not script.string), (
                name,
                script,
            )


def test_no_event_handlers_or_dangerous_elements(hostile):
    output, _ = hostile
    for name, soup in pages(output).items():
        assert not soup.find_all(["iframe", "object", "embed", "style", "base"]), name
        # The only forms are the theme's search forms (one per page), none from the content.
        forms = soup.find_all("form")
        assert len(forms) == 1 and forms[0].get("role") == "search", (name, forms)
        assert re.fullmatch(r"(/|(\.\./)*)search/|\./", forms[0]["action"]), name
        assert [(i.name, i.get("name"), i.get("type")) for i in forms[0].find_all(["input", "button"])] == [
            ("input", "q", "search"),
            ("button", None, "submit"),
        ], name
        for tag in soup.find_all(True):
            for attr in tag.attrs:
                assert not attr.lower().startswith("on"), (name, tag)


def test_no_unsafe_urls(hostile):
    output, _ = hostile
    for name, soup in pages(output).items():
        for tag in soup.find_all(True):
            for attr in ("href", "src", "action", "formaction", "content", "srcset"):
                value = "".join(str(tag.get(attr, "")).split()).lower()
                if attr == "content" and tag.name == "meta" and not value.startswith(UNSAFE_SCHEMES):
                    continue
                assert not value.startswith(UNSAFE_SCHEMES), (name, tag)


def test_hostile_text_is_shown_as_text(hostile):
    output, _ = hostile
    soup = BeautifulSoup((output / "papers/xss1/index.html").read_text(), "html.parser")
    h1 = soup.find("h1").get_text()
    assert "<script>alert('title')</script>" in h1
    assert "\"quotes' breaking attributes" in h1


def test_unsafe_links_are_dropped_with_warnings(hostile):
    _, diags = hostile
    text = "\n".join(d.format() for d in diags)
    assert "mallory.yaml:12:3: warning: link 'homepage' is not an http(s), mailto or relative URL" in text
    assert "mallory.yaml:14:3: warning: link 'email'" in text
    assert "hostile.bib" in text and "javascript" in text.lower()


def test_markdown_is_sanitised_but_keeps_formatting(hostile):
    output, _ = hostile
    soup = BeautifulSoup((output / "people/mallory/index.html").read_text(), "html.parser")
    assert soup.find("strong", string="world")
    page = BeautifulSoup((output / "notes/index.html").read_text(), "html.parser")
    assert "Text" in page.get_text()
    assert not page.find("img", attrs={"onerror": True})


def test_a_site_may_opt_into_raw_html_for_its_own_pages(hostile):
    output, _ = hostile
    soup = BeautifulSoup((output / "embed/index.html").read_text(), "html.parser")
    assert soup.find("div", class_="own-widget", attrs={"data-x": "1"})


def test_slugs_stay_inside_output_and_never_collide(hostile):
    output, _ = hostile
    root = output.resolve()
    files = [p.resolve() for p in output.rglob("*")]
    assert all(root in p.parents for p in files)
    papers = sorted(p.name for p in (output / "papers").iterdir())
    assert "etc-passwd" in papers
    assert {"smith-2020", "smith-2020-2"} <= set(papers)  # smith:2020 and smith-2020
    assert "con-" in papers
    assert not (root.parent / "etc").exists()


def test_keys_differing_only_by_case_are_duplicates_not_overwrites(hostile):
    """BibTeX compares keys case-insensitively: the second is reported and skipped."""
    output, diags = hostile
    assert any("duplicate key 'casekey'" in d.message for d in diags)
    assert "(upper)" in (output / "papers/casekey/index.html").read_text()
