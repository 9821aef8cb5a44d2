from pathlib import Path

from generator.sources.files import SourceFile
from generator.sources.pages import read_page


def read(text: str, name: str = "cv.md"):
    page, diags = read_page(SourceFile.from_bytes(f"content/pages/{name}", text.encode(), Path(name)))
    return page, [d.format() for d in diags]


def test_front_matter_and_body():
    page, diags = read(
        "---\ntitle: Curriculum vitae\nnav_order: 2\ndescription: My CV\n---\n\n# CV\n\nText\n"
    )
    assert diags == []
    assert page is not None
    assert (page.slug, page.title, page.nav_order, page.description) == ("cv", "Curriculum vitae", 2, "My CV")
    assert page.body_markdown == "# CV\n\nText\n"
    assert page.source.line == 7
    assert page.raw_html is False


def test_slug_and_raw_html_opt_in():
    page, _ = read("---\ntitle: T\nslug: ../../etc/Teaching Notes\nraw_html: true\n---\nx")
    assert page is not None
    assert page.slug == "etc-teaching-notes"
    assert page.raw_html is True


def test_missing_title_falls_back_to_file_name():
    page, diags = read("Just text\n", "teaching-notes.md")
    assert page is not None and page.title == "Teaching Notes"
    assert diags[0].startswith("content/pages/teaching-notes.md:1: warning: page has no title")


def test_bad_front_matter_yaml_is_an_error_with_the_file_line():
    page, diags = read("---\ntitle: [oops\n---\nbody\n")
    assert page is None
    assert diags[0].startswith("content/pages/cv.md:3:1: error: YAML syntax error")


def test_unclosed_front_matter():
    page, diags = read("---\ntitle: x\nbody\n")
    assert page is None
    assert "never closed" in diags[0]


def test_front_matter_must_be_a_mapping():
    page, diags = read("---\n- a\n---\nbody\n")
    assert page is None
    assert "front matter must be a mapping" in diags[0]


def test_reserved_slug():
    page, diags = read("---\ntitle: Papers\n---\n", "papers.md")
    assert page is None
    assert "page slug 'papers' is used by the generated site" in diags[0]
