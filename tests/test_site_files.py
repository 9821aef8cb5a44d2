"""Export files (BibTeX, CSL-JSON): where they go, what they hold, and that every download
link of a page points at one of them."""

from __future__ import annotations

import json
import posixpath

import pytest

from generator import paths, site_files, views
from generator.build import load_site
from generator.model import Site
from generator.sources.bibtex import papers_from_bib, parse_bib_file
from generator.sources.files import SourceFile
from tests.conftest import ROOT
from tests.test_views import OWNER, SKYWORK, make_site


def test_paths_of_the_exports() -> None:
    assert paths.paper_export_path(SKYWORK, "bib") == "papers/wei2023skywork/wei2023skywork.bib"
    assert paths.person_export_path("ada", "json") == "people/ada/papers.json"
    assert paths.site_export_path("bib") == "papers.bib"
    assert paths.venue_kind_path("journal") == "publications/journal/"


def test_every_export_of_a_site() -> None:
    files = site_files.export_files(make_site())
    assert set(files) == {
        # only wei2023skywork has a BibTeX entry: the others get CSL-JSON only
        "papers/wei2023skywork/wei2023skywork.bib",
        "papers/wei2023skywork/wei2023skywork.json",
        "papers/wei2024moe/wei2024moe.json",
        "papers/zhang2019dabnn/zhang2019dabnn.json",
        "papers/undated/undated.json",
        f"people/{OWNER}/papers.bib",  # the owner's files too, though their profile is home
        f"people/{OWNER}/papers.json",
        "people/tao-mei/papers.json",
        "papers.bib",
        "papers.json",
    }
    assert files["papers/wei2023skywork/wei2023skywork.bib"].decode() == SKYWORK.bibtex + "\n"
    one = json.loads(files["papers/wei2024moe/wei2024moe.json"])
    assert [item["id"] for item in one] == ["wei2024moe"]  # a one-item list
    everyone = json.loads(files["papers.json"])
    assert [item["id"] for item in everyone] == ["wei2024moe", "wei2023skywork", "zhang2019dabnn", "undated"]
    assert [i["id"] for i in json.loads(files["people/tao-mei/papers.json"])] == ["zhang2019dabnn"]


def test_export_sources_let_a_build_make_files_lazily() -> None:
    site = make_site()
    sources = site_files.export_sources(site)
    assert sources["people/tao-mei/papers.json"] == site.papers_of("tao-mei")
    files = site_files.export_files(site)
    assert {rel: site_files.export_bytes(rel, papers) for rel, papers in sources.items()} == files


def test_a_person_without_papers_has_no_files() -> None:
    site = make_site()
    site = Site.create(
        site.config,
        authors=site.authors,
        papers=site.papers,
        papers_by_author={OWNER: site.papers_by_author[OWNER]},
    )
    assert not [rel for rel in site_files.export_files(site) if rel.startswith("people/tao-mei/")]
    assert views.profile_view(site, "tao-mei").downloads == ()
    assert site_files.export_files(Site.create(site.config)) == {}


@pytest.fixture(scope="module")
def example() -> Site:
    return load_site(ROOT / "content").site


def test_the_example_sites_exports_read_back(example: Site) -> None:
    files = site_files.export_files(example)
    bib = SourceFile.from_bytes("papers.bib", files["papers.bib"])
    parsed = parse_bib_file(bib)
    assert not [d for d in parsed.diagnostics if d.level == "error"]
    again = papers_from_bib([parsed])
    assert [p.key for p in again.papers] == [p.key for p in example.papers]
    items = json.loads(files["papers.json"])
    assert [item["id"] for item in items] == [p.key for p in example.papers]
    for paper in example.papers:
        own = json.loads(files[paths.paper_export_path(paper, "json")])
        assert len(own) == 1 and own[0]["id"] == paper.key


def _linked_files(page_path: str, downloads: tuple[views.DownloadItem, ...]) -> set[str]:
    return {posixpath.normpath(posixpath.join(page_path, d.path)) for d in downloads}


def test_every_download_link_points_at_a_file(example: Site) -> None:
    files = set(site_files.export_files(example))
    pages = [views.profile_view(example, a.slug) for a in example.authors]
    pages += [views.paper_view(example, p.key) for p in example.papers]
    pages += [views.publications_view(example)]
    linked: set[str] = set()
    for view in pages:
        assert view.downloads, view.path
        for item in view.downloads:
            assert item.path in files, (view.path, item.path)
            assert item.aria_label.startswith(item.label)  # the visible text starts the name
            assert item.file_name.endswith(item.path.rsplit(".", 1)[1])
            linked.add(item.path)
    assert linked == files  # and every file is offered somewhere


def test_download_items() -> None:
    site = make_site()
    paper = views.paper_view(site, "wei2023skywork")
    assert [(d.label, d.kind, d.media_type, d.file_name) for d in paper.downloads] == [
        ("BibTeX", "bibtex", "application/x-bibtex", "wei2023skywork.bib"),
        ("CSL-JSON", "csl-json", "application/vnd.citationstyles.csl+json", "wei2023skywork.json"),
    ]
    assert paper.downloads[0].aria_label == "BibTeX file of Skywork: A More Open Bilingual Foundation Model"
    assert [d.label for d in views.paper_view(site, "wei2024moe").downloads] == ["CSL-JSON"]
    profile = views.profile_view(site, OWNER)
    assert [d.path for d in profile.downloads] == [
        f"people/{OWNER}/papers.bib",
        f"people/{OWNER}/papers.json",
    ]
    assert profile.downloads[0].file_name == f"{OWNER}-papers.bib"
    pubs = views.publications_view(site)
    assert [d.path for d in pubs.downloads] == ["papers.bib", "papers.json"]
