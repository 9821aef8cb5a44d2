"""The catalogue of bad inputs: each gives `path:line[:col]: level: what (hint)`, and the rest builds.

Every case writes one broken file into a copy of the example site, builds it,
and checks the exact message and that the example's pages are still there.
docs/errors.md lists the same messages for users.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import ROOT, build_site

EXAMPLE_PAGES = ("index.html", "papers/wei2023skywork/index.html", "publications/index.html")

# (case id, file written under content/, its bytes, expected message, paper pages the build must produce)
CASES: list[tuple[str, str, bytes, str, tuple[str, ...]]] = [
    (
        "bib-unbalanced-braces",
        "papers/bad.bib",
        b"@article{unb,\n  title = {Unclosed {brace},\n  author = {A, B},\n  year = 2020,\n}\n\n"
        b"@misc{ok1, title={Fine}, author={C, D}, year={2021}}\n",
        "content/papers/bad.bib:1: error: entry 'unb' could not be read: it is not closed before the "
        "next entry "
        "(add the missing '}', or a ',' between fields)",
        ("ok1",),
    ),
    (
        "bib-missing-comma",
        "papers/bad.bib",
        b"@article{mc,\n  title = {No comma}\n  author = {A, B},\n  year = 2020\n}\n",
        "content/papers/bad.bib:2: error: field 'title' of entry 'mc': missing comma after the value "
        "(add ',')",
        (),
    ),
    (
        "bib-duplicate-key-in-file",
        "papers/bad.bib",
        b"@misc{d1, title={One}, author={A, B}, year={2020}}\n@misc{d1, title={Two}, author={A, B}, "
        b"year={2020}}\n",
        "content/papers/bad.bib:2: error: duplicate key 'd1' (first defined at content/papers/bad.bib:1; "
        "rename one of them)",
        ("d1",),
    ),
    (
        "bib-duplicate-key-across-files",
        "papers/zz.bib",
        b"@misc{wei2023skywork, title={Again}, author={A, B}, year={2020}}\n",
        "content/papers/zz.bib:1: error: duplicate key 'wei2023skywork' (first defined at "
        "content/papers/papers.bib:6; rename one of them)",
        ("wei2023skywork",),
    ),
    (
        "bib-no-title",
        "papers/bad.bib",
        b"@misc{nt, author={A, B}, year={2020}}\n",
        "content/papers/bad.bib:1: warning: entry 'nt' has no title; it is skipped (add title = {...})",
        (),
    ),
    (
        "bib-no-author",
        "papers/bad.bib",
        b"@misc{na, title={No author}, year={2020}}\n",
        "content/papers/bad.bib:1: warning: entry 'na' has no author or editor (add author = {First "
        "Last and ...})",
        ("na",),
    ),
    (
        "bib-unknown-type",
        "papers/bad.bib",
        b"@webpagex{ut, title={Unknown}, author={A, B}, year={2020}}\n",
        "content/papers/bad.bib:1: warning: unknown entry type '@webpagex' of 'ut' is read as @misc "
        "(use a BibTeX or biblatex type such as @article or @inproceedings)",
        ("ut",),
    ),
    (
        "bib-bad-month",
        "papers/bad.bib",
        b"@misc{bm, title={Bad month}, author={A, B}, year={2020}, month={Octember}}\n",
        "content/papers/bad.bib:1: warning: month 'Octember' is not a month name or number (entry 'bm') "
        "(fix the field; only the valid part is used)",
        ("bm",),
    ),
    (
        "bib-string-used-before-definition",
        "papers/bad.bib",
        b"@misc{sb, title={Macro}, author={A, B}, year={2020}, journal=jml}\n@string{jml = {Journal "
        b"of ML}}\n",
        "content/papers/bad.bib:1: warning: macro 'jml' is used before its @string definition (line 2) "
        "(move the @string above its first use; other BibTeX tools reject this order)",
        ("sb",),
    ),
    (
        "bib-crossref-missing",
        "papers/bad.bib",
        b"@inproceedings{cr, title={Child}, author={A, B}, crossref={nope}}\n",
        "content/papers/bad.bib:1: warning: entry 'cr' has crossref 'nope', which is not defined "
        "(add the referenced entry or remove the crossref field)",
        ("cr",),
    ),
    (
        "bib-latin-1",
        "papers/bad.bib",
        "@misc{l1, title={Caf\xe9}, author={M\xfcller, A}, year={2020}}\n".encode("latin-1"),
        "content/papers/bad.bib:1: warning: content/papers/bad.bib is not valid UTF-8 (first bad "
        "byte on line 1); "
        "read it as Windows-1252 (save the file as UTF-8)",
        ("l1",),
    ),
    (
        "bib-empty-file",
        "papers/bad.bib",
        b"",
        "content/papers/bad.bib:1: warning: no BibTeX entries in this file "
        "(add entries such as @article{key, title = {...}, author = {...}} or delete the file)",
        (),
    ),
    (
        "bib-undefined-macro",
        "papers/bad.bib",
        b"@misc{um, title={T}, author={A, B}, year={2020}, journal=undefinedmacro}\n",
        "content/papers/bad.bib:1: warning: undefined macro 'undefinedmacro' is shown as its name "
        "(define it with @string{undefinedmacro = {...}} or put the value in braces)",
        ("um",),
    ),
    (
        "yaml-syntax-error",
        "authors/jianhao-zhang.yaml",
        b"name: Jianhao Zhang\nmetrics: {h-index: 19\ncategory: CL\n",
        "content/authors/jianhao-zhang.yaml:3:9: error: YAML syntax error: expected ',' or '}', but got ':' "
        "(check the indentation and quoting around this line)",
        ("wei2023skywork",),
    ),
    (
        "yaml-list-instead-of-mapping",
        "site.yaml",
        b"- title\n- author\n",
        "content/site.yaml:1: error: site.yaml must be a mapping of keys to values, not a list "
        "(write `key: value` lines, e.g. `name: Ada Lovelace`)",
        ("wei2023skywork",),
    ),
    (
        "yaml-wrong-type",
        "site.yaml",
        b"title: T\nauthor: jianhao-zhang\nauthors_shown: lots\n",
        "content/site.yaml:3:1: error: 'authors_shown' must be a whole number, not 'lots' "
        "(for example: `authors_shown: 3`)",
        ("wei2023skywork",),
    ),
    (
        "yaml-unknown-key",
        "authors/jianhao-zhang.yaml",
        b"name: Jianhao Zhang\nafiliation: Skywork\n",
        "content/authors/jianhao-zhang.yaml:2:1: warning: unknown key 'afiliation' (did you mean "
        "'affiliation'?)",
        ("wei2023skywork",),
    ),
    (
        "yaml-profile-without-name",
        "authors/jianhao-zhang.yaml",
        b"category: CL\n",
        "content/authors/jianhao-zhang.yaml:1: error: author profile has no 'name' "
        "(add a line like `name: Ada Lovelace`)",
        ("wei2023skywork",),
    ),
    (
        "yaml-two-authors-one-slug",
        "authors/Jianhao Zhang.yml",
        b"name: Jianhao Zhang (copy)\n",
        "error: two author files have the slug 'jianhao-zhang'",
        ("wei2023skywork",),
    ),
    (
        "yaml-owner-matches-no-file",
        "site.yaml",
        b"title: T\nauthor: jianhao-zang\n",
        "content/site.yaml:2:1: error: author 'jianhao-zang' matches no file in authors/ "
        "(did you mean 'jianhao-zhang'?)",
        ("wei2023skywork",),
    ),
    (
        "yaml-missing-avatar",
        "authors/jianhao-zhang.yaml",
        b"name: Jianhao Zhang\navatar: static/me.jpg\n",
        "content/authors/jianhao-zhang.yaml:1: warning: avatar 'static/me.jpg' does not exist "
        "(put the image in content/static/ and write e.g. `avatar: static/me.jpg`)",
        ("wei2023skywork",),
    ),
    (
        "citations-unknown-key",
        "papers/citations.yaml",
        b"wei2023skywalk: 10\n",
        "content/papers/citations.yaml:1:1: warning: no BibTeX entry has the key 'wei2023skywalk'; its "
        "citations are not used (did you mean 'wei2023skywork'?)",
        ("wei2023skywork",),
    ),
    (
        "citations-not-a-number",
        "papers/citations.yaml",
        b"wei2023skywork: lots\n",
        "content/papers/citations.yaml:1:1: error: the citations of 'wei2023skywork' must be a whole "
        "number, not 'lots' (for example: `wei2023skywork: 120`, or `citations:` and "
        "`citations_by_year:` under `wei2023skywork:`)",
        ("wei2023skywork",),
    ),
    (
        "citations-negative",
        "papers/citations.yaml",
        b"wei2023skywork: -3\n",
        "content/papers/citations.yaml:1:1: error: the citations of 'wei2023skywork' must be 0 or more, "
        "not -3 (a count cannot be negative)",
        ("wei2023skywork",),
    ),
    (
        "citations-unknown-field",
        "papers/citations.yaml",
        b"wei2023skywork:\n  citation: 40\n",
        "content/papers/citations.yaml:2:3: warning: unknown key 'citation' (did you mean 'citations'?)",
        ("wei2023skywork",),
    ),
    (
        "citations-by-year-not-a-mapping",
        "papers/citations.yaml",
        b"wei2023skywork:\n  citations_by_year: 40\n",
        "content/papers/citations.yaml:2:3: error: 'citations_by_year' of 'wei2023skywork' must be a "
        "mapping of years to counts, not 40 (for example: `citations_by_year: {2022: 10, 2023: 40}`)",
        ("wei2023skywork",),
    ),
    (
        "citations-not-a-year",
        "papers/citations.yaml",
        b"wei2023skywork:\n  citations_by_year:\n    total: 40\n",
        "content/papers/citations.yaml:3:5: error: 'total' in citations_by_year of 'wei2023skywork' is "
        "not a year (write four-digit years, e.g. `2023: 40`)",
        ("wei2023skywork",),
    ),
    (
        "citations-bad-yearly-count",
        "papers/citations.yaml",
        b"wei2023skywork:\n  citations_by_year:\n    2023: many\n",
        "content/papers/citations.yaml:3:5: error: the count for 2023 in citations_by_year of "
        "'wei2023skywork' must be a whole number, not 'many' (for example: `2023: 40`)",
        ("wei2023skywork",),
    ),
    (
        "citations-given-twice",
        "papers/citations.yaml",
        b"wei2023skywork: 1\nWei2023Skywork: 2\n",
        "content/papers/citations.yaml:2:1: warning: citations of 'Wei2023Skywork' are given twice "
        "(first at content/papers/citations.yaml:1:1); the first are used (remove one of them)",
        ("wei2023skywork",),
    ),
    (
        "citations-not-a-mapping",
        "papers/citations.yaml",
        b"- wei2023skywork\n",
        "content/papers/citations.yaml:1: error: a citations file must map BibTeX keys to counts, not a "
        "list (write `key: 120` lines, or `key:` with `citations:` and `citations_by_year:` under it)",
        ("wei2023skywork",),
    ),
    (
        "yaml-profile-histogram-not-a-year",
        "authors/jianhao-zhang.yaml",
        b"name: Jianhao Zhang\ncitations_by_year:\n  last year: 3\n",
        "content/authors/jianhao-zhang.yaml:3:3: error: 'last year' in citations_by_year is not a year "
        "(write four-digit years, e.g. `2023: 40`)",
        ("wei2023skywork",),
    ),
    (
        "markdown-bad-front-matter",
        "pages/cv.md",
        b"---\ntitle: [CV\n---\nbody\n",
        "content/pages/cv.md:3:1: error: YAML syntax error: expected ',' or ']', but got '<stream end>' "
        "(check the indentation and quoting around this line)",
        ("wei2023skywork",),
    ),
    (
        "markdown-duplicate-slug",
        "pages/sub/about.md",
        b"---\ntitle: About again\n---\nx\n",
        "content/pages/sub/about.md:1: error: two pages have the slug 'about' (the other is "
        "content/pages/about.md) (rename one file or give it another `slug:` in its front matter)",
        ("wei2023skywork",),
    ),
]


@pytest.mark.parametrize(
    ("rel", "data", "message", "papers"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_catalogue(tmp_path, monkeypatch, rel, data, message, papers):
    shutil.copytree(ROOT / "content", tmp_path / "content")
    target = tmp_path / "content" / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    monkeypatch.chdir(tmp_path)
    result = build_site(Path("."))
    lines = [d.format() for d in result.diagnostics]
    assert any(
        line == message or (message.startswith(("error:", "warning:")) and message in line) for line in lines
    ), "\n".join(lines)
    output = tmp_path / "output"
    for page in EXAMPLE_PAGES:
        assert (output / page).is_file(), page
    for key in papers:
        assert (output / "papers" / key / "index.html").is_file(), key


def test_oversized_bib_file_is_refused_quickly(tmp_path, monkeypatch):
    shutil.copytree(ROOT / "content", tmp_path / "content")
    big = tmp_path / "content/papers/huge.bib"
    chunk = b"@misc{k, title={T}, author={A, B}, year={2020}}\n" * 1000
    with big.open("wb") as fh:
        for _ in range(50 * 2**20 // len(chunk) + 1):
            fh.write(chunk)
    monkeypatch.chdir(tmp_path)
    result = build_site(Path("."))
    assert [d.format() for d in result.diagnostics] == [
        "content/papers/huge.bib: error: file is 50 MB; BibTeX files over 32 MB are not read "
        "(split it into several .bib files in content/papers/)"
    ]
    assert (tmp_path / "output/papers/wei2023skywork/index.html").is_file()


def test_an_entry_with_2000_authors_and_a_1mb_abstract(tmp_path):
    shutil.copytree(ROOT / "content", tmp_path / "content")
    authors = " and ".join(f"Person{i}, Given{i}" for i in range(2000))
    abstract = ("Sentence with $x_i$ math and an accent {\\'e}. " * 22000)[:1_000_000]
    (tmp_path / "content/papers/big.bib").write_text(
        f"@article{{big, title={{Big}}, author={{{authors}}}, year={{2024}}, abstract={{{abstract}}}}}\n"
    )
    result = build_site(tmp_path)
    assert not [d for d in result.diagnostics if d.level == "error"]
    page = (tmp_path / "output/papers/big/index.html").read_text()
    assert "Person1999" in page and "Given1999" in page
    home = (tmp_path / "output/index.html").read_text()
    card = home[home.index(">Big<") :]
    assert "et al." in card[:5000]


def test_docs_list_every_message():
    docs = (ROOT / "docs/errors.md").read_text()
    for case_id, _rel, _data, message, _papers in CASES:
        assert message in docs, f"{case_id}: regenerate docs/errors.md's catalogue table"
