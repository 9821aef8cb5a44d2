"""Cross-file rules: matching names to profiles, who owns which paper, ordering, slugs."""

from generator.assemble import assemble
from generator.config import SiteConfig
from generator.diagnostics import SourceLocation
from generator.model import Author, AuthorRef, Page, Paper, PaperDate, PersonName

LOC = SourceLocation("content/site.yaml", 1)
Y2020 = PaperDate(2020)


def author(slug: str, name: str, **kw) -> Author:
    return Author(slug=slug, name=name, source=SourceLocation(f"content/authors/{slug}.yaml", 1), **kw)


def paper(key: str, *names: tuple[str, str], date=Y2020, title: str | None = None) -> Paper:
    refs = tuple(AuthorRef(PersonName(given=g, family=f)) for g, f in names)
    return Paper(
        key=key,
        entry_type="article",
        title=title or key,
        authors=refs,
        date=date,
        source=SourceLocation("content/papers/p.bib", 1),
    )


def test_one_person_site_owns_every_entry_and_highlights_its_name():
    ada = author("ada", "Ada Lovelace")
    papers = [paper("a", ("Ada", "Lovelace")), paper("b", ("Charles", "Babbage"))]
    site, diags = assemble(SiteConfig(author="ada"), LOC, [ada], papers, [])
    assert diags == []
    assert set(site.papers_by_author["ada"]) == {"a", "b"}
    assert site.paper("a").authors[0].author_slug == "ada"
    assert site.paper("b").authors[0].author_slug is None


def test_single_profile_becomes_the_owner_when_none_is_named():
    site, _ = assemble(SiteConfig(), LOC, [author("ada", "Ada Lovelace")], [], [])
    assert site.owner is not None and site.owner.slug == "ada"


def test_several_profiles_match_names_aliases_and_claimed_keys():
    ada = author("ada", "Ada Lovelace", aliases=("A. Lovelace",), paper_keys=("c",))
    bob = author("bob", "Robert Smith")
    papers = [
        paper("a", ("A.", "Lovelace"), ("Robert", "Smith")),
        paper("b", ("Robert", "Smith")),
        paper("c", ("Someone", "Else")),
    ]
    site, diags = assemble(SiteConfig(author="ada"), LOC, [ada, bob], papers, [])
    assert diags == []
    assert set(site.papers_by_author["ada"]) == {"a", "c"}
    assert set(site.papers_by_author["bob"]) == {"a", "b"}
    assert [r.author_slug for r in site.paper("a").authors] == ["ada", "bob"]


def test_claimed_key_that_does_not_exist_suggests_the_close_one():
    ada = author("ada", "Ada Lovelace", paper_keys=("lovelace1843",))
    bob = author("bob", "Bob")
    _, diags = assemble(SiteConfig(), LOC, [ada, bob], [paper("lovelace1842", ("Ada", "Lovelace"))], [])
    assert [d.format() for d in diags] == [
        "content/authors/ada.yaml:1: warning: paper 'lovelace1843' listed under papers: is in no BibTeX file "
        "(did you mean 'lovelace1842'?)"
    ]


def test_owner_that_matches_no_profile():
    site, diags = assemble(SiteConfig(author="adda"), LOC, [author("ada", "Ada")], [], [])
    assert diags[0].format() == (
        "content/site.yaml:1: error: author 'adda' matches no file in authors/ (did you mean 'ada'?)"
    )
    assert site.owner is None


def test_missing_avatar_is_a_warning_and_dropped():
    ada = author("ada", "Ada", avatar="static/me.jpg")
    site, diags = assemble(SiteConfig(), LOC, [ada], [], [], static_files=["static/other.jpg"])
    assert (
        diags[0]
        .format()
        .startswith("content/authors/ada.yaml:1: warning: avatar 'static/me.jpg' does not exist")
    )
    assert site.author("ada").avatar == ""
    site, diags = assemble(SiteConfig(), LOC, [ada], [], [], static_files=["static/me.jpg"])
    assert diags == [] and site.author("ada").avatar == "static/me.jpg"


def test_two_authors_with_one_slug():
    a1, a2 = author("ada", "Ada"), author("ada", "Ada Two")
    site, diags = assemble(SiteConfig(), LOC, [a1, a2], [], [])
    assert "two author files have the slug 'ada'" in diags[0].message
    assert len(site.authors) == 1


def test_duplicate_page_slugs():
    pages = [
        Page("cv", "CV", "", SourceLocation("content/pages/cv.md", 3)),
        Page("cv", "CV 2", "", SourceLocation("content/pages/sub/cv.md", 3)),
    ]
    site, diags = assemble(SiteConfig(), LOC, [], [], pages)
    assert diags[0].format().startswith("content/pages/sub/cv.md:1: error: two pages have the slug 'cv'")
    assert len(site.pages) == 1


def test_newest_first_with_a_stable_tie_break():
    papers = [
        paper("k2", date=PaperDate(2023, 10, 30), title="B"),
        paper("k1", date=PaperDate(2023, 10, 30), title="B"),
        paper("k3", date=PaperDate(2023, 10, 30), title="A"),
        paper("k4", date=PaperDate(2023, 11)),
        paper("k5", date=PaperDate(2024)),
        paper("k6", date=PaperDate()),
        paper("k7", date=PaperDate(2023, 10, 31)),
    ]
    site, _ = assemble(SiteConfig(), LOC, [], papers, [])
    assert [p.key for p in site.papers] == ["k5", "k4", "k7", "k3", "k1", "k2", "k6"]


def test_slugs_are_unique_and_stable():
    site, _ = assemble(SiteConfig(), LOC, [], [paper("Smith:2020"), paper("smith-2020"), paper("b")], [])
    assert {p.key: p.slug for p in site.papers} == {
        "Smith:2020": "smith-2020",
        "smith-2020": "smith-2020-2",
        "b": "b",
    }


def test_categories_by_frequency():
    papers = [paper("a"), paper("b"), paper("c")]
    papers = [
        p.__class__(**{**{f: getattr(p, f) for f in p.__dataclass_fields__}, "categories": c})
        for p, c in zip(papers, [("CV",), ("CL", "CV"), ("LG",)], strict=True)
    ]
    site, _ = assemble(SiteConfig(), LOC, [], papers, [])
    assert site.categories == ("CV", "CL", "LG")


def test_frequent_coauthors_count_each_person_once_per_paper():
    ada = author("ada", "Ada Lovelace")
    bob = author("bob", "Robert Smith", aliases=("R. Smith",))
    papers = [
        paper("a", ("Ada", "Lovelace"), ("Robert", "Smith"), ("Carl", "Gauss")),
        paper("b", ("Ada", "Lovelace"), ("R.", "Smith"), ("Carl", "Gauss")),
        paper("c", ("Ada", "Lovelace"), ("Dora", "Once")),
    ]
    site, _ = assemble(SiteConfig(author="ada"), LOC, [ada, bob], papers, [])
    assert [(c.name, c.papers, c.author_slug) for c in site.coauthors["ada"]] == [
        ("Robert Smith", 2, "bob"),
        ("Carl Gauss", 2, None),
    ]
    assert [(c.name, c.papers) for c in site.coauthors["bob"]] == [("Ada Lovelace", 2), ("Carl Gauss", 2)]
