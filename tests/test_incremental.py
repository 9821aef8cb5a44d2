"""Incremental builds: each cached stage gives what the plain stage gives."""

from __future__ import annotations

import dataclasses
import shutil
import tempfile
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator import exports, pagination, site_files
from generator.assemble import assemble
from generator.build import BuildOptions, build, run
from generator.cache import CACHE_DIR
from generator.config import SiteConfig
from generator.diagnostics import SourceLocation
from generator.incremental.assembler import SiteAssembler, patch_supported
from generator.incremental.bibchunks import ChunkedBibReader
from generator.incremental.engine import Engine, Settings
from generator.incremental.outputs import ExportCache
from generator.incremental.papers import PaperCache
from generator.model import Author
from generator.serve import Preview, ServeOptions
from generator.sources.bibtex import papers_from_bib, parse_bib_file
from generator.sources.files import SourceFile
from generator.write import MANIFEST

ROOT = Path(__file__).resolve().parent.parent
CHECK = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Whole blocks and the broken pieces an editor leaves behind mid-edit.
BLOCKS = [
    "@article{a1,\n  title = {One},\n  author = {Ada Lovelace and Alan Turing},\n  year = 2020\n}\n",
    "@misc{m2,\n  title = {Two {with} braces},\n  author = {Zhang, Wei},\n  date = {2021-03-04},\n"
    "  abstract = {Line one\n@not a block at line start? yes it is\nstill}\n}\n",
    '@inproceedings(p3,\n  title = "Three (paren)",\n  author = "Smith, J.",\n  year = {2019}\n)\n',
    "@article{b4,\n  title = {Unclosed,\n  author = {X Y},\n",
    "@article{c5\n  title = {Missing comma}\n}\n",
    "@article{d6,\n  title = {Stray} },\n  year = {2020}\n}\n",
    "@article{,\n  title = {No key}\n}\n",
    "% a comment line with @misc{inside,\n",
    "@comment{ jabref-meta: x;\n@misc{commented, title={Gone}}\n}\n",
    '@preamble{ "\\newcommand{\\x}{y}" }\n',
    "Free text mentioning me@home (evenings).\n",
    "  @misc{indented7,\n  title = {Indented}, author = {A B}, year = 2022}\n",
    "@misc{dup8, title = {First}, author = {A B}}\n",
    "@MISC{DUP8, title = {Second}, author = {A B}}\n",
    "@string{ acl = {Proc. of ACL} }\n",
    "@inproceedings{s9, title = {Macro}, booktitle = acl, author = {A B}, year = 2020}\n",
    "@misc{u10, title = {Ünïcödé $x^2$}, author = {Émile Zola}, year = 2001}\n",
    "@misc{ctl11, title = {Control \x01 char}, author = {A B}}\n",
    "@misc{crlf12,\r\n title = {CRLF}, author = {A B}}\r\n",
    "\n\n",
    "@misc{f13, title = {Fields}, author = {A B}, title = {Twice}, bad field = {x}}\n",
]
TEXTS = st.lists(st.sampled_from(BLOCKS), min_size=0, max_size=8)


def _file(text: str) -> SourceFile:
    return SourceFile.from_bytes("papers.bib", text.encode("utf-8"))


@CHECK
@given(TEXTS, st.lists(st.tuples(st.integers(0, 8), st.integers(0, 2), st.sampled_from(BLOCKS)), max_size=4))
def test_chunked_reader_reads_like_the_whole_file_reader(blocks, edits):
    reader = ChunkedBibReader()
    for i, delete, block in [(0, 0, None), *edits]:
        if block is not None:
            at = min(i, len(blocks))
            blocks = [*blocks[:at], block, *blocks[at + delete :]]
        file = _file("".join(blocks))
        assert reader.parse(file) == parse_bib_file(file)


@CHECK
@given(st.lists(TEXTS, min_size=1, max_size=3), st.lists(st.tuples(st.integers(0, 2), TEXTS), max_size=3))
def test_paper_cache_builds_like_papers_from_bib(files, edits):
    reader, cache = ChunkedBibReader(), PaperCache()
    for i, blocks in [(0, None), *edits]:
        if blocks is not None:
            files = [*files[:i], blocks, *files[i + 1 :]]
        parsed = [
            reader.parse(SourceFile.from_bytes(f"{n}.bib", "".join(b).encode())) for n, b in enumerate(files)
        ]
        got, want = cache.build(parsed), papers_from_bib(parsed)
        assert got.papers == want.papers
        assert set(got.diagnostics) == set(want.diagnostics)


# ---------------------------------------------------------------------------
# The whole build: random edits, then incremental output == clean output
# ---------------------------------------------------------------------------

SITE_VARIANTS = [
    "title: Lab\nbase_url: https://example.org/sub/\ngroup: The Lab\nauthors_shown: 2\n",
    "title: Ada\nbase_url: /\nauthor: ada-lovelace\nselected_first: true\n",
    "title: Lab\nbase_url: https://example.org/\ndescription: A lab.\nfooter: '**bold**'\n",
]
AUTHORS = {
    "ada-lovelace": "name: Ada Lovelace\naliases: [A. Lovelace]\ncategory: CL\nbio: Counts.\n",
    "alan-turing": "name: Alan Turing\naffiliation: Bletchley\nbio: Machines.\n",
    "grace-hopper": "name: Grace Hopper\npapers: [hopper1952]\nbio: Compilers.\n",
}
NAMES = ["Lovelace, Ada", "Turing, Alan", "Hopper, Grace", "Babbage, Charles", "A. Lovelace", "Noether, Emmy"]


def _entry(
    key: str, title: str, year: int, names: list[str], cls: str, doi: str, cited: int | None = None
) -> str:
    extra = f"  citations = {{{cited}}},\n  selected = {{true}},\n" if cited is not None else ""
    return (
        f"@misc{{{key},\n  title = {{{title}}},\n  author = {{{' and '.join(names)}}},\n"
        f"  year = {{{year}}},\n  primaryClass = {{cs.{cls}}},\n  doi = {{{doi}}},\n{extra}"
        f"  abstract = {{About {title.lower()} and $x^2$.}}\n}}\n"
    )


ENTRIES = st.builds(
    _entry,
    st.sampled_from(["ada2020", "turing1950", "hopper1952", "both2021", "x2019", "Ada2020"]),
    st.sampled_from(["Engines", "Computing Machinery", "Compilers", "A Note", "Zeta"]),
    st.integers(2018, 2022),
    st.lists(st.sampled_from(NAMES), min_size=1, max_size=4, unique=True),
    st.sampled_from(["CL", "CV", "LG"]),
    st.sampled_from(["10.1/a", "10.1/b", "10.1/c"]),
    st.sampled_from([None, 0, 12]),
)
# Citations files (content/papers/*.yaml) as a fetching script, or a hand, leaves them; None: deleted.
CITATION_TEXTS = [
    None,
    "ada2020: 12\n",
    "Ada2020:\n  citations_by_year: {2020: 3, 2021: 9}\nhopper1952: 4\n",
    "both2021: {citations: 5, citations_by_year: {2021: 2, 2022: 3}}\nx2019: 7\n",
    "hopper1952:\n  citations_by_year:\n    2022: 7\nnobody1900: 1\n",
    "ada2020: lots\n",
    "ada2020: [12\n",
]
EDITS = st.one_of(
    st.tuples(st.just("bib"), st.sampled_from(["a.bib", "b.bib"]), st.lists(ENTRIES, max_size=4)),
    st.tuples(
        st.just("bib-edit"),
        st.sampled_from(["a.bib", "b.bib"]),
        st.sampled_from(["title", "break", "year", "cited"]),
    ),
    st.tuples(
        st.just("author"),
        st.sampled_from(sorted(AUTHORS)),
        st.sampled_from(["bio", "delete", "rename", "histogram"]),
    ),
    st.tuples(
        st.just("citations"), st.sampled_from(["citations.yaml", "z.yml"]), st.sampled_from(CITATION_TEXTS)
    ),
    st.tuples(
        st.just("template"), st.sampled_from(["paper.html", "_paper_card.html", "base.html"]), st.booleans()
    ),
    st.tuples(st.just("site"), st.sampled_from(range(len(SITE_VARIANTS))), st.just(None)),
    st.tuples(st.just("page"), st.sampled_from(["About", "CV"]), st.booleans()),
    st.tuples(st.just("static"), st.sampled_from([b"one", b"two"]), st.booleans()),
)


def _write_site(content: Path) -> None:
    for folder in ("authors", "papers", "pages", "static"):
        (content / folder).mkdir(parents=True, exist_ok=True)
    (content / "site.yaml").write_text(SITE_VARIANTS[0])
    for slug, text in AUTHORS.items():
        (content / "authors" / f"{slug}.yaml").write_text(text)
    (content / "papers" / "a.bib").write_text(_entry("ada2020", "Engines", 2020, NAMES[:2], "CL", "10.1/a"))
    (content / "papers" / "b.bib").write_text(
        _entry("hopper1952", "Compilers", 2019, NAMES[2:4], "CV", "10.1/b")
    )
    (content / "pages" / "about.md").write_text("---\ntitle: About\n---\nHello.\n")


def _apply(root: Path, edit: tuple[str, object, object]) -> None:
    kind, what, how = edit
    content = root / "content"
    if kind == "bib":
        (content / "papers" / str(what)).write_text("".join(how))  # type: ignore[arg-type]
    elif kind == "bib-edit":
        path = content / "papers" / str(what)
        text = path.read_text() if path.exists() else ""
        if how == "title":
            text = text.replace("title = {", "title = {New ", 1)
        elif how == "year":
            text = text.replace("year = {20", "year = {19", 1)
        elif how == "cited":
            text = text.replace("citations = {", "citations = {3", 1)
        else:
            text += "@misc{broken,\n  title = {Unclosed\n"
        path.write_text(text)
    elif kind == "author":
        path = content / "authors" / f"{what}.yaml"
        moved = content / "authors" / f"{what}-2.yaml"
        current = path if path.exists() else moved if moved.exists() else None
        if how == "bio":
            (current or path).write_text(AUTHORS[str(what)] + "role: Fellow\n")
        elif how == "histogram":
            (current or path).write_text(AUTHORS[str(what)] + "citations_by_year: {2021: 4, 2022: 6}\n")
        elif how == "delete" and current is not None:
            current.unlink()
        elif how == "rename" and current is not None:
            current.rename(moved if current == path else path)
    elif kind == "citations":
        path = content / "papers" / str(what)
        if how is not None:
            path.write_text(str(how))
        elif path.exists():
            path.unlink()
    elif kind == "template":
        target = root / "templates" / str(what)
        if how:
            target.parent.mkdir(exist_ok=True)
            source = (ROOT / "themes" / "default" / "templates" / str(what)).read_text()
            target.write_text(
                source.replace("</h3>", "</h3><!-- override -->").replace("</main>", "<hr></main>")
            )
        elif target.exists():
            target.unlink()
    elif kind == "site":
        (content / "site.yaml").write_text(SITE_VARIANTS[int(what)])  # type: ignore[call-overload]
    elif kind == "page":
        path = content / "pages" / "about.md"
        if how:
            path.write_text(f"---\ntitle: {what}\n---\nText of {what}.\n")
        elif path.exists():
            path.unlink()
    elif kind == "static":
        path = content / "static" / "note.txt"
        if how:
            path.write_bytes(what)  # type: ignore[arg-type]
        elif path.exists():
            path.unlink()


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def _clean_build(root: Path, n: int) -> tuple[dict[str, bytes], bool]:
    """The reference: a fresh engine into an empty folder; and whether it found errors."""
    out = root / f"clean-{n}"
    result = run(Engine(Settings(root / "content", out)))
    assert result.site is not None
    return _tree(out), any(d.level == "error" for d in result.diagnostics)


@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(EDITS, min_size=1, max_size=5))
def test_incremental_builds_equal_clean_builds(edits):
    """The engine kept in memory, the build command with its cache folder, and the
    preview server (which holds back builds with errors) all give the clean build."""
    # Two papers a page, so that edits also move papers between pages of long lists.
    with tempfile.TemporaryDirectory() as tmp, mock.patch.object(pagination, "PAGE_SIZE", 2):
        root = Path(tmp)
        _write_site(root / "content")
        engine = Engine(Settings(root / "content", root / "engine"))
        preview = Preview(ServeOptions(root / "content", root / "served"))
        options = BuildOptions(root / "content", root / "output")
        for n, edit in enumerate([None, *edits]):
            if edit is not None:
                _apply(root, edit)
            run(engine)
            build(options)
            preview.rebuild(first=n == 0)
            preview.finish()
            clean, errors = _clean_build(root, n)
            assert _tree(root / "engine") == clean
            assert _tree(root / "output") == clean
            if not errors:
                preview.engine.flush()
                assert _tree(root / "served") == clean


# ---------------------------------------------------------------------------
# Dependency tracking: each kind of edit re-renders and rewrites exactly what it must
# ---------------------------------------------------------------------------


class Site:
    """The example site built by one long-lived engine, as the preview server does."""

    def __init__(self, root: Path) -> None:
        shutil.copytree(ROOT / "content", root / "content")
        self.root = root
        self.content = root / "content"
        self.output = root / "output"
        self.engine = Engine(Settings(self.content, self.output))
        self.build()

    def build(self) -> tuple[set[str], set[str], set[str]]:
        """(outputs rendered or read again, files written, files removed)."""
        before = self.mtimes()
        prepared = self.engine.prepare()
        assert not [d for d in prepared.diagnostics if d.level == "error"], prepared.diagnostics
        result = self.engine.commit(prepared)
        after = self.mtimes()
        touched = {rel for rel in after if before.get(rel) != after[rel]}
        assert touched - {MANIFEST} == set(result.written)
        return set(prepared.changed), set(result.written), set(result.removed)

    def mtimes(self) -> dict[str, int]:
        return {
            p.relative_to(self.output).as_posix(): p.stat().st_mtime_ns
            for p in self.output.rglob("*")
            if p.is_file()
        }

    def edit(self, rel: str, old: str, new: str) -> None:
        path = self.root / rel
        text = path.read_text()
        assert old in text
        path.write_text(text.replace(old, new, 1))


@pytest.fixture
def site(tmp_path: Path) -> Site:
    return Site(tmp_path)


PAGES_LISTING_SKYWORK = {"index.html", "publications/index.html", "categories/cl/index.html"}


def test_no_change_renders_and_writes_nothing(site: Site) -> None:
    assert site.build() == (set(), set(), set())


def test_a_paper_title_edit_renders_its_page_and_the_lists_showing_it(site: Site) -> None:
    site.edit("content/papers/papers.bib", "{Skywork}: A More Open", "{Skywork}: A Much More Open")
    rendered, written, removed = site.build()
    downloads = {f"papers/wei2023skywork/wei2023skywork.{ext}" for ext in ("bib", "json")}
    downloads |= {
        f"{where}papers.{ext}" for where in ("", "people/jianhao-zhang/") for ext in ("bib", "json")
    }
    index = {"search/index/docs-0.json", "search/index/terms-0.json"}  # its words and its result
    assert rendered == {
        "papers/wei2023skywork/index.html",
        "feed.xml",
        *PAGES_LISTING_SKYWORK,
        *downloads,
        *index,
    }
    assert written == rendered and not removed


def test_a_deleted_paper_disappears_with_its_folder(site: Site) -> None:
    bib = site.content / "papers" / "papers.bib"
    text = bib.read_text()
    start = text.index("@misc{wei2023skywork")
    bib.write_text(text[:start] + text[text.index("@misc{", start + 1) :])
    _, written, removed = site.build()
    assert removed == {
        f"papers/wei2023skywork/{name}"
        for name in ("index.html", "wei2023skywork.bib", "wei2023skywork.json")
    }
    assert not (site.output / "papers" / "wei2023skywork").exists()
    assert written >= PAGES_LISTING_SKYWORK
    assert not any(rel.startswith("papers/") for rel in written)


def test_a_citations_file_edit_rewrites_the_pages_showing_the_counts(site: Site) -> None:
    """Yearly counts for one paper: its page and the profile (chart, metrics) change; lists
    showing the paper are checked again but their bytes, which show no counts, stay."""
    counts = site.content / "papers" / "citations.yaml"
    counts.write_text("wei2023skywork:\n  citations_by_year: {2023: 4, 2024: 10}\n")
    rendered, written, removed = site.build()
    assert written == {"index.html", "papers/wei2023skywork/index.html"} and not removed
    assert rendered >= written
    assert not [r for r in rendered if r.startswith("papers/") and "wei2023skywork" not in r]
    assert "Citations per year, 2023–2024: 14 in total" in (site.output / "index.html").read_text()
    counts.write_text("wei2023skywork:\n  citations_by_year: {2023: 4, 2024: 10}\n# a comment\n")
    assert site.build() == (set(), set(), set())  # the same counts: nothing to do
    counts.unlink()
    _, written, _ = site.build()
    assert written == {"index.html", "papers/wei2023skywork/index.html"}
    assert "Citations per year" not in (site.output / "index.html").read_text()


def test_a_profile_histogram_edit_renders_the_profile_only(site: Site) -> None:
    profile = site.content / "authors" / "jianhao-zhang.yaml"
    profile.write_text(profile.read_text() + "citations_by_year:\n  2023: 5\n  2024: 7\n")
    rendered, written, _ = site.build()
    assert written == {"index.html"}
    assert [r for r in rendered if r.endswith(".html")] == ["index.html"]


def test_a_template_edit_renders_the_pages_that_use_it(site: Site) -> None:
    overrides = site.root / "templates"
    overrides.mkdir()
    paper = (ROOT / "themes" / "default" / "templates" / "paper.html").read_text()
    (overrides / "paper.html").write_text(paper.replace("{% block content %}", "{% block content %}<hr>"))
    rendered, written, _ = site.build()
    assert (
        rendered == written == {p for p in site.mtimes() if p.startswith("papers/") and p.endswith(".html")}
    )
    card = (ROOT / "themes" / "default" / "templates" / "_paper_card.html").read_text()
    (overrides / "_paper_card.html").write_text(card.replace("</h3>", "</h3><hr>"))
    rendered, _, _ = site.build()
    assert rendered == PAGES_LISTING_SKYWORK | {
        "categories/cv/index.html",
        "categories/lg/index.html",
    } & set(site.mtimes())


def test_a_css_edit_writes_the_stylesheet_only(site: Site) -> None:
    static = site.root / "themes" / "default" / "static"
    static.mkdir(parents=True)
    (static / "style.css").write_text("body { color: red }\n")
    rendered, written, _ = site.build()
    assert rendered == written == {"assets/style.css"}


def test_site_yaml_renders_every_page(site: Site) -> None:
    site.edit("content/site.yaml", "title: Jianhao Zhang", "title: Another Title")
    rendered, _, _ = site.build()
    assert {p for p in site.mtimes() if p.endswith(".html")} <= rendered


def test_a_renamed_author_moves_their_pages(site: Site) -> None:
    (site.content / "site.yaml").write_text("title: Lab\ngroup: The Lab\n")
    (site.content / "authors" / "ada-lovelace.yaml").write_text("name: Ada Lovelace\n")
    site.build()
    assert (site.output / "people" / "ada-lovelace" / "index.html").exists()
    (site.content / "authors" / "ada-lovelace.yaml").rename(site.content / "authors" / "ada-king.yaml")
    _, written, removed = site.build()
    assert "people/ada-lovelace/index.html" in removed and "people/ada-king/index.html" in written
    assert not (site.output / "people" / "ada-lovelace").exists()


def test_a_second_build_command_writes_nothing(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "content", tmp_path / "content")
    options = BuildOptions(tmp_path / "content", tmp_path / "output")
    first = build(options)
    assert first.write.written and (tmp_path / CACHE_DIR).is_dir()
    second = build(options)
    assert second.write.written == [] and second.write.removed == [] and second.rendered == 0


def test_a_corrupt_or_foreign_cache_is_ignored(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "content", tmp_path / "content")
    options = BuildOptions(tmp_path / "content", tmp_path / "output")
    build(options)
    for cache in (tmp_path / CACHE_DIR).glob("*.pickle"):
        cache.write_bytes(b"scholarpages-cache\n0.0 other\n garbage")
    result = build(options)
    assert result.site is not None and result.write.written == []  # same bytes: nothing rewritten
    for cache in (tmp_path / CACHE_DIR).glob("*.pickle"):
        cache.write_bytes(cache.read_bytes()[:100])
    assert build(options).write.written == []
    (tmp_path / "output" / "index.html").write_text("changed by hand")
    assert build(options).write.written == ["index.html"]


def test_long_lists_continue_on_further_pages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pagination, "PAGE_SIZE", 4)
    site = Site(tmp_path)
    first = (site.output / "publications" / "index.html").read_text()
    second = (site.output / "publications" / "page" / "2" / "index.html").read_text()
    assert first.count('class="paper-card') == 4 and second.count('class="paper-card') == 2
    assert '<nav class="pagination" aria-label="Pages of this list">' in first
    assert 'href="page/2/" rel="next"' in first and "Papers 1–4 of 6" in first
    assert (
        'href="../../" rel="prev"' in second
        and 'aria-current="page"><span class="visually-hidden">Page </span>2' in second
    )
    assert "(page 2 of 2)" in second and "6 Papers" in second
    assert (site.output / "page" / "2" / "index.html").exists()  # the owner's profile, at home
    monkeypatch.setattr(pagination, "PAGE_SIZE", 500)
    site.engine = Engine(Settings(site.content, site.output), site.engine.records)
    _, _, removed = site.build()
    assert {"publications/page/2/index.html", "page/2/index.html"} <= removed
    assert "pagination" not in (site.output / "publications" / "index.html").read_text()


def test_every_download_the_views_link_to_is_written(site: Site) -> None:
    loaded = site.engine.loader.load(site.content)
    assert set(site_files.export_sources(loaded.site)) <= set(site.mtimes())


def test_joined_csl_json_equals_the_exporter(site: Site) -> None:
    papers = site.engine.loader.load(site.content).site.papers
    cache = ExportCache()
    for n in range(len(papers) + 1):
        assert cache.csl_json(papers[:n]) == exports.csl_json(papers[:n])


def test_the_site_patch_mirrors_assemble() -> None:
    """The incremental assembler patches the site the way assemble() builds it; when
    assemble() or Site.create change, it switches itself off (and this test says so:
    update generator/incremental/assembler.py, then its KNOWN_* names)."""
    assert patch_supported()


# One big file of papers, and profiles, edited again and again: the patched site is the
# assembled one.
PATCH_AUTHORS = (
    Author("ada-lovelace", "Ada Lovelace", SourceLocation("a.yaml", 1), aliases=("A. Lovelace",)),
    Author("grace-hopper", "Grace Hopper", SourceLocation("g.yaml", 1), paper_keys=("k3", "k7")),
    Author("alan-turing", "Alan Turing", SourceLocation("t.yaml", 1)),
)
PATCH_EDITS = st.tuples(
    st.integers(0, 30),
    st.sampled_from(["title", "year", "authors", "delete", "add", "rename", "swap"])
    | st.sampled_from(["role", "avatar", "metric", "alias", "claim"]),  # a profile edited
    st.integers(0, 5),
)


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.integers(2, 30), st.lists(PATCH_EDITS, min_size=1, max_size=8), st.booleans())
def test_the_patched_site_is_the_assembled_site(count, edits, owner):
    entries = [
        [f"k{i}", f"Title {i % 7}", 2000 + i % 5, NAMES[i % 6 : i % 6 + 1 + i % 2]] for i in range(count)
    ]
    config = SiteConfig(author="ada-lovelace") if owner else SiteConfig()
    authors = list(PATCH_AUTHORS[:1] if owner else PATCH_AUTHORS)
    reader, cache, assembler = ChunkedBibReader(), PaperCache(), SiteAssembler()
    where = SourceLocation("site.yaml", 1)
    for n, (at, how, value) in enumerate([(0, "", 0), *edits]):
        person = authors[at % len(authors)]
        if how == "role":
            authors[at % len(authors)] = dataclasses.replace(person, role=f"Role {value}")
        elif how == "avatar":
            authors[at % len(authors)] = dataclasses.replace(person, avatar="static/me.jpg" * (value % 2))
        elif how == "metric":
            authors[at % len(authors)] = dataclasses.replace(
                person, metric_overrides=(("Talks", str(value)),)
            )
        elif how == "alias":
            authors[at % len(authors)] = dataclasses.replace(person, aliases=(NAMES[value],))
        elif how == "claim":
            authors[at % len(authors)] = dataclasses.replace(person, paper_keys=(f"k{value}", "nothing"))
        elif entries and how:
            i = at % len(entries)
            if how == "title":
                entries[i][1] = f"Retitled {value}"
            elif how == "year":
                entries[i][2] = 1999 + value
            elif how == "authors":
                entries[i][3] = [NAMES[value]]
            elif how == "delete":
                del entries[i]
            elif how == "add":
                entries.insert(i, [f"new{n}", f"Title {value}", 2000 + value, [NAMES[value]]])
            elif how == "rename":
                entries[i][0] = f"r{n}{entries[i][0]}"
            else:
                entries.insert(value % len(entries), entries.pop(i))
        text = "".join(_entry(k, t, y, a, "CL", f"10.1/{k}") for k, t, y, a in entries)
        papers = cache.build([reader.parse(_file(text))]).papers
        got = assembler.assemble(config, where, tuple(authors), papers, ())
        want = assemble(config, where, tuple(authors), papers, ())
        assert got[0] == want[0]
        assert set(got[1]) == set(want[1])
