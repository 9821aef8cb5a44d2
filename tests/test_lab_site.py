"""A lab site (tests/fixtures/lab): three members, each with their own .bib file in which the
joint papers appear under other keys and other spellings of the names. The site shows each
paper once, links the members to each other and offers every list as BibTeX and CSL-JSON."""

from __future__ import annotations

import dataclasses
import json
import posixpath
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag

from generator import site_files, views
from generator.build import BuildOptions, BuildResult, build
from generator.sources.bibtex import papers_from_bib, parse_bib_file
from generator.sources.files import SourceFile
from tests.conftest import FIXTURES
from tests.test_views import make_site

PEOPLE = ("ada-lovelace", "grace-hopper", "alan-turing")
GRAPHS = "Shortest Paths in Analytical Engines"  # in all three .bib files: same DOI
NOTES = "Notes on the Analytical Engine"  # in Ada's and Grace's: same arXiv id
SHARED = {GRAPHS: PEOPLE, NOTES: ("ada-lovelace", "grace-hopper")}


@dataclasses.dataclass
class Lab:
    result: BuildResult
    output: Path

    def page(self, path: str) -> BeautifulSoup:
        return BeautifulSoup((self.output / path / "index.html").read_text(), "html.parser")


def build_lab(root: Path) -> Lab:
    """The lab fixture copied into ``root`` and built without errors."""
    shutil.copytree(FIXTURES / "lab" / "content", root / "content")
    result = build(BuildOptions(root / "content", root / "output"))
    assert not [d for d in result.diagnostics if d.level == "error"], result.diagnostics
    return Lab(result, root / "output")


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Lab:
    return build_lab(tmp_path_factory.mktemp("lab"))


def target(page_path: str, href: str) -> str:
    """The site path a link on ``page_path`` leads to: ``people/ada-lovelace/``."""
    joined = posixpath.normpath(posixpath.join(page_path, href.split("#")[0]))
    return "" if joined == "." else joined + ("/" if href.endswith("/") else "")


def card_titles(doc: Tag) -> list[str]:
    return [h.get_text(" ", strip=True) for h in doc.select("article .card-title")]


def text(element: Tag) -> str:
    return " ".join(element.get_text(" ").split())


# --- the home page: the people, by role ---------------------------------------------------


def test_the_home_lists_the_members_by_role(lab: Lab) -> None:
    home = lab.page("")
    assert home.find("h1").get_text() == "Example Lab"
    groups = [
        (h.get_text(), [n.get_text() for n in h.find_parent("section").select(".person-name")])
        for h in home.find("main").find_all("h2")
    ]
    assert groups == [
        ("Faculty", ["Ada Lovelace"]),
        ("Postdocs", ["Grace Hopper"]),
        ("Students", ["Alan Turing"]),
    ]
    ada = home.find("a", string="Ada Lovelace").find_parent("li")
    assert ada.find("img", class_="avatar")["src"] == "static/ada.svg"  # photo
    assert text(ada.find(class_="affiliation")) == "Professor, Example University"
    assert ada.find("a", class_="pill").get_text() == "AL"  # category tag
    assert [text(m) for m in ada.select(".metric")] == ["h-index 3", "3 papers", "90 citations"]
    grace = home.find("a", string="Grace Hopper").find_parent("li")
    assert grace.find(class_="monogram").get_text() == "GH"  # no photo: initials


def test_three_profiles(lab: Lab) -> None:
    for slug in PEOPLE:
        doc = lab.page(f"people/{slug}")
        assert doc.find("h1").get_text() == slug.replace("-", " ").title()


# --- one paper, many entries --------------------------------------------------------------


def test_the_merge_is_reported_naming_both_files(lab: Lab) -> None:
    merges = [d for d in lab.result.diagnostics if "is the same paper as" in d.message]
    assert len(merges) == 3
    graphs = next(d for d in merges if "'hopper2023paths'" in d.message)
    assert graphs.level == "warning" and graphs.location is not None
    assert graphs.location.path.endswith("papers/grace-hopper.bib")
    assert "'lovelace2023graphs'" in graphs.message and "papers/ada-lovelace.bib:2" in graphs.message
    notes = next(d for d in merges if "'hopper2021engine'" in d.message)
    assert "'lovelace2021notes'" in notes.message  # matched by arXiv id, 2105.01234v2 = 2105.01234


def test_each_shared_paper_appears_once_on_the_publications_page(lab: Lab) -> None:
    titles = card_titles(lab.page("publications"))
    assert len(titles) == 5  # eight entries, three of them duplicates
    for title in SHARED:
        assert titles.count(title) == 1, title


def test_each_shared_paper_appears_once_on_each_coauthors_profile(lab: Lab) -> None:
    for title, people in SHARED.items():
        for slug in PEOPLE:
            expected = 1 if slug in people else 0
            assert card_titles(lab.page(f"people/{slug}")).count(title) == expected, (title, slug)


def test_coauthors_link_to_each_others_profiles(lab: Lab) -> None:
    for slug in PEOPLE:
        page_path = f"people/{slug}/"
        doc = lab.page(page_path)
        card = next(
            a for a in doc.find_all("article") if GRAPHS in card_titles(BeautifulSoup(str(a), "html.parser"))
        )
        links = {target(page_path, a["href"]) for a in card.select(".authors a.author")}
        assert links == {f"people/{other}/" for other in PEOPLE if other != slug}
        assert card.find(class_="is-person").get_text(strip=True).rstrip(",") == doc.find("h1").get_text()


def test_frequent_coauthors(lab: Lab) -> None:
    expected = {
        "ada-lovelace": [
            ("Grace Hopper", "people/grace-hopper/", "(2 papers)"),
            ("Charles Babbage", None, "(2 papers)"),  # no profile: named, not linked
            ("Alan Turing", "people/alan-turing/", "(1 paper)"),
        ],
        "grace-hopper": [
            ("Ada Lovelace", "people/ada-lovelace/", "(2 papers)"),
            ("Alan Turing", "people/alan-turing/", "(2 papers)"),
        ],
        "alan-turing": [
            ("Grace Hopper", "people/grace-hopper/", "(2 papers)"),
            ("Ada Lovelace", "people/ada-lovelace/", "(1 paper)"),
        ],
    }
    for slug, people in expected.items():
        page_path = f"people/{slug}/"
        section = lab.page(page_path).find("section", class_="coauthors")
        assert section.find("h2").get_text() == "Frequent co-authors"
        shown = []
        for item in section.find_all("li"):
            link = item.find("a")
            path = target(page_path, link["href"]) if link else None
            shown.append((item.contents[0].get_text().strip(), path, item.find(class_="count").get_text()))
        assert shown == people, slug


# --- exports and the Cite section ---------------------------------------------------------


def test_exports_are_present_and_parse(lab: Lab) -> None:
    site = lab.result.site
    assert site is not None
    files = site_files.export_files(site)
    for rel, data in files.items():
        if rel.endswith(".bib"):
            parsed = parse_bib_file(SourceFile.from_bytes(rel, data))
            assert not [d for d in parsed.diagnostics if d.level == "error"], rel
            keys = [p.key for p in papers_from_bib([parsed]).papers]
            assert keys == [p.key for p in site_files.export_sources(site)[rel]], rel
        else:
            assert isinstance(json.loads(data), list), rel
        on_disk = lab.output / rel
        if on_disk.exists():  # once the build writes them: the same bytes
            assert on_disk.read_bytes() == data, rel
    ada = json.loads(files["people/ada-lovelace/papers.json"])
    assert [item["id"] for item in ada] == ["lovelace2023graphs", "lovelace2021notes", "lovelace2019engine"]
    assert {"papers.bib", "papers.json", "people/alan-turing/papers.bib"} <= set(files)


def test_download_links_lead_to_the_exports(lab: Lab) -> None:
    site = lab.result.site
    assert site is not None
    files = set(site_files.export_files(site))
    pages = ["", "publications/", *(f"people/{s}/" for s in PEOPLE)]
    pages += [f"papers/{p.slug}/" for p in site.papers]
    linked = set()
    for page_path in pages:
        for a in lab.page(page_path).select("a.download"):
            assert a.has_attr("download") and a["type"], page_path
            linked.add(target(page_path, a["href"]))
    assert linked == files


def test_the_cite_section_of_a_shared_paper(lab: Lab) -> None:
    doc = lab.page("papers/lovelace2023graphs")
    cite = doc.find(id="bibtex")
    assert cite.find("h2").get_text() == "Cite"
    citation = cite.find(class_="citation").get_text()
    assert citation.startswith("Lovelace, A., Hopper, G., & Turing, A. (2023). Shortest Paths in Analytical")
    assert citation.endswith("https://doi.org/10.1234/jea.2023.001")
    assert len(doc.find_all("pre")) == 1  # one BibTeX block
    assert cite.find("pre").find("code").get_text().startswith("@article{lovelace2023graphs,")
    assert [a.get_text() for a in cite.select("a.download")] == ["BibTeX", "CSL-JSON"]


# --- publication types and the citation chart ---------------------------------------------


def test_a_page_per_publication_type(lab: Lab) -> None:
    pubs = lab.page("publications")
    types = pubs.find("nav", attrs={"aria-label": "Publication types"})
    assert [text(a) for a in types.find_all("a")] == [
        "All types",
        "Journal articles (1)",
        "Conference papers (1)",
        "Preprints (1)",
        "Theses (1)",
        "Reports (1)",
    ]
    assert types.find("a", attrs={"aria-current": "page"}).get_text() == "All types"
    journal = lab.page("publications/journal")
    assert journal.find("h1").get_text() == "Journal articles"
    assert card_titles(journal) == [GRAPHS]
    assert [h.get_text() for h in journal.select(".year-group h2")] == ["2023"]
    current = journal.find("nav", attrs={"aria-label": "Publication types"}).find(
        "a", attrs={"aria-current": True}
    )
    assert text(current) == "Journal articles (1)"
    assert journal.find("a", class_="download") is None  # the site's files are on publications/
    assert not (lab.output / "publications" / "book").exists()  # no books: no page


def chart_of(doc: Tag) -> tuple[Tag, list[tuple[str, str]]]:
    """A page's citation chart, and the rows of its text alternative (year, count)."""
    chart = doc.find("figure", class_="citation-chart")
    assert chart is not None
    svg = chart.find("svg")
    assert svg["role"] == "img" and svg.find("title")["id"] == svg["aria-labelledby"]
    assert "visually-hidden" in chart.find("table")["class"]
    rows = [(r.find("th").get_text(), r.find("td").get_text()) for r in chart.select("tbody tr")]
    assert len(svg.find_all("rect")) == len(rows)
    return chart, rows


def test_the_chart_counts_citations_received_per_year(lab: Lab) -> None:
    """Ada's papers have yearly counts in papers/citations.yaml (one written `Lovelace2021Notes`):
    her chart sums them by the year the citations came, and says a cited paper is left out."""
    chart, rows = chart_of(lab.page("people/ada-lovelace"))
    assert chart.find("figcaption").get_text() == "Citations per year"
    assert chart.find("svg").find("title").get_text() == "Citations per year, 2022–2024: 59 in total"
    assert rows == [("2022", "5"), ("2023", "21"), ("2024", "33")]
    assert chart.find(class_="chart-note").get_text() == (
        "Yearly counts are known for 2 of the 3 papers with citation counts; the chart shows only those."
    )
    alan, alan_rows = chart_of(lab.page("people/alan-turing"))  # the joint paper's counts
    assert alan_rows == [("2023", "12"), ("2024", "33")]
    assert "1 of the 2 papers" in alan.find(class_="chart-note").get_text()


def test_a_profile_histogram_is_shown_as_it_is(lab: Lab) -> None:
    chart, rows = chart_of(lab.page("people/grace-hopper"))
    assert chart.find("figcaption").get_text() == "Citations per year"
    assert rows == [("2022", "3"), ("2023", "20"), ("2024", "41")]  # her citations_by_year
    assert chart.find(class_="chart-note") is None


def test_the_citations_file_wins_over_the_bib_field(lab: Lab) -> None:
    """lovelace2019engine: 31 in the file, 30 in the .bib; Lovelace2021Notes: the sum of its years."""
    site = lab.result.site
    assert site is not None
    assert [(p.key, p.citations) for p in site.papers_of("ada-lovelace")] == [
        ("lovelace2023graphs", 45),  # 45 in the file beats the merged entry's 42
        ("lovelace2021notes", 14),
        ("lovelace2019engine", 31),
    ]
    assert not [d for d in lab.result.diagnostics if d.location and "citations" in d.location.path]


def test_a_paper_with_yearly_counts_has_its_own_chart(lab: Lab) -> None:
    doc = lab.page("papers/lovelace2023graphs")
    section = doc.find("section", class_="paper-citations")
    assert section.find("h2").get_text() == "Citations"
    chart, rows = chart_of(section)
    assert chart.find("svg").find("title").get_text() == "Citations per year, 2023–2024: 45 in total"
    assert rows == [("2023", "12"), ("2024", "33")]
    assert lab.page("papers/lovelace2019engine").find("figure", class_="citation-chart") is None


def test_without_yearly_counts_the_chart_is_per_publication_year(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "lab" / "content", tmp_path / "content")
    (tmp_path / "content" / "papers" / "citations.yaml").unlink()
    build(BuildOptions(tmp_path / "content", tmp_path / "output"))
    doc = BeautifulSoup((tmp_path / "output/people/ada-lovelace/index.html").read_text(), "html.parser")
    chart, rows = chart_of(doc)
    assert chart.find("figcaption").get_text() == "Citations per publication year"
    assert chart.find("svg").find("title").get_text() == (
        "Citations per publication year, 2019–2023: 84 in total"
    )
    assert rows == [("2019", "30"), ("2020", "0"), ("2021", "12"), ("2022", "0"), ("2023", "42")]
    assert chart.find(class_="chart-note") is None


# --- the views behind it ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "group"),
    [
        ("Professor", "Faculty"),
        ("Associate Professor", "Faculty"),
        ("Principal Investigator", "Faculty"),
        ("Postdoc", "Postdocs"),
        ("Postdoctoral researcher", "Postdocs"),
        ("Post-doc", "Postdocs"),
        ("PhD student", "Students"),
        ("MSc Students", "Students"),
        ("PhD candidate", "Students"),
        ("Alumni", "Alumni"),
        ("Former PhD student", "Alumni"),  # not a student any more
        ("Alumna (postdoc 2019–2022)", "Alumni"),
        ("Research engineer", "Research engineer"),
        ("Visiting researcher", "Visiting researcher"),
        ("Spin doctor", "Spin doctor"),
    ],
)
def test_roles_and_their_groups(role: str, group: str) -> None:
    assert views.role_group(role) == group


def test_people_groups_faculty_first_then_other_roles_then_no_role() -> None:
    site = make_site(author="", group="Vision Lab")
    base = site.authors[0]
    roles = ["Alumnus", "Engineer", "PhD student", "", "Professor", "Engineer", "Postdoc", "MSc student"]
    people = tuple(
        dataclasses.replace(base, slug=f"p{i}", name=f"P {i}", role=r) for i, r in enumerate(roles)
    )
    view = views.people_view(dataclasses.replace(site, authors=people))
    assert [(g.heading, [p.name for p in g.people]) for g in view.groups] == [
        ("Faculty", ["P 4"]),
        ("Postdocs", ["P 6"]),
        ("Students", ["P 2", "P 7"]),
        ("Alumni", ["P 0"]),
        ("Engineer", ["P 1", "P 5"]),
        ("Other members", ["P 3"]),
    ]
    assert [g.anchor_id for g in view.groups][:2] == ["role-faculty", "role-postdocs"]
    assert [p.role for p in view.groups[2].people] == ["PhD student", "MSc student"]  # each keeps their own


def test_coauthor_items_use_profile_names(lab: Lab) -> None:
    site = lab.result.site
    assert site is not None
    alan = views.profile_view(site, "alan-turing")
    assert [(c.name, c.path, c.papers, c.count_label) for c in alan.coauthors] == [
        ("Grace Hopper", "people/grace-hopper/", 2, "2 papers"),
        ("Ada Lovelace", "people/ada-lovelace/", 1, "1 paper"),
    ]
    assert views.venue_kinds(site) == ("journal", "conference", "preprint", "thesis", "report")
    with pytest.raises(KeyError):
        views.venue_kind_view(site, "poem")
    one_type = make_site()  # every paper of one type: no type filter, no type pages
    assert views.venue_kinds(one_type) == () and views.publications_view(one_type).kinds == ()


def test_no_chart_without_citation_counts() -> None:
    assert views.profile_view(make_site(), "tao-mei").citation_chart is None
    assert views.citations_by_publication_year([]) == () == views.citations_received([])
