"""Metadata in each page's head: title, description, Open Graph, Twitter card, JSON-LD and
Google Scholar's Highwire Press tags, read back from the rendered HTML as a crawler would."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup

from generator import paths, render, seo, views
from generator.config import SiteConfig
from generator.diagnostics import SourceLocation
from generator.model import Author, AuthorRef, Link, Page, Paper, PaperDate, PersonName, ProfileLink, Site

LOC = SourceLocation("content/papers/papers.bib", 1)
BASE = "https://lab.example.org/rossi/"
OWNER = "maria-rossi"
EVIL = "</script><script>alert(1)</script> \"double\" & 'single' <b>bold</b>"


def name(given: str, family: str, von: str = "", jr: str = "", slug: str | None = None) -> AuthorRef:
    return AuthorRef(PersonName(given=given, von=von, family=family, jr=jr), author_slug=slug)


MARIA = name("María José", "Rossi-Núñez", slug=OWNER)
FULL = Paper(
    key="rossi2021full",
    entry_type="article",
    title="Sorting in $O(n \\log n)$ with $\\alpha$-Pivots",
    authors=(MARIA, name("Anna", "Berg", von="van der"), name("John", "Smith", jr="Jr.")),
    source=LOC,
    date=PaperDate(2021, 3, 14),
    venue="Journal of Experimental Algorithmics",
    venue_kind="journal",
    abstract="We sort $n$ keys with $O(n \\log n)$ comparisons.",
    categories=("DS", "CC"),
    links=(Link("pdf", "PDF", "static/full.pdf"), Link("code", "Code", "https://github.com/x/y")),
    doi="10.1145/3600000.1",
    arxiv_id="2103.01234",
    award="Best Paper",
    preview="static/teaser.png",
    slug="rossi2021full",
    fields={"volume": "28", "number": "4", "pages": "17--42", "publisher": "ACM"},
)
MINIMAL = Paper(
    key="bare", entry_type="misc", title="Bare", authors=(name("Ada", "Lovelace"),), source=LOC, slug="bare"
)
TALK = Paper(
    key="talk",
    entry_type="inproceedings",
    title="A Talk",
    authors=(MARIA,),
    source=LOC,
    date=PaperDate(2020, 2, 30),  # no such day: the year is still right
    venue="Proceedings of SODA",
    venue_kind="conference",
    slug="talk",
)
THESIS = Paper(
    key="thesis",
    entry_type="phdthesis",
    title="A Thesis",
    authors=(MARIA,),
    source=LOC,
    date=PaperDate(2016, 6),
    venue="École Exemple",
    venue_kind="thesis",
    slug="thesis",
    fields={"school": "École Exemple"},  # fields hold decoded text
)
REPORT = Paper(
    key="report",
    entry_type="techreport",
    title="A Report",
    authors=(MARIA,),
    source=LOC,
    venue_kind="report",
    slug="report",
    fields={"institution": "Universität Beispiel", "number": "TR-7"},
)
XSS = Paper(
    key="xss",
    entry_type="article",
    title=EVIL,
    authors=(name("Eve </script>", "Hacker"),),
    source=LOC,
    abstract=EVIL,
    venue=EVIL,
    venue_kind="journal",
    slug="xss",
)
PAPERS = (FULL, TALK, THESIS, REPORT, XSS, MINIMAL)


def make_site(base_url: str = BASE, avatar: str = "static/maria.jpg") -> Site:
    maria = Author(
        slug=OWNER,
        name="María José Rossi-Núñez",
        source=LOC,
        affiliation="Universidad de Ejemplo",
        role="Associate Professor",
        category="DS",
        avatar=avatar,
        bio_markdown="She works on **algorithms**.\n\n## Interests\n\n- sorting",
        links=(
            ProfileLink("homepage", "Homepage", "https://rossi.example.org/"),
            ProfileLink("github", "GitHub", "https://github.com/mjrossi"),
            ProfileLink("orcid", "ORCID", "https://orcid.org/0000-0002-1825-0097"),
            ProfileLink("email", "Email", "maria@example.org"),
            ProfileLink("cv", "CV", "https://rossi.example.org/cv.pdf"),
        ),
    )
    config = SiteConfig(title="Rossi Lab", base_url=base_url, author=OWNER, description="Papers of the lab.")
    page = Page(slug="teaching", title="Teaching", body_markdown="Text.", source=LOC, description="Courses.")
    return Site.create(
        config,
        authors=(maria,),
        papers=PAPERS,
        pages=(page,),
        papers_by_author={OWNER: tuple(p.key for p in PAPERS)},
        categories=("DS", "CC"),
    )


def render_page(site: Site, path: str, template: str, view: object, root: Path) -> BeautifulSoup:
    env = render.make_environment(render.load_theme("default", root))
    html = render.render_page(env, template, view, views.site_view(site), path, site.config.base_url)
    return BeautifulSoup(html, "html.parser")


def paper_page(site: Site, paper: Paper, root: Path) -> BeautifulSoup:
    return render_page(site, paths.paper_path(paper), "paper.html", views.paper_view(site, paper.key), root)


def meta(doc: BeautifulSoup, key: str) -> list[str]:
    """Every content of `<meta name=key>` or `<meta property=key>`, in document order."""
    tags = doc.find_all("meta", attrs={"name": key}) + doc.find_all("meta", attrs={"property": key})
    return [str(t["content"]) for t in tags]


def one(doc: BeautifulSoup, key: str) -> str:
    values = meta(doc, key)
    assert len(values) == 1, (key, values)
    return values[0]


def json_ld(doc: BeautifulSoup) -> dict[str, Any]:
    scripts = doc.find_all("script", type="application/ld+json")
    assert len(scripts) == 1
    data: dict[str, Any] = json.loads(scripts[0].string)
    return data


# --- paper pages: Google Scholar -------------------------------------------


def test_paper_with_every_field_has_every_citation_tag(tmp_path: Path) -> None:
    doc = paper_page(make_site(), FULL, tmp_path)
    page_url = BASE + "papers/rossi2021full/"
    assert one(doc, "citation_title") == "Sorting in O(n log n) with α-Pivots"
    assert meta(doc, "citation_author") == [
        "Rossi-Núñez, María José",
        "van der Berg, Anna",
        "Smith, John, Jr.",
    ]
    assert one(doc, "citation_publication_date") == "2021/03/14"
    assert one(doc, "citation_journal_title") == "Journal of Experimental Algorithmics"
    assert meta(doc, "citation_conference_title") == []
    assert (one(doc, "citation_volume"), one(doc, "citation_issue")) == ("28", "4")
    assert (one(doc, "citation_firstpage"), one(doc, "citation_lastpage")) == ("17", "42")
    assert one(doc, "citation_publisher") == "ACM"
    assert one(doc, "citation_doi") == "10.1145/3600000.1"
    assert one(doc, "citation_arxiv_id") == "2103.01234"
    assert one(doc, "citation_pdf_url") == BASE + "static/full.pdf"  # a local PDF, made absolute
    assert one(doc, "citation_abstract_html_url") == one(doc, "citation_public_url") == page_url
    assert doc.find("link", rel="canonical")["href"] == page_url


def test_paper_with_the_fewest_fields(tmp_path: Path) -> None:
    doc = paper_page(make_site(), MINIMAL, tmp_path)
    citation = {
        str(t["name"]) for t in doc.find_all("meta") if str(t.get("name", "")).startswith("citation_")
    }
    assert citation == {
        "citation_title",
        "citation_author",
        "citation_abstract_html_url",
        "citation_public_url",
    } | {"citation_language"}
    assert one(doc, "citation_title") == "Bare" and one(doc, "citation_author") == "Lovelace, Ada"
    assert one(doc, "description") == "Bare by Ada Lovelace"
    assert one(doc, "twitter:card") == "summary"
    assert meta(doc, "og:image") == [] and meta(doc, "article:published_time") == []
    data = json_ld(doc)
    assert data["@type"] == "ScholarlyArticle" and data["name"] == "Bare"
    assert "datePublished" not in data and "abstract" not in data and "identifier" not in data


def test_venue_tags_follow_the_kind_of_publication(tmp_path: Path) -> None:
    site = make_site()
    talk = paper_page(site, TALK, tmp_path)
    assert one(talk, "citation_conference_title") == "Proceedings of SODA"
    assert one(talk, "citation_publication_date") == "2020"  # 30 February is no date
    thesis = paper_page(site, THESIS, tmp_path)
    assert one(thesis, "citation_dissertation_institution") == "École Exemple"
    assert one(thesis, "citation_publication_date") == "2016"
    report = paper_page(site, REPORT, tmp_path)
    assert one(report, "citation_technical_report_institution") == "Universität Beispiel"
    assert one(report, "citation_technical_report_number") == "TR-7"
    assert meta(report, "citation_publication_date") == [] and meta(report, "citation_issue") == []


def test_arxiv_papers_point_scholar_at_the_arxiv_pdf() -> None:
    paper = Paper(key="a", entry_type="misc", title="A", authors=(), source=LOC, arxiv_id="2401.01234")
    assert seo.pdf_url(paper, "/") == "https://arxiv.org/pdf/2401.01234"
    unsafe = Paper(
        key="b",
        entry_type="misc",
        title="B",
        authors=(),
        source=LOC,
        links=(Link("pdf", "PDF", "javascript:x"),),
    )
    assert seo.pdf_url(unsafe, BASE) is None


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        (PaperDate(2023, 10, 30), "2023/10/30"),
        (PaperDate(2023, 10), "2023"),
        (PaperDate(2023), "2023"),
        (PaperDate(2023, 2, 30), "2023"),
        (PaperDate(), ""),
        (PaperDate(0), ""),
    ],
)
def test_citation_dates_are_full_or_the_year(date: PaperDate, expected: str) -> None:
    assert seo.citation_date(date) == expected


# --- paper pages: Open Graph, Twitter, JSON-LD -----------------------------


def test_paper_open_graph_twitter_and_json_ld(tmp_path: Path) -> None:
    doc = paper_page(make_site(), FULL, tmp_path)
    page_url = BASE + "papers/rossi2021full/"
    assert one(doc, "og:type") == "article"
    assert one(doc, "og:title") == one(doc, "twitter:title") == "Sorting in O(n log n) with α-Pivots"
    assert one(doc, "og:description") == one(doc, "twitter:description") == one(doc, "description")
    assert one(doc, "og:url") == page_url and one(doc, "og:site_name") == "Rossi Lab"
    assert one(doc, "og:image") == one(doc, "twitter:image") == BASE + "static/teaser.png"
    assert one(doc, "twitter:card") == "summary_large_image"
    assert one(doc, "article:published_time") == "2021-03-14"
    assert meta(doc, "article:tag") == ["DS", "CC"]
    assert doc.find("meta", attrs={"property": "twitter:card"}) is None  # Twitter reads name=
    data = json_ld(doc)
    assert data["@context"] == "https://schema.org" and data["@type"] == "ScholarlyArticle"
    assert data["name"] == data["headline"] == "Sorting in O(n log n) with α-Pivots"
    assert data["author"][0] == {"@type": "Person", "name": "María José Rossi-Núñez", "url": BASE}
    assert data["author"][1] == {"@type": "Person", "name": "Anna van der Berg"}
    assert data["datePublished"] == "2021-03-14" and data["url"] == page_url
    assert data["abstract"] == "We sort n keys with O(n log n) comparisons."
    assert data["isPartOf"] == {"@type": "Periodical", "name": "Journal of Experimental Algorithmics"}
    assert {i["propertyID"]: i["value"] for i in data["identifier"]} == {
        "DOI": "10.1145/3600000.1",
        "arXiv": "2103.01234",
    }
    assert data["sameAs"] == ["https://doi.org/10.1145/3600000.1", "https://arxiv.org/abs/2103.01234"]
    assert data["encoding"]["contentUrl"] == BASE + "static/full.pdf"
    assert data["image"] == BASE + "static/teaser.png" and data["award"] == "Best Paper"


def test_long_titles_are_cut_for_the_headline_only() -> None:
    title = " ".join(["word"] * 40)
    paper = Paper(key="l", entry_type="misc", title=title, authors=(), source=LOC)
    data = seo.article_ld(
        paper, page_url=None, authors=(), date_iso="", image_url=None, base_url="/", language="en"
    )
    assert len(data["headline"]) <= seo.HEADLINE_LEN and data["headline"].endswith("…")
    assert data["name"] == title


# --- profiles and other pages -----------------------------------------------


def test_profile_is_a_person_with_same_as_links(tmp_path: Path) -> None:
    site = make_site()
    doc = render_page(site, "", "profile.html", views.profile_view(site, OWNER), tmp_path)
    data = json_ld(doc)
    assert data["@type"] == "Person" and data["name"] == "María José Rossi-Núñez"
    assert data["url"] == BASE and data["image"] == BASE + "static/maria.jpg"
    assert data["jobTitle"] == "Associate Professor"
    assert data["affiliation"] == {"@type": "Organization", "name": "Universidad de Ejemplo"}
    assert data["description"] == "She works on algorithms."  # the bio's first paragraph
    # profiles elsewhere; not the e-mail address, not the CV document
    assert data["sameAs"] == [
        "https://rossi.example.org/",
        "https://github.com/mjrossi",
        "https://orcid.org/0000-0002-1825-0097",
    ]
    assert one(doc, "og:type") == "profile" and one(doc, "og:url") == BASE
    assert one(doc, "og:image") == BASE + "static/maria.jpg"
    assert one(doc, "og:image:alt") == "Photo of María José Rossi-Núñez"
    assert one(doc, "description").startswith(
        "María José Rossi-Núñez — Associate Professor, Universidad de Ejemplo: 6 papers."
    )


def test_svg_avatars_are_not_offered_as_link_previews(tmp_path: Path) -> None:
    site = make_site(avatar="static/maria.svg")
    doc = render_page(site, "", "profile.html", views.profile_view(site, OWNER), tmp_path)
    assert meta(doc, "og:image") == [] and meta(doc, "twitter:image") == []
    assert json_ld(doc)["image"] == BASE + "static/maria.svg"  # schema.org takes any image


def test_without_a_host_no_relative_urls_are_passed_off_as_absolute(tmp_path: Path) -> None:
    site = make_site(base_url="/")
    doc = paper_page(site, FULL, tmp_path)
    assert meta(doc, "og:url") == [] and meta(doc, "og:image") == []
    assert meta(doc, "citation_abstract_html_url") == [] and meta(doc, "citation_pdf_url") == []
    assert "url" not in json_ld(doc)
    arxiv = Paper(key="ax", entry_type="misc", title="AX", authors=(), source=LOC, arxiv_id="2401.1")
    assert ("citation_pdf_url", "https://arxiv.org/pdf/2401.1") in seo.highwire_tags(arxiv, None, "/", "en")


def every_page(site: Site) -> list[tuple[str, str, object]]:
    return [
        ("", "profile.html", views.profile_view(site, OWNER)),
        (paths.publications_path(), "publications.html", views.publications_view(site)),
        (paths.category_path("DS"), "category.html", views.category_view(site, "DS")),
        ("teaching/", "page.html", views.page_view(site, site.pages[0])),
        (paths.people_path(), "people.html", views.people_view(site)),
        (views.NOT_FOUND_PATH, "404.html", views.not_found_view(site)),
        *[(paths.paper_path(p), "paper.html", views.paper_view(site, p.key)) for p in PAPERS],
    ]


def test_every_page_has_a_title_description_and_preview_tags(tmp_path: Path) -> None:
    site = make_site()
    for path, template, view in every_page(site):
        doc = render_page(site, path, template, view, tmp_path)
        assert doc.title is not None and doc.title.get_text().strip(), path
        description = one(doc, "description")
        assert 0 < len(description) <= views.META_DESCRIPTION_LEN, path
        assert one(doc, "og:title") and one(doc, "og:description") == description, path
        assert one(doc, "og:site_name") == "Rossi Lab" and one(doc, "twitter:card"), path
        if path == views.NOT_FOUND_PATH:
            assert doc.find("link", rel="canonical") is None and meta(doc, "og:url") == []
        else:
            assert one(doc, "og:url") == doc.find("link", rel="canonical")["href"] == BASE + path, path
        ld = doc.find_all("script", type="application/ld+json")
        assert len(ld) == (1 if template in ("profile.html", "paper.html") else 0), path


# --- untrusted text stays text ---------------------------------------------


def test_hostile_title_cannot_break_out_of_json_ld_or_attributes(tmp_path: Path) -> None:
    doc = paper_page(make_site(), XSS, tmp_path)
    html = str(doc)
    assert "<script>alert(1)" not in html and "<b>bold" not in html
    scripts = doc.find_all("script")
    assert [s.get("type") for s in scripts] == ["application/ld+json"]  # nothing else runs
    raw = scripts[0].string
    assert "<" not in raw and ">" not in raw and "&" not in raw  # cannot close the element
    data = json.loads(raw)
    assert data["name"] == data["abstract"] == EVIL  # the text survives intact
    assert data["author"] == [{"@type": "Person", "name": "Eve </script> Hacker"}]
    assert one(doc, "og:title") == one(doc, "citation_title") == EVIL
    assert one(doc, "citation_journal_title") == EVIL
    assert meta(doc, "citation_author") == ["Hacker, Eve </script>"]


def test_json_ld_escapes_what_could_end_a_script() -> None:
    text = seo.json_ld({"a": "</script><!-- & \u2028 \u2029 ]]>"})
    assert not any(c in text for c in "<>&\u2028\u2029")
    assert json.loads(text) == {"a": "</script><!-- & \u2028 \u2029 ]]>"}
