"""The theme contract's builders: every decision a page shows, tested without templates.

``make_site`` is also used by test_render.py: a small site shaped like the seed profile.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from generator import views
from generator.config import SiteConfig
from generator.diagnostics import SourceLocation
from generator.model import (
    Author,
    AuthorRef,
    Link,
    Metric,
    Page,
    Paper,
    PaperDate,
    PersonName,
    ProfileLink,
    Site,
)

LOC = SourceLocation("content/papers/papers.bib", 1)
OWNER = "jianhao-zhang"
LONG_ABSTRACT = (
    "In this technical report, we present Skywork-13B, a family of large language models (LLMs) trained on "
    "a corpus of over 3.2 trillion tokens drawn from both English and Chinese texts. This bilingual "
    "foundation model is the most extensively trained and openly published LLMs of comparable size to "
    "date. We introduce a two-stage training methodology using a segmented corpus, targeting general "
    "purpose training and then domain-specific enhancement training, respectively. We show that our model "
    "not only excels on popular benchmarks, but also achieves \\emph{state of the art} performance in "
    "Chinese language modeling on diverse domains. Furthermore, we propose a novel leakage detection "
    "method, demonstrating that test data contamination is a pressing issue."
)


def ref(name: str, slug: str | None = None, marks: str = "") -> AuthorRef:
    given, _, family = name.rpartition(" ")
    return AuthorRef(PersonName(given=given, family=family), marks=marks, author_slug=slug)


ME = ref("Jianhao Zhang", OWNER)


def paper(key: str, **fields: Any) -> Paper:
    defaults: dict[str, Any] = {
        "key": key,
        "entry_type": "article",
        "title": f"Title of {key}",
        "authors": (ME,),
        "source": LOC,
        "slug": key.lower(),
    }
    return Paper(**{**defaults, **fields})


SKYWORK = paper(
    "wei2023skywork",
    entry_type="misc",
    title="Skywork: A More Open Bilingual Foundation Model",
    authors=(ref("Tianwen Wei"), ref("Liang Zhao"), ref("Lichang Zhang"), ref("Bo Zhu"), ME),
    more_authors=True,
    date=PaperDate(2023, 10, 30),
    abstract=LONG_ABSTRACT,
    categories=("CL",),
    links=(
        Link("code", "Code", "https://github.com/SkyworkAI/Skywork"),
        Link("pdf", "PDF", "https://arxiv.org/pdf/2310.19341"),
        Link("slides", "Slides", "static/skywork-slides.pdf"),
        Link("video", "Video", "javascript:alert(1)"),
    ),
    arxiv_id="2310.19341",
    venue="arXiv",
    bibtex="@misc{wei2023skywork,\n  title = {Skywork: A More Open Bilingual Foundation Model},\n}",
)
DABNN = paper(
    "zhang2019dabnn",
    entry_type="inproceedings",
    title="daBNN: A Super Fast Inference Framework for Binary Neural Networks on ARM devices",
    authors=(ME, ref("Yingwei Pan", marks="*"), ref("Ting Yao"), ref("Tao Mei", "tao-mei")),
    date=PaperDate(2019, 8, 16),
    abstract="Our daBNN is $7\\times$ faster.",
    categories=("CV", "LG"),
    links=(Link("code", "Code", "https://github.com/JDAI-CV/dabnn"),),
    doi="10.1145/3343031.3350534",
    selected=True,
)
MOE = paper(
    "wei2024moe",
    title="Skywork-MoE",
    authors=(ref("Tianwen Wei"), ME),
    date=PaperDate(2024, 6),
    categories=("CL",),
)
UNDATED = paper("undated", title="An <undated> & unsafe $x$ note", categories=())


def make_site(**config: Any) -> Site:
    """The seed-like site; ``config`` overrides SiteConfig fields."""
    settings: dict[str, Any] = {
        "title": "Jianhao Zhang",
        "author": OWNER,
        "base_url": "https://user.github.io/repo/",
        "footer": "© 2025 *Jianhao Zhang* <script>alert(1)</script>",
        "nav": (("CV", "static/cv.pdf"), ("Blog", "https://blog.example.org/"), ("Evil", "javascript:x")),
    }
    authors = (
        Author(
            slug=OWNER,
            name="Jianhao Zhang",
            source=LOC,
            affiliation="Skywork AI",
            role="Researcher",
            bio_markdown="# About me\n\nI build **fast** models. <script>alert(1)</script>\n\n## Now\n\nLLM.",
            links=(
                ProfileLink("email", "Email", "me@example.org"),
                ProfileLink("github", "GitHub", "https://github.com/daquexian"),
                ProfileLink("website", "Evil", "javascript:alert(1)"),
            ),
        ),
        Author(
            slug="tao-mei", name="Tao Mei", source=LOC, role="Advisor", category="CV", avatar="static/tao.jpg"
        ),
    )
    papers = (MOE, SKYWORK, DABNN, UNDATED)  # newest first, as assemble orders them
    pages = (
        Page(slug="teaching", title="Teaching", body_markdown="# Courses\n\nNone.", source=LOC),
        Page(
            slug="about", title="About", body_markdown="## Hi\n\n[x](javascript:x)", source=LOC, nav_order=2
        ),
        Page(slug="cv", title="CV page", body_markdown="Text", source=LOC, nav_order=1),
    )
    metrics = {
        OWNER: (
            Metric("h-index", "19", "h_index"),
            Metric("papers", "6", "papers"),
            Metric("citations", "319", "citations"),
            Metric("Novelty", "54%"),
            Metric("AI Score", "44"),
        )
    }
    return Site.create(
        SiteConfig(**{**settings, **config}),
        authors=authors,
        papers=papers,
        pages=pages,
        papers_by_author={
            OWNER: ("wei2024moe", "wei2023skywork", "zhang2019dabnn", "undated"),
            "tao-mei": ("zhang2019dabnn",),
        },
        metrics=metrics,
        categories=("CL", "CV", "LG"),
    )


def card_of(cards: tuple[views.PaperCard, ...], key: str) -> views.PaperCard:
    return next(c for c in cards if c.key == key)


# --- profile ---------------------------------------------------------------


def test_profile_header_follows_the_seed() -> None:
    view = views.profile_view(make_site(), OWNER)
    assert view.name == "Jianhao Zhang"
    assert view.path == ""  # the owner's profile is the home page
    assert view.category == views.CategoryTag("CL", "categories/cl/")  # most frequent first category
    assert (view.affiliation, view.role) == ("Skywork AI", "Researcher")
    assert [(m.label, m.value, m.value_first) for m in view.metrics] == [
        ("h-index", "19", False),
        ("papers", "6", True),
        ("citations", "319", True),
        ("Novelty", "54%", False),
        ("AI Score", "44", False),
    ]
    assert view.paper_count_label == "4 Papers"
    assert [c.key for c in view.papers] == ["wei2024moe", "wei2023skywork", "zhang2019dabnn", "undated"]
    assert view.avatar_path is None and view.initials == "JZ"


def test_profile_links_are_safe_and_emails_become_mailto() -> None:
    links = views.profile_view(make_site(), OWNER).links
    assert [(link.label, link.url, link.kind) for link in links] == [
        ("Email", "mailto:me@example.org", "email"),
        ("GitHub", "https://github.com/daquexian", "github"),
    ]


def test_bio_is_sanitised_and_its_headings_start_at_h2() -> None:
    bio = views.profile_view(make_site(), OWNER).bio_html
    assert "<h2>About me</h2>" in bio and "<h3>Now</h3>" in bio
    assert "<h1" not in bio and "script" not in bio
    assert "<strong>fast</strong>" in bio


def test_other_profiles_use_their_own_category_and_avatar() -> None:
    view = views.profile_view(make_site(), "tao-mei")
    assert view.path == "people/tao-mei/"
    assert view.category == views.CategoryTag("CV", "categories/cv/")
    assert view.avatar_path == "static/tao.jpg"
    assert view.paper_count_label == "1 Paper"
    assert view.metrics == ()
    with pytest.raises(KeyError):
        views.profile_view(make_site(), "nobody")


def test_selected_papers_first_when_asked() -> None:
    keys = [c.key for c in views.profile_view(make_site(selected_first=True), OWNER).papers]
    assert keys == ["zhang2019dabnn", "wei2024moe", "wei2023skywork", "undated"]


# --- paper cards -----------------------------------------------------------


def test_card_of_the_seed_paper() -> None:
    card = card_of(views.profile_view(make_site(), OWNER).papers, "wei2023skywork")
    assert card.path == "papers/wei2023skywork/"
    assert card.title_text == "Skywork: A More Open Bilingual Foundation Model"
    assert card.categories == (views.CategoryTag("CL", "categories/cl/"),)
    assert (card.date_label, card.date_iso) == ("Oct 30, 2023", "2023-10-30")
    assert card.code_url == "https://github.com/SkyworkAI/Skywork"
    assert card.code_label == "Code for Skywork: A More Open Bilingual Foundation Model"
    assert card.venue == "arXiv"


def test_card_links_row_order_and_safety() -> None:
    card = card_of(views.profile_view(make_site(), OWNER).papers, "wei2023skywork")
    assert [(link.label, link.url) for link in card.links] == [
        ("PDF", "https://arxiv.org/pdf/2310.19341"),
        ("arXiv", "https://arxiv.org/abs/2310.19341"),
        ("Slides", "static/skywork-slides.pdf"),
        ("BibTeX", "papers/wei2023skywork/#bibtex"),
    ]  # Code is the badge; the javascript: video is dropped
    assert all(
        link.aria_label and link.aria_label.startswith(link.label + " for Skywork") for link in card.links
    )
    dabnn = card_of(views.profile_view(make_site(), OWNER).papers, "zhang2019dabnn")
    assert [(link.label, link.url) for link in dabnn.links] == [
        ("DOI", "https://doi.org/10.1145/3343031.3350534")
    ]


def test_unsafe_code_url_gives_no_badge() -> None:
    evil = paper("evil", links=(Link("code", "Code", "javascript:alert(1)"),))
    site = Site.create(SiteConfig(author=OWNER), papers=(evil,), papers_by_author={OWNER: ("evil",)})
    ctx = views._ctx(site, OWNER, "")
    assert views.paper_card(ctx, evil).code_url is None


@pytest.mark.parametrize(
    ("date", "language", "label", "iso"),
    [
        (PaperDate(2023, 10, 30), "en", "Oct 30, 2023", "2023-10-30"),
        (PaperDate(2024, 6), "en", "Jun 2024", "2024-06"),
        (PaperDate(2019), "en", "2019", "2019"),
        (PaperDate(), "en", "", ""),
        (PaperDate(2023, 10, 30), "de", "30.10.2023", "2023-10-30"),
        (PaperDate(2023, 10, 30), "en-GB", "30 Oct 2023", "2023-10-30"),
        (PaperDate(2023, 2, 30), "en", "Feb 2023", "2023-02"),  # no 30 February: keep what is certain
        (PaperDate(2023, 13), "en", "2023", "2023"),
        (PaperDate(0, 5, 1), "en", "", ""),  # nonsense in, no crash out
        (PaperDate(2023, 10, 30), "xx-unknown", "Oct 30, 2023", "2023-10-30"),  # unknown: English
    ],
)
def test_dates_are_localised(date: PaperDate, language: str, label: str, iso: str) -> None:
    site = Site.create(SiteConfig(language=language))
    ctx = views._ctx(site, None, "")
    card = views.paper_card(ctx, paper("p", date=date))
    assert (card.date_label, card.date_iso) == (label, iso)


def line_of(key: str, shown: int = 3, person: str | None = OWNER) -> views.AuthorsLine:
    site = make_site(authors_shown=shown)
    found = site.paper(key)
    assert found is not None
    return views.authors_line(views._ctx(site, person, ""), found)


def names(authors: tuple[views.AuthorView, ...]) -> list[str]:
    return [a.name for a in authors]


def test_authors_line_shows_the_first_names_then_et_al() -> None:
    line = line_of("wei2023skywork")
    assert names(line.shown) == ["Tianwen Wei", "Liang Zhao", "Lichang Zhang"]
    assert line.et_al
    assert names(line.hidden) == ["Bo Zhu", "Jianhao Zhang"]
    assert len(line.all) == 5 and line.more_authors
    assert line.expand_label == "et al.: show all 5+ authors"


def test_the_page_person_stays_visible_when_beyond_the_first_names() -> None:
    line = line_of("wei2023skywork")
    assert line.page_person is not None and line.page_person.name == "Jianhao Zhang"
    assert line.page_person.is_page_person and line.page_person.is_highlighted
    assert line.page_person.path is None  # their own profile is the page being read
    assert line_of("zhang2019dabnn").page_person is None  # already shown first
    assert line_of("wei2023skywork", person=None).page_person is None  # a group site's list


def test_authors_line_flags_and_limits() -> None:
    line = line_of("zhang2019dabnn", shown=3)
    assert names(line.shown) == ["Jianhao Zhang", "Yingwei Pan", "Ting Yao"]
    assert line.shown[1].marks == "*"
    tao = line.hidden[0]
    assert (tao.name, tao.path, tao.is_highlighted, tao.is_page_person) == (
        "Tao Mei",
        "people/tao-mei/",
        True,
        False,
    )
    assert not line.shown[1].is_highlighted and line.shown[1].path is None
    short = line_of("wei2024moe", shown=3)
    assert names(short.shown) == ["Tianwen Wei", "Jianhao Zhang"] and not short.et_al and short.hidden == ()
    one = line_of("wei2024moe", shown=0)  # at least one name is always shown
    assert names(one.shown) == ["Tianwen Wei"] and one.et_al and one.page_person is not None


def test_et_al_without_hidden_names_when_the_list_ended_in_others() -> None:
    site = Site.create(SiteConfig(), papers=(paper("p", authors=(ref("A B"),), more_authors=True),))
    found = site.paper("p")
    assert found is not None
    line = views.authors_line(views._ctx(site, None, ""), found)
    assert line.et_al and line.hidden == ()


def test_long_abstracts_fold_after_a_sentence() -> None:
    card = card_of(views.profile_view(make_site(), OWNER).papers, "wei2023skywork")
    assert card.abstract_collapsed
    assert card.abstract_lead_html.endswith(".")
    assert len(card.abstract_lead_html) <= 320
    joined = f"{card.abstract_lead_html} {card.abstract_rest_html}"
    assert joined == card.abstract_html  # nothing lost or repeated at the fold
    assert "<em>state of the art</em>" in card.abstract_rest_html


def test_short_abstracts_and_folding_switched_off() -> None:
    short = card_of(views.profile_view(make_site(), OWNER).papers, "zhang2019dabnn")
    assert not short.abstract_collapsed and short.abstract_rest_html == ""
    assert short.abstract_lead_html == short.abstract_html
    never = card_of(views.profile_view(make_site(abstract_collapse=0), OWNER).papers, "wei2023skywork")
    assert not never.abstract_collapsed


def test_the_fold_never_cuts_math_or_braces() -> None:
    for text in (
        "Intro words here. " + "$a + b + c + d + e + f + g + h$ " * 20 + "\\emph{x y z} end.",
        "Intro words here. $$a + b + c + d + e + f + g + h + i + j + k + l + m + n + o + p + q$$ end.",
        "Intro words here. \\emph{one two three four five six seven eight nine ten eleven twelve} end.",
    ):
        cut = views._abstract_cut(text, 60)
        assert cut is not None
        lead = text[:cut]
        assert lead.count("$") % 2 == 0 and lead.count("{") == lead.count("}"), lead
    assert views._abstract_cut(text, 60) == len("Intro words here.")  # the only safe place


def test_titles_and_abstracts_from_bibtex_are_escaped() -> None:
    card = card_of(views.publications_view(make_site()).groups[-1].papers, "undated")
    assert "<undated>" not in card.title_html
    assert "&lt;undated&gt;" in card.title_html and "&amp;" in card.title_html
    assert card.title_text.startswith("An <undated> & unsafe")  # plain text: the template escapes it


# --- paper page ------------------------------------------------------------


def test_paper_view() -> None:
    view = views.paper_view(make_site(), "wei2023skywork")
    assert view.path == "papers/wei2023skywork/" and view.bibtex_id == "bibtex"
    assert names(view.authors) == ["Tianwen Wei", "Liang Zhao", "Lichang Zhang", "Bo Zhu", "Jianhao Zhang"]
    assert view.more_authors
    owner = view.authors[-1]
    assert owner.path == "" and owner.is_page_person  # on a paper page the owner links home
    assert [link.kind for link in view.links] == ["pdf", "arxiv", "code", "slides"]
    assert view.bibtex.startswith("@misc{wei2023skywork,")
    assert len(view.meta_description) <= 160 and view.meta_description.endswith("…")
    assert view.meta_description.startswith("In this technical report")
    assert view.document_title == "Skywork: A More Open Bilingual Foundation Model · Jianhao Zhang"
    with pytest.raises(KeyError):
        views.paper_view(make_site(), "missing")


def test_paper_without_abstract_is_described_by_title_and_authors() -> None:
    view = views.paper_view(make_site(), "wei2024moe")
    assert view.meta_description == "Skywork-MoE by Tianwen Wei, Jianhao Zhang (2024)"
    assert view.abstract_html == ""


# --- lists -----------------------------------------------------------------


def test_publications_grouped_by_year_with_undated_last() -> None:
    view = views.publications_view(make_site())
    assert [(g.label, g.anchor_id, [c.key for c in g.papers]) for g in view.groups] == [
        ("2024", "year-2024", ["wei2024moe"]),
        ("2023", "year-2023", ["wei2023skywork"]),
        ("2019", "year-2019", ["zhang2019dabnn"]),
        ("Undated", "undated", ["undated"]),
    ]
    assert view.paper_count_label == "4 Papers"
    assert [(f.label, f.count, f.is_current) for f in view.categories] == [
        ("CL", 2, False),
        ("CV", 1, False),
        ("LG", 1, False),
    ]


def test_category_view() -> None:
    view = views.category_view(make_site(), "CL")
    assert view.path == "categories/cl/"
    assert [c.key for c in view.papers] == ["wei2024moe", "wei2023skywork"]
    assert view.paper_count_label == "2 Papers"
    assert [f.label for f in view.categories if f.is_current] == ["CL"]
    assert view.publications_path == "publications/"


def test_page_view() -> None:
    site = make_site()
    about = next(p for p in site.pages if p.slug == "about")
    view = views.page_view(site, about)
    assert view.path == "about/" and view.title == "About"
    assert "<h2>Hi</h2>" in view.body_html and "javascript" not in view.body_html
    assert view.document_title == "About · Jianhao Zhang"


def test_site_view_navigation_and_footer() -> None:
    view = views.site_view(make_site())
    assert [(n.label, n.path, n.is_external) for n in view.nav] == [
        ("Home", "", False),
        ("Publications", "publications/", False),
        ("CV page", "cv/", False),
        ("About", "about/", False),
        ("Teaching", "teaching/", False),  # no nav_order: after the ordered pages
        ("CV", "static/cv.pdf", False),
        ("Blog", "https://blog.example.org/", True),
    ]  # the javascript: extra is dropped
    assert "<em>Jianhao Zhang</em>" in view.footer_html and "script" not in view.footer_html
    assert view.owner_name == "Jianhao Zhang"
    assert view.language == "en" and view.generator_name == "scholarpages" and view.generator_version


def test_not_found_view() -> None:
    view = views.not_found_view(make_site())
    assert view.path == "404.html" and view.home_path == "" and view.title == "Page not found"


def test_people_view_groups_by_role() -> None:
    view = views.people_view(make_site(author="", group="Vision Lab"))
    assert view.path == "" and view.title == "Vision Lab"
    assert [(g.heading, [p.name for p in g.people]) for g in view.groups] == [
        ("Researcher", ["Jianhao Zhang"]),
        ("Advisor", ["Tao Mei"]),
    ]
    assert view.person_heading_level == 3
    person = view.groups[0].people[0]
    assert person.path == "people/jianhao-zhang/" and person.initials == "JZ"
    assert [m.label for m in person.metrics] == ["h-index", "papers", "citations"]
    assert person.category == views.CategoryTag("CL", "categories/cl/")


def test_people_without_roles_form_one_untitled_group() -> None:
    site = make_site(author="")
    site = dataclasses.replace(site, authors=tuple(dataclasses.replace(a, role="") for a in site.authors))
    view = views.people_view(site)
    assert [g.heading for g in view.groups] == [None]
    assert view.person_heading_level == 2
    assert views.people_view(make_site()).path == "people/"  # beside an owner's home


def test_people_without_a_role_come_last() -> None:
    site = make_site(author="")
    site = dataclasses.replace(site, authors=(dataclasses.replace(site.authors[0], role=""), site.authors[1]))
    assert [g.heading for g in views.people_view(site).groups] == ["Advisor", "Other members"]


@pytest.mark.parametrize(
    ("name", "expected"),
    [("Jianhao Zhang", "JZ"), ("Ludwig van Beethoven", "LB"), ("Plato", "P"), ("张建豪", "张"), ("", "?")],
)
def test_initials(name: str, expected: str) -> None:
    assert views.initials(name) == expected


def test_views_are_hashable_values() -> None:
    """Frozen and hashable, so a build can fingerprint a page by its view."""
    site = make_site()
    built = [
        views.site_view(site),
        views.profile_view(site, OWNER),
        views.paper_view(site, "wei2023skywork"),
        views.publications_view(site),
        views.category_view(site, "CL"),
        views.people_view(site),
        views.not_found_view(site),
    ]
    for view in built:
        assert hash(view) == hash(dataclasses.replace(view))
    assert views.profile_view(site, OWNER) == views.profile_view(make_site(), OWNER)
