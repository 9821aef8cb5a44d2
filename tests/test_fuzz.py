"""Property tests: arbitrary text in, a record or the project's own diagnostics out, never a crash.

The normal run keeps a short profile; `make fuzz` runs the long campaign
(HYPOTHESIS_PROFILE=fuzz) and reports how many inputs were tried.
"""

from __future__ import annotations

import os

import pytest
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator import latex
from generator.config import SiteConfig
from generator.dates import parse_date
from generator.diagnostics import SourceLocation
from generator.model import AuthorRef, Paper, PaperDate, PersonName, Site
from generator.names import NameMatcher, parse_name, split_authors
from generator.slugs import MAX_LEN, slugify, unique_slugs
from generator.sources.yaml_source import load_yaml_text

settings.register_profile(
    "default", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "fuzz",
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "20000")),
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

pytestmark = pytest.mark.fuzz
FUZZ = os.environ.get("HYPOTHESIS_PROFILE") == "fuzz"
INPUTS: dict[str, int] = {}  # test name -> inputs tried, reported by conftest at the end


def count(name: str) -> None:
    INPUTS[name] = INPUTS.get(name, 0) + 1


# Text that looks like what the parsers see: TeX specials, accents, quotes, markup.
TEXY = st.text(
    alphabet=st.one_of(
        st.sampled_from(list("\\{}$^_~%&#@,. -'\"`<>=/:;()[]*†‡\n\tandAND")),
        st.characters(codec="utf-8"),
    ),
    max_size=80,
)


@given(TEXY)
def test_names_never_crash(raw):
    count("test_names_never_crash")
    names, _more = split_authors(raw)
    for name in names:
        person, marks = parse_name(name)
        assert isinstance(person, PersonName) and isinstance(marks, str)


@given(st.lists(TEXY, min_size=1, max_size=4), TEXY)
def test_matcher_never_crashes(profile_names, raw):
    count("test_matcher_never_crashes")
    matcher = NameMatcher([("p", profile_names)])
    person, _ = parse_name(raw)
    assert matcher.match(person) in (None, "p")


@given(st.dictionaries(st.sampled_from(["date", "year", "month", "day"]), TEXY, max_size=4), TEXY)
def test_dates_never_crash(fields, arxiv_id):
    count("test_dates_never_crash")
    date, problems = parse_date(fields, arxiv_id)
    assert isinstance(date, PaperDate) and all(isinstance(p, str) for p in problems)
    if date.month is not None:
        assert 1 <= date.month <= 12
    if date.day is not None:
        assert 1 <= date.day <= 31


@given(st.lists(st.text(max_size=300), max_size=5))
def test_slugs_are_safe_and_unique(texts):
    count("test_slugs_are_safe_and_unique")
    slugs = unique_slugs(texts)
    assert len(set(slugs)) == len(slugs)
    for slug in slugs:
        assert slug == slugify(slug) or slug.endswith("-") or "-" in slug
        assert 0 < len(slug) <= MAX_LEN
        assert set(slug) <= set("abcdefghijklmnopqrstuvwxyz0123456789-")
        assert ".." not in slug and "/" not in slug


@given(st.text(max_size=200))
def test_yaml_never_crashes(text):
    count("test_yaml_never_crashes")
    doc = load_yaml_text("x.yaml", text)
    assert all(d.location is not None and d.location.path == "x.yaml" for d in doc.diagnostics)
    if any(d.level == "error" for d in doc.diagnostics):
        assert doc.data is None  # an unreadable document yields no half-built value


@given(TEXY)
def test_latex_decode_and_render_never_crash(raw):
    count("test_latex_decode_and_render_never_crash")
    light = latex.decode(raw)
    assert isinstance(latex.to_plain(light), str)
    html = latex.to_html(light)
    soup = BeautifulSoup(f"<div>{html}</div>", "html.parser")
    allowed = {
        "div",
        "em",
        "strong",
        "code",
        "span",
        "u",
        "math",
        "semantics",
        "annotation",
        "mrow",
        "mi",
        "mn",
        "mo",
        "msup",
        "msub",
        "msubsup",
        "mfrac",
        "msqrt",
        "mroot",
        "mtext",
        "mspace",
        "mover",
        "munder",
        "munderover",
        "mtable",
        "mtr",
        "mtd",
        "mstyle",
        "menclose",
        "mpadded",
        "mphantom",
        "merror",
        "ms",
    }
    for tag in soup.find_all(True):
        assert tag.name in allowed, (raw, html)
        assert not any(a.lower().startswith("on") or a.lower() in ("href", "src") for a in tag.attrs), html


def _render_paper_page(title: str, author: str, venue: str, abstract: str) -> BeautifulSoup:
    from generator import render, views
    from tests.conftest import ROOT

    loc = SourceLocation("x.bib", 1)
    paper = Paper(
        key="k",
        slug="k",
        entry_type="article",
        title=title,
        source=loc,
        venue=venue,
        abstract=abstract,
        authors=(AuthorRef(PersonName(given=author, family="X")),),
        date=PaperDate(2024, 1, 2),
    )
    site = Site.create(SiteConfig(), papers=(paper,))
    env = _ENV.get("env")
    if env is None:
        env = _ENV["env"] = render.make_environment(render.load_theme("default", ROOT))
    html = render.render_page(
        env, "paper.html", views.paper_view(site, "k"), views.site_view(site), "papers/k/", "/"
    )
    return BeautifulSoup(html, "html.parser")


_ENV: dict[str, object] = {}


def _shape(soup: BeautifulSoup) -> set[tuple[str, tuple[str, ...]]]:
    """Element names and attribute names outside content, i.e. what the template itself produces."""
    for math in soup.find_all("math"):
        math.decompose()
    for tag in soup.find_all(["em", "strong", "code", "u"]):
        tag.unwrap()
    return {(t.name, tuple(sorted(t.attrs))) for t in soup.find_all(True)}


@given(TEXY, TEXY, TEXY, TEXY)
@settings(max_examples=5000 if FUZZ else 30)
def test_rendering_arbitrary_strings_adds_no_elements_or_attributes(title, author, venue, abstract):
    count("test_rendering_arbitrary_strings_adds_no_elements_or_attributes")
    baseline = _shape(_render_paper_page("Title", "Ada", "Venue", "Abstract"))
    shape = _shape(_render_paper_page(title or "t", author or "a", venue, abstract))
    extra = {s for s in shape - baseline if s[0] not in ("span", "p", "details", "summary", "div")}
    assert not extra, extra
    for name, attrs in shape:
        assert not any(a.startswith("on") for a in attrs)
        assert name != "script" or attrs == ("type",)
