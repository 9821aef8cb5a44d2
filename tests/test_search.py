"""Search: the static index holds every paper and person, and the query rules (those of
search.js, mirrored by generator.search.search) find a paper by any word of it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import search
from generator.model import AuthorRef, Paper, PaperDate, PersonName
from tests.conftest import FIXTURES, ROOT, build_site
from tests.test_lab_site import Lab, build_lab, target


def index_of(output: Path) -> dict[str, bytes]:
    folder = output / search.INDEX_DIR
    return {f"{search.INDEX_DIR}{p.name}": p.read_bytes() for p in folder.iterdir()}


def found_paths(output: Path, query: str) -> list[str]:
    return [row[0] for row in search.search(index_of(output), query, limit=1000)]


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Lab:
    return build_lab(tmp_path_factory.mktemp("lab-search"))


# --------------------------------------------------------------------------- words


def test_terms_fold_accents_case_and_drop_stop_words() -> None:
    assert search.terms("Schrödinger’s naïve Ćat in the Zürich LAB") == {
        "schrodinger",
        "naive",
        "cat",
        "zurich",
        "lab",
    }
    assert search.terms("a x — 7 δ") == set()  # one-character words are not indexed
    assert search.terms("東京大学 and Łódź") == {"東京大学", "lodz"}  # Ł is folded: no combining mark
    assert search.terms("Weiß, Sørensen, Ærø") == {"weiss", "sorensen", "aero"}
    assert search.terms("x" * 100) == {"x" * search.MAX_TERM}


def test_a_word_and_its_completions_share_a_bucket() -> None:
    buckets = 64
    assert len({search.bucket_of(w, buckets) for w in ("transformer", "transfer", "tr")}) == 1
    # The hash is FNV-1a over code points; search.js computes the same numbers.
    assert search.bucket_of("a", 2**32) == 0xE40C292C  # the FNV-1a 32-bit test vector of "a"
    assert search.bucket_of("東京", 2**32) == search.bucket_of("東京大学", 2**32)


def test_bucket_count_grows_with_the_site_in_powers_of_two() -> None:
    counts = [search.bucket_count(n) for n in (1, 10, 100, 1_000, 10_000, 10**7)]
    assert counts == sorted(counts) and counts[0] == 1 and counts[-1] == search.MAX_BUCKETS
    assert all(c & (c - 1) == 0 for c in counts)


def _paper(key: str, title: str, abstract: str = "", given: str = "Ada", family: str = "Lovelace") -> Paper:
    return Paper(
        key=key,
        entry_type="article",
        title=title,
        authors=(AuthorRef(PersonName(given=given, family=family)),),
        source=None,  # type: ignore[arg-type]
        date=PaperDate(2020),
        abstract=abstract,
        slug=key,
    )


def test_every_word_must_match_and_title_matches_rank_first() -> None:
    docs = [
        search.paper_doc(_paper("a", "Sorting networks", "We study graphs of cogs.")),
        search.paper_doc(_paper("b", "Graphs of cogs", "Sorting comes later.")),
        search.paper_doc(_paper("c", "Unrelated", "Nothing here.")),
    ]
    files = search.index_files(docs)
    assert [r[0] for r in search.search(files, "graph")] == ["papers/b/", "papers/a/"]
    assert [r[0] for r in search.search(files, "sorting cogs")] == ["papers/a/", "papers/b/"]
    assert search.search(files, "sorting unrelated") == []
    assert search.search(files, "the of") == []  # only stop words: nothing to look for
    assert [r[0] for r in search.search(files, "lovelace")] == ["papers/a/", "papers/b/", "papers/c/"]


# --------------------------------------------------------------------------- a built site


def test_the_index_lists_every_paper_and_person_of_the_lab(lab: Lab) -> None:
    files = index_of(lab.output)
    meta = json.loads(files[search.meta_path()])
    rows = [
        row for i in range(search.doc_chunks(meta["docs"])) for row in json.loads(files[search.docs_path(i)])
    ]
    site = lab.result.site
    assert site is not None
    assert len(rows) == meta["docs"] == len(site.papers) + len(site.authors)
    paths = {row[0] for row in rows}
    assert {f"papers/{p.slug}/" for p in site.papers} <= paths
    assert {f"people/{a.slug}/" for a in site.authors} <= paths
    for path in paths:  # every result leads to a page that exists
        assert (lab.output / path / "index.html").is_file(), path
    assert set(files) == set(search.file_paths(meta["docs"]))


def test_a_word_of_an_abstract_finds_its_paper(lab: Lab) -> None:
    site = lab.result.site
    assert site is not None
    for paper in site.papers:
        for word in sorted(search.terms(paper.abstract))[:3]:
            assert f"papers/{paper.slug}/" in found_paths(lab.output, word), (paper.key, word)
    assert (
        found_paths(lab.output, "cogs")[0]
        == "papers/" + next(p.slug for p in site.papers if "cogs" in p.abstract) + "/"
    )


def test_people_are_found_by_name_and_a_typed_prefix(lab: Lab) -> None:
    assert found_paths(lab.output, "grace hop")[0] == "people/grace-hopper/"
    assert found_paths(lab.output, "TURING")[0] == "people/alan-turing/"


def test_the_search_page_and_the_header_form(lab: Lab) -> None:
    page = lab.page("search")
    form = page.select_one("form[data-search]")
    assert form is not None and form["action"] == "./" and form["method"] == "get"
    assert form["data-index"] == "index/" and form["data-root"] == "../"
    field = page.select_one("#search-q")
    assert field is not None and field["name"] == "q"
    label = page.select_one("label[for=search-q]")
    assert label is not None and label.get_text(strip=True) == "Search papers and people"
    assert page.select_one("[data-search-status][role=status]") is not None
    fallback = page.select_one("noscript a")
    assert fallback is not None and target("search/", str(fallback["href"])) == "publications/"
    assert page.select_one(".site-search") is None  # one search form on the search page
    assert any(s["src"].endswith("search.js") for s in page.select("script[src]"))
    for path in ("", "people/ada-lovelace", "publications"):
        doc = lab.page(path)
        header = doc.select_one("header form[role=search]")
        assert header is not None, path
        assert target(f"{path}/" if path else "", str(header["action"])) == "search/"
        assert header.select_one("input[name=q][type=search]") is not None
        assert doc.select_one(f"label[for={header.select_one('input')['id']}]") is not None  # type: ignore[index]


def test_the_search_page_is_left_out_of_the_sitemap_and_of_indexing(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "content", tmp_path / "content")
    result = build_site(tmp_path, base_url="https://example.org/")
    assert not [d for d in result.diagnostics if d.level == "error"]
    sitemap = (tmp_path / "output" / "sitemap.xml").read_text()
    assert "https://example.org/publications/" in sitemap and "/search/" not in sitemap
    page = BeautifulSoup((tmp_path / "output" / "search" / "index.html").read_text(), "html.parser")
    assert page.select_one("meta[name=robots]")["content"] == "noindex"  # type: ignore[index]


def test_search_false_leaves_out_the_page_the_form_and_the_index(site_dir: Path) -> None:
    config = site_dir / "content" / "site.yaml"
    config.write_text(config.read_text() + "search: false\n")
    result = build_site(site_dir)
    assert not result.diagnostics
    output = site_dir / "output"
    assert not (output / "search").exists()
    home = BeautifulSoup((output / "index.html").read_text(), "html.parser")
    assert home.select_one("form[role=search]") is None


def test_an_edit_rewrites_only_the_index_files_it_touches(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "larger_site" / "content", tmp_path / "content")
    first = build_site(tmp_path)
    assert first.site is not None and not [d for d in first.diagnostics if d.level == "error"]
    folder = tmp_path / "output" / search.INDEX_DIR
    before = {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}
    assert len(before) > 3  # several terms files, or the test would prove nothing
    paper, bib = next(
        (p, Path(p.source.path))
        for p in first.site.papers
        if p.title.isascii() and p.title in Path(p.source.path).read_text()
    )
    bib.write_text(bib.read_text().replace(paper.title, paper.title + " Zymurgy", 1))
    result = build_site(tmp_path)
    assert not [d for d in result.diagnostics if d.level == "error"]
    after = {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}
    changed = {name for name in after if after[name] != before.get(name)}
    bucket = search.bucket_of("zymurgy", json.loads((folder / "meta.json").read_text())["buckets"])
    assert f"terms-{bucket}.json" in changed and "docs-0.json" in changed
    assert "meta.json" not in changed and len(changed) <= 3
    assert found_paths(tmp_path / "output", "zymurgy") == [f"papers/{paper.slug}/"]


# --------------------------------------------------------------------------- in a browser

BROWSER_QUERIES = (
    "sorting",
    "dvorak",
    "Dvořák",
    "nguyen okafor",
    "weiss",
    "Weiß",
    "comp",
    "zzzz-nothing",
    "the",
)


@pytest.mark.slow
def test_the_search_page_in_headless_chromium(tmp_path: Path) -> None:
    """search.js in Chromium finds what generator.search finds (same words, buckets, ranking),
    with the keyboard alone, with no axe violation; without JavaScript it says so."""
    from tests.test_audit import audit

    try:
        audit.ensure_tools()
    except audit.ToolsUnavailable as exc:
        pytest.skip(f"browser tools unavailable: {exc}")
    content = FIXTURES / "larger_site" / "content"
    output = tmp_path / "output"
    with audit.serve(output) as base:
        audit.build(content, output, base)
        follow = "compilers"
        args = {"url": base, "queries": BROWSER_QUERIES, "follow": follow, "more": "co"}
        got = audit._node("search.mjs", args, timeout=300)
    files = index_of(output)
    assert len(files) > 4  # several terms files: the bucket hash is exercised
    assert not got["errors"], got["errors"]
    for answer in got["queries"]:
        expected = [base + row[0] for row in search.search(files, answer["query"])]
        assert [r["href"] for r in answer["results"]] == expected, answer["query"]
    by_query = {a["query"]: a for a in got["queries"]}
    assert by_query["sorting"]["results"] and by_query["sorting"]["status"].endswith("for “sorting”.")
    assert by_query["dvorak"]["results"] == by_query["Dvořák"]["results"] != []
    assert by_query["nguyen okafor"]["results"]  # Nguyễn, typed without accents, and a co-author
    assert by_query["weiss"]["results"] == by_query["Weiß"]["results"] != []
    assert by_query["comp"]["results"]  # the start of a word is enough
    assert by_query["zzzz-nothing"]["status"] == "No results for “zzzz-nothing”."
    assert by_query["the"]["results"] == []
    first = search.search(files, follow)[0]
    assert got["keyboard"] == {"focused": first[1], "landed": base + first[0]}
    assert got["fromAddress"]["status"].endswith(f"for “{follow}”.")
    every = [row[1] for row in search.search(files, "co", limit=1000)]
    assert len(every) > 20  # more than one page of results, or paging would not be tested
    assert got["paging"] == {
        "before": 20,
        "after": len(every),
        "focused": every[20],
        "moreHidden": True,
        "titles": every,
    }
    assert got["axe"] == []
    assert "needs JavaScript" in got["noscript"] and "publications page" in got["noscript"]


WORDS = ("graph", "graphs", "cog", "cogs", "sorting", "engine", "zürich", "東京", "ab", "abc", "x1")


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.lists(st.sampled_from(WORDS), max_size=6), min_size=1, max_size=8),
    st.lists(st.tuples(st.integers(0, 7), st.lists(st.sampled_from(WORDS), max_size=6)), max_size=6),
)
def test_a_patched_index_has_the_bytes_of_a_fresh_one(
    texts: list[list[str]], edits: list[tuple[int, list[str]]]
) -> None:
    """An edit patches the kept index (the preview server's path): same files as a clean build."""
    papers = [
        _paper(f"p{i}", " ".join(words) or "Untitled", abstract=" ".join(words[::-1]))
        for i, words in enumerate(texts)
    ]
    docs = [search.paper_doc(p) for p in papers]
    index = search.build_index(docs)
    for at, words in edits:
        if at >= len(docs):
            continue
        docs = list(docs)
        docs[at] = search.paper_doc(
            _paper(f"p{at}", " ".join(words) or "Untitled", abstract="cogs " + " ".join(words))
        )
        patched = search.update_index(index, docs)
        assert patched is not None
        index = patched
        assert index.files == search.index_files(docs)
    assert search.update_index(index, docs[:-1]) is None  # a paper less: built afresh
