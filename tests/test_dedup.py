"""Joint papers cited in several members' BibTeX files are shown once."""

from generator.dedup import deduplicate, merge
from generator.diagnostics import SourceLocation
from generator.model import AuthorRef, Link, Paper, PaperDate, PersonName


def paper(key: str, path: str, **kw) -> Paper:
    kw.setdefault("title", "Deep {Nets}")
    kw.setdefault("date", PaperDate(2020))
    kw.setdefault("authors", ())
    return Paper(key=key, entry_type="article", source=SourceLocation(path, 3), **kw)


def test_same_doi_across_files_is_merged_with_a_warning():
    a = paper("a", "content/papers/ada.bib", doi="10.1/X", abstract="short", citations=5)
    b = paper(
        "b",
        "content/papers/bob.bib",
        doi="10.1/x",
        abstract="a much longer abstract",
        citations=9,
        title="Other title",
    )
    papers, diags = deduplicate([a, b])
    assert [p.key for p in papers] == ["a"]
    assert papers[0].abstract == "a much longer abstract"
    assert papers[0].citations == 9
    assert diags[0].format() == (
        "content/papers/bob.bib:3: warning: 'b' is the same paper as 'a' (content/papers/ada.bib:3); "
        "they are shown once, merged (remove one entry, or keep both if you like: fields are combined)"
    )


def test_same_arxiv_id_or_same_title_and_year():
    a = paper("a", "x.bib", arxiv_id="2310.19341v2", title="One")
    b = paper("b", "y.bib", arxiv_id="2310.19341", title="Two")
    c = paper("c", "x.bib", title="Déjà {Vu}: A Study", date=PaperDate(2021))
    d = paper("d", "y.bib", title="deja vu - a study", date=PaperDate(2021, 5))
    e = paper("e", "y.bib", title="Deja Vu: A Study", date=PaperDate(2022))
    papers, diags = deduplicate([a, b, c, d, e])
    assert [p.key for p in papers] == ["a", "c", "e"]
    assert papers[1].date == PaperDate(2021, 5)  # the more precise date wins
    assert len(diags) == 2


def test_entries_of_one_file_are_kept_apart():
    a = paper("preprint", "x.bib", arxiv_id="2310.19341")
    b = paper("published", "x.bib", arxiv_id="2310.19341")
    papers, diags = deduplicate([a, b])
    assert len(papers) == 2 and diags == []


def test_merge_unions_links_and_categories_and_keeps_the_fuller_author_list():
    one = AuthorRef(PersonName("Ada", "", "Lovelace"))
    two = AuthorRef(PersonName("Bob", "", "Smith"))
    a = paper(
        "a",
        "x.bib",
        links=(Link("pdf", "PDF", "https://a/pdf"),),
        categories=("CL",),
        authors=(one,),
        more_authors=True,
    )
    b = paper(
        "b",
        "y.bib",
        links=(Link("pdf", "PDF", "https://b/pdf"), Link("code", "Code", "https://gh")),
        categories=("LG", "CL"),
        authors=(one, two),
    )
    m = merge(a, b)
    assert [link.url for link in m.links] == ["https://a/pdf", "https://gh"]
    assert m.categories == ("CL", "LG")
    assert m.authors == (one, two) and m.more_authors is False
