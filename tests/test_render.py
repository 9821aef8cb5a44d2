"""Themes, overrides and the default theme's pages, read as a reader (and a screen reader) would."""

from __future__ import annotations

import dataclasses
import itertools
import os
import shutil
import subprocess
from pathlib import Path

import jinja2
import pytest
from bs4 import BeautifulSoup, Tag

from generator import paths, render, views
from generator.model import Site
from tests.test_views import OWNER, make_site

HEADINGS = ["h1", "h2", "h3", "h4", "h5", "h6"]


def env_for(site_root: Path, theme: str = "default") -> jinja2.Environment:
    return render.make_environment(render.load_theme(theme, site_root))


def all_pages(site: Site) -> list[tuple[str, str, object]]:
    """(path, template, view) for every kind of page, as routes plans them."""
    pages: list[tuple[str, str, object]] = [
        (paths.author_path(site, OWNER), "profile.html", views.profile_view(site, OWNER)),
        ("people/tao-mei/", "profile.html", views.profile_view(site, "tao-mei")),
        (paths.people_path(), "people.html", views.people_view(site)),
        (paths.publications_path(), "publications.html", views.publications_view(site)),
        (paths.category_path("CL"), "category.html", views.category_view(site, "CL")),
        (views.NOT_FOUND_PATH, "404.html", views.not_found_view(site)),
    ]
    pages += [(paths.paper_path(p), "paper.html", views.paper_view(site, p.key)) for p in site.papers]
    pages += [(paths.page_path(p), "page.html", views.page_view(site, p)) for p in site.pages]
    return pages


def render_one(site: Site, path: str, template: str, view: object, site_root: Path) -> str:
    return render.render_page(
        env_for(site_root), template, view, views.site_view(site), path, site.config.base_url
    )


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, BeautifulSoup]:
    """Every page of the seed-like site rendered with the default theme, by path."""
    site = make_site()
    root = tmp_path_factory.mktemp("site")
    return {
        path: BeautifulSoup(render_one(site, path, template, view, root), "html.parser")
        for path, template, view in all_pages(site)
    }


def text(element: Tag) -> str:
    """What a reader sees: the text with whitespace collapsed (templates put the spaces)."""
    return " ".join(element.get_text().split())


# --- themes and overrides --------------------------------------------------


def test_default_theme_is_built_in(tmp_path: Path) -> None:
    theme = render.load_theme("default", tmp_path)
    assert theme.name == "default" and theme.version
    assert [d.parts[-3:] for d in theme.template_dirs] == [("themes", "default", "templates")]
    assert {"style.css", "favicon.svg"} <= set(render.theme_assets(theme))


def test_unknown_theme_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(render.ThemeError, match=r"unknown theme 'nope'.*available: default"):
        render.load_theme("nope", tmp_path)
    with pytest.raises(render.ThemeError, match="not a folder name"):
        render.load_theme("../default", tmp_path)


def test_a_site_overrides_single_templates(tmp_path: Path) -> None:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "404.html").write_text("site 404: {{ view.title }}")
    theme_templates = tmp_path / "themes" / "default" / "templates"
    theme_templates.mkdir(parents=True)
    (theme_templates / "404.html").write_text("theme-folder 404")
    (theme_templates / "page.html").write_text("theme-folder page: {{ view.title }}")
    site = make_site()
    env = env_for(tmp_path)
    sv = views.site_view(site)
    assert render.render_page(env, "404.html", views.not_found_view(site), sv, "404.html", "/") == (
        "site 404: Page not found"
    )
    page = views.page_view(site, site.pages[0])
    assert render.render_page(env, "page.html", page, sv, page.path, "/") == "theme-folder page: Teaching"
    publications = render.render_page(
        env, "publications.html", views.publications_view(site), sv, "publications/", "/"
    )
    assert "<h1>Publications</h1>" in publications  # the built-in theme fills in the rest


def test_a_site_theme_folder_and_its_static_files(tmp_path: Path) -> None:
    theme_dir = tmp_path / "themes" / "mine"
    (theme_dir / "templates").mkdir(parents=True)
    (theme_dir / "static").mkdir()
    (theme_dir / "theme.yaml").write_text("name: mine\ndescription: My theme\nversion: '2.0'\n")
    (theme_dir / "templates" / "404.html").write_text("{{ asset_url('style.css') }} {{ url('papers/x/') }}")
    (theme_dir / "static" / "style.css").write_text("body{}")
    (theme_dir / "static" / ".hidden").write_text("")
    theme = render.load_theme("mine", tmp_path)
    assert (theme.description, theme.version) == ("My theme", "2.0")
    assert render.theme_assets(theme) == {"style.css": theme_dir / "static" / "style.css"}
    site = make_site()
    html = render.render_page(
        render.make_environment(theme),
        "404.html",
        views.not_found_view(site),
        views.site_view(site),
        "404.html",
        "https://user.github.io/repo/",
    )
    assert html == "/repo/assets/style.css /repo/papers/x/"  # 404.html is served at any URL
    with pytest.raises(render.ThemeError, match=r"'profile\.html' not found"):
        render.render_page(
            render.make_environment(theme), "profile.html", None, views.site_view(site), "", "/"
        )


def test_site_static_files_override_the_themes(tmp_path: Path) -> None:
    static = tmp_path / "themes" / "default" / "static"
    static.mkdir(parents=True)
    (static / "style.css").write_text("/* mine */")
    assets = render.theme_assets(render.load_theme("default", tmp_path))
    assert assets["style.css"] == static / "style.css"
    assert assets["favicon.svg"].parts[-4:] == ("themes", "default", "static", "favicon.svg")


def test_broken_theme_yaml(tmp_path: Path) -> None:
    theme_dir = tmp_path / "themes" / "bad"
    theme_dir.mkdir(parents=True)
    (theme_dir / "theme.yaml").write_text("name: [unclosed")
    with pytest.raises(render.ThemeError, match="not valid YAML"):
        render.load_theme("bad", tmp_path)


def test_templates_are_strict_and_escape(tmp_path: Path) -> None:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "404.html").write_text("{{ view.title }}{{ view.no_such_field }}")
    (tmp_path / "templates" / "page.html").write_text("{{ view.title }}|{{ view.body_html }}")
    (tmp_path / "templates" / "people.html").write_text("{% if %}")
    site = make_site()
    env = env_for(tmp_path)
    sv = views.site_view(site)
    with pytest.raises(render.ThemeError, match=r"404\.html:1: .*no_such_field"):
        render.render_page(env, "404.html", views.not_found_view(site), sv, "404.html", "/")
    with pytest.raises(render.ThemeError, match=r"people\.html:1: template syntax error"):
        render.render_page(env, "people.html", views.people_view(site), sv, "", "/")
    page = dataclasses.replace(views.page_view(site, site.pages[0]), title="<b>x</b>")
    html = render.render_page(env, "page.html", page, sv, "teaching/", "/")
    assert html == "&lt;b&gt;x&lt;/b&gt;|<h2>Courses</h2>\n<p>None.</p>"  # text escaped, Markup kept


# --- the default theme: the profile page follows the seed --------------------


def test_document_head(rendered: dict[str, BeautifulSoup]) -> None:
    home = rendered[""]
    assert home.html is not None and home.html["lang"] == "en"
    assert home.find("meta", charset=True)["charset"] == "utf-8"
    assert "width=device-width" in home.find("meta", attrs={"name": "viewport"})["content"]
    assert home.title is not None and home.title.get_text() == "Jianhao Zhang"
    assert home.find("link", rel="canonical")["href"] == "https://user.github.io/repo/"
    assert home.find("link", rel="stylesheet")["href"] == "assets/style.css"
    paper = rendered["papers/wei2023skywork/"]
    assert paper.find("link", rel="stylesheet")["href"] == "../../assets/style.css"
    assert paper.find("link", rel="canonical")["href"] == "https://user.github.io/repo/papers/wei2023skywork/"
    assert paper.find("meta", attrs={"name": "description"})["content"].startswith("In this technical report")


def test_profile_information_order(rendered: dict[str, BeautifulSoup]) -> None:
    main = rendered[""].find("main")
    assert isinstance(main, Tag)
    reading = text(main)
    order = [
        "Jianhao Zhang",
        "CL",
        "Researcher, Skywork AI",
        "h-index 19",
        "AI Score 44",
        "Email",
        "About me",
    ]
    order += ["4 Papers", "Skywork-MoE", "Skywork: A More Open"]
    positions = [reading.index(s) for s in order]
    assert positions == sorted(positions)
    assert main.find("h1").get_text() == "Jianhao Zhang"
    metrics = [text(li) for li in main.select(".metrics li")]
    assert metrics == ["h-index 19", "6 papers", "319 citations", "Novelty 54%", "AI Score 44"]
    assert [h.get_text() for h in main.find_all("h2")][-1] == "4 Papers"


def test_paper_card_reads_like_the_seed(rendered: dict[str, BeautifulSoup]) -> None:
    cards = rendered[""].find_all("article")
    assert len(cards) == 4
    card = cards[1]
    meta = card.find(class_="card-meta")
    assert [a.get_text() for a in meta.find_all("a", class_="pill")] == ["CL"]
    assert meta.find("time")["datetime"] == "2023-10-30" and meta.find("time").get_text() == "Oct 30, 2023"
    code = meta.find("a", string="Code")
    assert code["href"] == "https://github.com/SkyworkAI/Skywork"
    assert code["aria-label"] == "Code for Skywork: A More Open Bilingual Foundation Model"
    title = card.find("h3")
    assert title.get_text() == "Skywork: A More Open Bilingual Foundation Model"
    assert title.find("a")["href"] == "papers/wei2023skywork/"
    assert card["aria-labelledby"] == title["id"]
    authors = card.find(class_="authors")
    assert text(authors).startswith("Tianwen Wei, Liang Zhao, Lichang Zhang et al.")
    summary = authors.find("details").find("summary")
    assert summary.get_text() == "et al." and summary["aria-label"].startswith("et al.")
    assert "Bo Zhu" in text(authors.find("details"))
    assert text(authors.find(class_="incl")) == "(incl. Jianhao Zhang)"
    # the abstract reads straight through the fold
    abstract = text(card.find(class_="abstract"))
    assert "to date. We introduce a two-stage" in abstract
    assert card.find(class_="abstract").find("details").find("summary")["aria-label"] == "Read more"
    links = [(a.get_text(), a["href"]) for a in card.select(".card-foot a")]
    assert links[-1] == ("BibTeX", "papers/wei2023skywork/#bibtex")


def test_owner_is_highlighted_and_not_linked_on_their_own_page(rendered: dict[str, BeautifulSoup]) -> None:
    card = rendered[""].find_all("article")[2]  # daBNN: the owner is the first author
    authors = card.find(class_="authors")
    assert text(authors).startswith("Jianhao Zhang, Yingwei Pan*, Ting Yao et al.")
    first = authors.find(class_="is-person")
    assert first.name == "strong"
    tao = rendered["people/tao-mei/"].find_all("article")[0].find(class_="authors")
    assert tao.find("a", class_="is-profiled")["href"] == "../../"  # the owner's profile is home
    assert text(tao.find(class_="incl")) == "(incl. Tao Mei)"  # this page's person, fourth author


def test_paper_page(rendered: dict[str, BeautifulSoup]) -> None:
    page = rendered["papers/wei2023skywork/"]
    assert page.find("h1").get_text() == "Skywork: A More Open Bilingual Foundation Model"
    authors = page.find(class_="paper-authors")
    assert text(authors) == "Tianwen Wei, Liang Zhao, Lichang Zhang, Bo Zhu, Jianhao Zhang et al."
    assert authors.find("a")["href"] == "../../"
    bibtex = page.find(id="bibtex")
    assert bibtex.find("pre").find("code").get_text().startswith("@misc{wei2023skywork,")
    assert [a.get_text() for a in page.select(".paper-links a")] == ["PDF", "arXiv", "Code", "Slides"]
    assert page.select_one(".paper-links a[href='../../static/skywork-slides.pdf']") is not None


def test_publications_and_category_pages(rendered: dict[str, BeautifulSoup]) -> None:
    pubs = rendered["publications/"]
    assert [h.get_text() for h in pubs.find_all("h2")] == ["2024", "2023", "2019", "Undated"]
    filters = pubs.find("nav", attrs={"aria-label": "Categories"})
    assert [text(a) for a in filters.find_all("a")] == ["All", "CL (2)", "CV (1)", "LG (1)"]
    assert filters.find("a", attrs={"aria-current": "page"}).get_text() == "All"
    category = rendered["categories/cl/"]
    assert category.find("h1").get_text() == "CL"
    assert len(category.find_all("article")) == 2
    current = category.find("nav", attrs={"aria-label": "Categories"}).find(
        "a", attrs={"aria-current": "page"}
    )
    assert text(current) == "CL (2)"


def test_navigation_marks_the_current_page(rendered: dict[str, BeautifulSoup]) -> None:
    nav = rendered["publications/"].find("nav", attrs={"aria-label": "Main"})
    assert [(a.get_text(), a["href"]) for a in nav.find_all("a")][:3] == [
        ("Home", "../"),
        ("Publications", "./"),
        ("CV page", "../cv/"),
    ]
    assert nav.find("a", attrs={"aria-current": "page"}).get_text() == "Publications"


def test_404_uses_root_relative_links(rendered: dict[str, BeautifulSoup]) -> None:
    page = rendered["404.html"]
    assert page.find("link", rel="stylesheet")["href"] == "/repo/assets/style.css"
    assert page.find("link", rel="canonical") is None
    assert page.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    assert [a["href"] for a in page.find("main").find_all("a")] == ["/repo/", "/repo/publications/"]


def test_people_page_on_a_group_site(tmp_path: Path) -> None:
    site = make_site(author="", group="Vision Lab")
    html = render_one(site, "", "people.html", views.people_view(site), tmp_path)
    doc = BeautifulSoup(html, "html.parser")
    assert doc.find("h1").get_text() == "Vision Lab"
    assert [h.get_text() for h in doc.find_all("h2")] == ["Researcher", "Advisor"]
    names = [(h.get_text(), h.find("a")["href"]) for h in doc.find_all("h3")]
    assert names == [("Jianhao Zhang", "people/jianhao-zhang/"), ("Tao Mei", "people/tao-mei/")]
    assert doc.find("img", class_="avatar")["src"] == "static/tao.jpg"
    assert doc.find(class_="monogram").get_text() == "JZ"


# --- every page: escaping and accessibility structure ------------------------


def test_nothing_from_content_runs(rendered: dict[str, BeautifulSoup]) -> None:
    for path, doc in rendered.items():
        for script in doc.find_all("script"):  # only data (JSON-LD) and the theme's own files
            src = script.get("src", "")
            assert script.get("type") == "application/ld+json" or (src and "assets/" in src), (path, script)
            assert not (src and script.string), (path, script)
        for tag in doc.find_all(True):
            for attr, value in tag.attrs.items():
                assert not attr.startswith("on"), (path, tag.name, attr)
                if attr in ("href", "src"):
                    assert not str(value).lower().startswith(("javascript:", "data:")), (path, value)
    title = rendered["papers/undated/"].find("h1")
    assert title.get_text().startswith("An <undated> & unsafe") and title.find("undated") is None


def test_landmarks_headings_and_ids(rendered: dict[str, BeautifulSoup]) -> None:
    for path, doc in rendered.items():
        assert len(doc.find_all("main")) == 1 and doc.find("main")["id"] == "content", path
        assert doc.find("a", class_="skip-link")["href"] == "#content", path
        assert doc.find("header", class_="site-header") and doc.find("footer", class_="site-footer"), path
        levels = [int(h.name[1]) for h in doc.find_all(HEADINGS)]
        assert levels.count(1) == 1 and levels[0] == 1, (path, levels)
        assert all(b - a <= 1 for a, b in itertools.pairwise(levels)), (path, levels)
        ids = [tag["id"] for tag in doc.find_all(id=True)]
        assert len(ids) == len(set(ids)), (path, ids)
        for ref in doc.find_all(attrs={"aria-labelledby": True}):
            assert doc.find(id=ref["aria-labelledby"]) is not None, (path, ref["aria-labelledby"])


def test_every_link_and_image_has_an_accessible_name(rendered: dict[str, BeautifulSoup]) -> None:
    for path, doc in rendered.items():
        for link in doc.find_all("a"):
            if link.get("href") is None:
                continue
            name = link.get("aria-label") or link.get_text(strip=True)
            assert name, (path, link)
            if link.get("aria-label"):
                assert link.get_text(strip=True) in link["aria-label"], (
                    "the visible label is part of the name"
                )
        for image in doc.find_all("img"):
            assert image.has_attr("alt"), (path, image)
        for summary in doc.find_all("summary"):
            assert summary.get("aria-label") or summary.get_text(strip=True), (path, summary)


def _vnu_command() -> list[str] | None:
    """The Nu Html Checker, when this machine has it (VNU_JAR, `make audit-tools`' jar, or `vnu`)."""
    audit_jar = Path(__file__).parent.parent / "tools/audit/node_modules/vnu-jar/build/dist/vnu.jar"
    for jar in (os.environ.get("VNU_JAR"), str(audit_jar)):
        if jar and Path(jar).is_file() and shutil.which("java"):
            return ["java", "-jar", jar]
    exe = shutil.which("vnu")
    return [exe] if exe else None


@pytest.mark.slow
def test_pages_are_valid_html(tmp_path: Path) -> None:
    command = _vnu_command()
    if command is None:
        pytest.skip("the Nu Html Checker is not installed (set VNU_JAR to vnu.jar)")
    site = make_site()
    files = []
    for i, (path, template, view) in enumerate(all_pages(site)):
        file = tmp_path / f"page{i}.html"
        file.write_text(render_one(site, path, template, view, tmp_path))
        files.append(str(file))
    css = render.theme_assets(render.load_theme("default", tmp_path))["style.css"]
    result = subprocess.run([*command, "--also-check-css", *files, str(css)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
