"""THE THEME CONTRACT: one typed, documented view per template.

Everything a page shows is decided here, in Python, where it can be tested:
which authors are visible before "et al.", which links a paper has, how a
date reads in the site's language. Templates only lay the values out.

Rules every view follows:

* every field is always present; "missing" is ``None``, ``""`` or ``()``;
* fields of type ``Markup`` hold safe HTML (from ``latex.to_html`` or
  ``markup.render_markdown``); every other string is plain text that the
  template's autoescaping escapes;
* paths are site-relative (``"papers/x/"``, ``""`` for home) and become URLs
  with ``url()`` in a template; link targets from content have been checked by
  ``urls.safe_href`` and may also be external URLs, which ``url()`` keeps.

``contract_markdown()`` renders this module as docs/theme-contract.md.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import re
import types
import typing
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields, is_dataclass
from typing import Annotated

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_skeleton
from markupsafe import Markup

import generator
from generator import latex, paths, seo
from generator.markup import render_markdown
from generator.model import Author, AuthorRef, Page, Paper, PaperDate, ProfileLink, Site
from generator.slugs import unique_slugs
from generator.urls import is_external, safe_href

NOT_FOUND_PATH = "404.html"  # served by static hosts for any missing URL
BIBTEX_ID = "bibtex"  # id of the BibTeX section on a paper page
META_DESCRIPTION_LEN = 160
UNDATED_LABEL = "Undated"
GENERATOR_NAME = "scholarpages"


# ---------------------------------------------------------------------------
# Small parts shared by several views
# ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NavItem:
    """One entry of the site's main navigation."""

    label: Annotated[str, "Link text."]
    path: Annotated[str, "Site-relative path, or an external URL; pass it to `url()`."]
    is_external: Annotated[bool, "True when the link leaves the site."]


@dataclass(frozen=True, slots=True)
class CategoryTag:
    """A category pill ("CL", "CV") linking to the category's page."""

    label: Annotated[str, "The category as written in the content, e.g. `CL`."]
    path: Annotated[str, "Site-relative path of the category page."]


@dataclass(frozen=True, slots=True)
class CategoryFilter:
    """An entry of a category filter list (publications and category pages)."""

    label: Annotated[str, "The category, e.g. `CV`."]
    path: Annotated[str, "Site-relative path of the category page."]
    count: Annotated[int, "Number of papers in the category."]
    is_current: Annotated[bool, "True on that category's own page (mark it `aria-current`)."]


@dataclass(frozen=True, slots=True)
class LinkItem:
    """A link of a paper or a profile: PDF, arXiv, DOI, Code, homepage, email, ..."""

    label: Annotated[str, "Visible link text, e.g. `PDF`."]
    url: Annotated[str, "Safe external URL or site-relative path (with `#fragment`); pass it to `url()`."]
    kind: Annotated[str, "Stable id for styling/icons: `pdf`, `arxiv`, `doi`, `code`, `bibtex`, `email`, ..."]
    aria_label: Annotated[
        str | None,
        "Accessible name when the visible text alone is ambiguous (`PDF for <title>`), else None.",
    ]


@dataclass(frozen=True, slots=True)
class MetricItem:
    """One entry of a metrics strip ("h-index 19", "6 papers")."""

    label: Annotated[str, "The metric's name as configured, e.g. `h-index`, `papers`."]
    value: Annotated[str, "The value, shown as it is, e.g. `19`, `54%`."]
    key: Annotated[str, "`h_index`, `papers`, `citations`, `i10_index`, or empty for custom metrics."]
    value_first: Annotated[bool, "Show the value before the label (`6 papers`, not `papers 6`)."]


@dataclass(frozen=True, slots=True)
class AuthorView:
    """One name in a paper's author list."""

    name: Annotated[str, "Display name, `First von Last, Jr`."]
    marks: Annotated[
        str, "Equal-contribution marks such as `*` or `†`, shown as a superscript; may be empty."
    ]
    path: Annotated[str | None, "Site-relative path of the person's profile, or None when not profiled."]
    is_highlighted: Annotated[bool, "True when the name matched a profile of this site."]
    is_page_person: Annotated[bool, "True for the person whose page this is (emphasise them)."]


@dataclass(frozen=True, slots=True)
class AuthorsLine:
    """A paper card's author line: "A, B, C et al.", the full list behind "et al.".

    Layout: ``shown`` joined by ", "; then "et al." when ``et_al``, expanding
    (a <details>) to ``all`` when ``hidden`` is not empty; then, when the page's
    person is not among the first names, ``page_person`` (e.g. "incl. X") so a
    profile never lists a paper without its owner in sight.
    """

    shown: Annotated[tuple[AuthorView, ...], "The first `authors_shown` names, in order."]
    et_al: Annotated[bool, "Show `et al.`: names were left out, or the list ended in `and others`."]
    hidden: Annotated[tuple[AuthorView, ...], "Names left out of `shown`, in order."]
    all: Annotated[tuple[AuthorView, ...], "The full author list, in order."]
    more_authors: Annotated[bool, "The BibTeX list ended in `and others`: append `and others` to `all`."]
    page_person: Annotated[
        AuthorView | None, "The page's person when they are an author but not in `shown`; else None."
    ]
    expand_label: Annotated[
        str, "Accessible name of the `et al.` toggle, e.g. `et al.: show all 12 authors`."
    ]


@dataclass(frozen=True, slots=True)
class PaperCard:
    """A paper in a list (profile, publications, category pages): an arXiv-style card.

    Order on the card (as in the seed): categories, date, Code badge, title (h3
    link), authors, abstract; then the venue and the links row.
    """

    key: Annotated[str, "The BibTeX key."]
    anchor_id: Annotated[str, "Unique id for the card's title (for `aria-labelledby`)."]
    path: Annotated[str, "Site-relative path of the paper's page."]
    title_html: Annotated[Markup, "The title as safe HTML (math as MathML)."]
    title_text: Annotated[str, "The title as plain text, for accessible names."]
    categories: Annotated[tuple[CategoryTag, ...], "Category pills, most important first."]
    date_label: Annotated[str, "Localised date: `Oct 30, 2023`, `Oct 2023` or `2023`; empty when undated."]
    date_iso: Annotated[str, "`2023-10-30`, `2023-10` or `2023` for `<time datetime>`; empty when undated."]
    code_url: Annotated[str | None, "Safe URL of the code, or None (no Code badge)."]
    code_label: Annotated[str, "Accessible name of the Code badge: `Code for <title>`."]
    authors: Annotated[AuthorsLine, "The author line."]
    abstract_html: Annotated[Markup, "The whole abstract as safe HTML; empty when there is none."]
    abstract_collapsed: Annotated[bool, "True when the abstract is long: show the lead, fold the rest."]
    abstract_lead_html: Annotated[
        Markup, "The abstract's first sentences (the whole abstract if not collapsed)."
    ]
    abstract_rest_html: Annotated[Markup, "The rest of the abstract, for the fold; empty if not collapsed."]
    venue: Annotated[str, "Journal, conference or `arXiv`, plain text; may be empty."]
    award: Annotated[str, "An award such as `Best Paper`, or empty."]
    selected: Annotated[bool, "Marked `selected` in the BibTeX (a highlighted paper)."]
    links: Annotated[tuple[LinkItem, ...], "PDF, arXiv, DOI, other links, then BibTeX (on the paper page)."]


@dataclass(frozen=True, slots=True)
class YearGroup:
    """Papers of one year on the publications page."""

    label: Annotated[str, "The year, or `Undated`."]
    anchor_id: Annotated[str, "Id for the group's heading, e.g. `year-2023`."]
    papers: Annotated[tuple[PaperCard, ...], "The year's papers, newest first."]


@dataclass(frozen=True, slots=True)
class PersonCard:
    """A person on the people page (a group site's home)."""

    slug: Annotated[str, "The profile's slug."]
    name: Annotated[str, "Full name."]
    path: Annotated[str, "Site-relative path of the profile."]
    avatar_path: Annotated[str | None, "Site-relative path (or URL) of the photo, or None: show `initials`."]
    initials: Annotated[str, "One or two letters for a monogram, e.g. `JZ`."]
    role: Annotated[str, "Role such as `PhD student`; may be empty."]
    affiliation: Annotated[str, "Affiliation; may be empty."]
    category: Annotated[CategoryTag | None, "Primary research category, or None."]
    metrics: Annotated[tuple[MetricItem, ...], "Headline metrics (the first three of the strip)."]
    paper_count_label: Annotated[str, "`6 Papers`, `1 Paper`."]


@dataclass(frozen=True, slots=True)
class PeopleGroup:
    """People sharing a role on the people page."""

    heading: Annotated[str | None, "The role as a heading, or None when the site gives no roles."]
    anchor_id: Annotated[str, "Id for the heading, e.g. `role-phd-students`."]
    people: Annotated[tuple[PersonCard, ...], "The people, in the site's order."]


@dataclass(frozen=True, slots=True)
class MetaTag:
    """A `<meta>` of the page's head: `<meta {attribute}="{key}" content="{content}">`."""

    attribute: Annotated[str, "`property` for Open Graph (`og:`, `article:`), `name` for the others."]
    key: Annotated[str, "The tag, e.g. `og:title`, `twitter:card`, `citation_author`."]
    content: Annotated[str, "Plain text or an absolute URL (autoescaping makes it a safe attribute)."]


@dataclass(frozen=True, slots=True)
class PageMeta:
    """What search engines, Google Scholar and link previews read from a page's head.

    URLs in it are absolute, so tags that need one (`og:url`, `og:image`, `citation_pdf_url`
    of a local file, ...) are left out while `base_url` is root-relative (`/`).
    """

    tags: Annotated[
        tuple[MetaTag, ...],
        "Open Graph, Twitter card and, on paper pages, Google Scholar's Highwire Press `citation_*` "
        "tags (one `citation_author` per author), in order.",
    ]
    json_ld: Annotated[
        Markup,
        "schema.org JSON-LD (`Person` on profiles, `ScholarlyArticle` on paper pages) for a "
        '`<script type="application/ld+json">`, with `<`, `>` and `&` written as `\\u003c`, '
        "`\\u003e`, `\\u0026` so no text can end the script; empty on other pages.",
    ]


NO_META = PageMeta((), Markup(""))


# ---------------------------------------------------------------------------
# One view per template
# ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SiteView:
    """What every page shares: passed to every template as `site`."""

    title: Annotated[str, "The site's title (header link text)."]
    language: Annotated[str, "BCP 47 language for `<html lang>`, e.g. `en`."]
    description: Annotated[str, "The site's description; may be empty."]
    nav: Annotated[
        tuple[NavItem, ...],
        "Main navigation: Home, Publications, Markdown pages (by nav_order, then title), extras.",
    ]
    footer_html: Annotated[Markup, "The footer's Markdown as safe HTML; may be empty."]
    owner_name: Annotated[str | None, "Name of the site's owner, or None on a group site."]
    base_url: Annotated[str, "The configured base URL, e.g. `https://user.github.io/repo/` or `/`."]
    generator_name: Annotated[str, "`scholarpages`."]
    generator_version: Annotated[str, "The generator's version, for `<meta name=generator>`."]
    feed_path: Annotated[str, "Site-relative path of the site's Atom feed of papers (`feed.xml`)."]


@dataclass(frozen=True, slots=True)
class ProfileView:
    """A researcher's profile: the owner's home page or `people/<slug>/` on a group site.

    Order on the page: name (h1), category pill, affiliation, metrics, links,
    bio; then the "6 Papers" heading (h2) and one card per paper.
    """

    path: Annotated[str, "Site-relative path of this page (canonical link)."]
    document_title: Annotated[str, "Text of `<title>`."]
    meta_description: Annotated[str, "Text of `<meta name=description>`."]
    slug: Annotated[str, "The profile's slug."]
    name: Annotated[str, "Full name (the page's h1)."]
    category: Annotated[CategoryTag | None, "Primary category: the profile's own, else their most frequent."]
    affiliation: Annotated[str, "Affiliation; may be empty."]
    role: Annotated[str, "Role; may be empty."]
    avatar_path: Annotated[str | None, "Site-relative path (or URL) of the photo, or None: show `initials`."]
    initials: Annotated[str, "One or two letters for a monogram, e.g. `JZ`."]
    bio_html: Annotated[Markup, "The bio as safe HTML, headings starting at h2; may be empty."]
    links: Annotated[tuple[LinkItem, ...], "Homepage, GitHub, Scholar, email (`mailto:`), ..."]
    metrics: Annotated[tuple[MetricItem, ...], "The metrics strip, in the configured order."]
    paper_count_label: Annotated[str, "Heading of the paper list: `6 Papers`, `1 Paper`."]
    papers: Annotated[tuple[PaperCard, ...], "Their papers (selected first when the site asks for it)."]
    feed_path: Annotated[str, "Site-relative path of this person's Atom feed (the site's for the owner)."]
    meta: Annotated[PageMeta, "Open Graph, Twitter card, JSON-LD and Google Scholar metadata."]


@dataclass(frozen=True, slots=True)
class PaperView:
    """A paper's own page, with the full author list and the BibTeX entry."""

    path: Annotated[str, "Site-relative path of this page (canonical link)."]
    document_title: Annotated[str, "Text of `<title>`."]
    meta_description: Annotated[str, "Plain-text abstract cut to about 160 characters."]
    key: Annotated[str, "The BibTeX key."]
    title_html: Annotated[Markup, "The title as safe HTML (the page's h1)."]
    title_text: Annotated[str, "The title as plain text."]
    categories: Annotated[tuple[CategoryTag, ...], "Category pills."]
    date_label: Annotated[str, "Localised date; empty when undated."]
    date_iso: Annotated[str, "ISO date for `<time datetime>`; empty when undated."]
    authors: Annotated[tuple[AuthorView, ...], "Every author, in order."]
    more_authors: Annotated[bool, "The list ended in `and others`: append `et al.`."]
    venue: Annotated[str, "Journal, conference or `arXiv`; may be empty."]
    award: Annotated[str, "An award, or empty."]
    note: Annotated[str, "A note/annotation, plain text; may be empty."]
    abstract_html: Annotated[Markup, "The whole abstract as safe HTML; may be empty."]
    code_url: Annotated[str | None, "Safe URL of the code, or None."]
    links: Annotated[tuple[LinkItem, ...], "Every link: PDF, arXiv, DOI, Code, slides, ..."]
    doi: Annotated[str, "The DOI, or empty."]
    arxiv_id: Annotated[str, "The arXiv id, or empty."]
    citations: Annotated[int | None, "Citation count when known."]
    preview_path: Annotated[str | None, "Safe path or URL of a preview image, or None."]
    bibtex: Annotated[str, "The BibTeX entry for a copyable `<pre><code>` block; may be empty."]
    bibtex_id: Annotated[str, "Id of the BibTeX section (cards link to `path#bibtex`)."]
    meta: Annotated[PageMeta, "Open Graph, Twitter card, JSON-LD and Google Scholar metadata."]


@dataclass(frozen=True, slots=True)
class PublicationsView:
    """Every paper of the site, grouped by year, newest first; undated papers last."""

    path: Annotated[str, "Site-relative path of this page."]
    document_title: Annotated[str, "Text of `<title>`."]
    meta_description: Annotated[str, "Text of `<meta name=description>`."]
    title: Annotated[str, "The page's h1: `Publications`."]
    paper_count_label: Annotated[str, "`42 Papers`."]
    categories: Annotated[tuple[CategoryFilter, ...], "Category filter links, most papers first."]
    groups: Annotated[tuple[YearGroup, ...], "Year groups, newest first, `Undated` last."]
    meta: Annotated[PageMeta, "Open Graph, Twitter card, JSON-LD and Google Scholar metadata."]


@dataclass(frozen=True, slots=True)
class CategoryView:
    """The papers of one category."""

    path: Annotated[str, "Site-relative path of this page."]
    document_title: Annotated[str, "Text of `<title>`."]
    meta_description: Annotated[str, "Text of `<meta name=description>`."]
    category: Annotated[str, "The category (the page's h1), e.g. `CL`."]
    paper_count_label: Annotated[str, "`6 Papers`."]
    categories: Annotated[tuple[CategoryFilter, ...], "All categories, this one marked current."]
    papers: Annotated[tuple[PaperCard, ...], "The category's papers, newest first."]
    publications_path: Annotated[str, "Site-relative path of the publications page (`All`)."]
    meta: Annotated[PageMeta, "Open Graph, Twitter card, JSON-LD and Google Scholar metadata."]


@dataclass(frozen=True, slots=True)
class PageView:
    """A Markdown page from content/pages."""

    path: Annotated[str, "Site-relative path of this page."]
    document_title: Annotated[str, "Text of `<title>`."]
    meta_description: Annotated[str, "Text of `<meta name=description>`."]
    title: Annotated[str, "The page's h1."]
    body_html: Annotated[Markup, "The body as safe HTML, headings starting at h2."]
    meta: Annotated[PageMeta, "Open Graph, Twitter card, JSON-LD and Google Scholar metadata."]


@dataclass(frozen=True, slots=True)
class PeopleView:
    """The people of a group site (its home page), grouped by role when roles are given."""

    path: Annotated[str, "Site-relative path of this page."]
    document_title: Annotated[str, "Text of `<title>`."]
    meta_description: Annotated[str, "Text of `<meta name=description>`."]
    title: Annotated[str, "The page's h1: the group's name or the site title."]
    description: Annotated[str, "The site's description, shown under the title; may be empty."]
    groups: Annotated[tuple[PeopleGroup, ...], "Role groups in order of first appearance."]
    person_heading_level: Annotated[int, "Heading level of a person's name: 3 under role headings, else 2."]
    meta: Annotated[PageMeta, "Open Graph, Twitter card, JSON-LD and Google Scholar metadata."]


@dataclass(frozen=True, slots=True)
class NotFoundView:
    """The 404 page. Static hosts serve it at any missing URL, so `url()` returns
    root-relative URLs on it."""

    path: Annotated[str, "`404.html`."]
    document_title: Annotated[str, "Text of `<title>`."]
    meta_description: Annotated[str, "Text of `<meta name=description>`."]
    title: Annotated[str, "The page's h1."]
    message: Annotated[str, "One sentence explaining what happened."]
    home_path: Annotated[str, "Site-relative path of the home page."]
    publications_path: Annotated[str, "Site-relative path of the publications page."]
    meta: Annotated[PageMeta, "Open Graph, Twitter card, JSON-LD and Google Scholar metadata."]


# ---------------------------------------------------------------------------
# Builders: shared helpers
# ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Ctx:
    """What every builder needs: the site, its locale, and whose page this is."""

    site: Site
    locale: Locale
    person: str | None  # slug of the page's person (kept visible in author lines)
    page_path: str  # the page being built: no author links to it


def _locale(language: str) -> Locale:
    """The babel locale for a BCP 47 tag; English when babel does not know it."""
    try:
        return Locale.parse(language.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return Locale.parse("en")


def _ctx(site: Site, person: str | None, page_path: str) -> _Ctx:
    return _Ctx(site, _locale(str(site.config.language or "en")), person or None, page_path)


def _count_label(n: int, singular: str = "Paper", plural: str = "Papers") -> str:
    return f"{n} {singular if n == 1 else plural}"


def _document_title(page_title: str, site: Site) -> str:
    """The <title> text: "Page · Site", or one of them when they are equal or one is missing."""
    site_title = str(site.config.title)
    if not page_title or page_title == site_title:
        return site_title
    return f"{page_title} · {site_title}" if site_title else page_title


def _cut(text: str, limit: int = META_DESCRIPTION_LEN) -> str:
    """Whitespace collapsed and cut at a word boundary to at most ``limit`` characters."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    space = head.rfind(" ")
    if space > limit // 2:
        head = head[:space]
    return head.rstrip(" ,;:.-") + "…"


def date_label(date: PaperDate, locale: Locale) -> str:
    """A date as readers of the site's language write it: "Oct 30, 2023", "Oct 2023", "2023" or ""."""
    if date.year is None or date.year < 1:  # year 0 is no date a reader or <time> understands
        return ""
    if date.month and date.day:
        with contextlib.suppress(ValueError):  # 30 February: the month is still right
            return str(format_date(datetime.date(date.year, date.month, date.day), "medium", locale=locale))
    if date.month:
        with contextlib.suppress(ValueError):  # month 13, year 0: the year is still right
            return str(format_skeleton("yMMM", datetime.date(date.year, date.month, 1), locale=locale))
    return str(date.year)


def _date_iso(date: PaperDate) -> str:
    """The ISO date, trimmed to what is valid (a bad day or month is dropped)."""
    if date.year is None or date.year < 1:
        return ""
    if not (date.month and 1 <= date.month <= 12):
        return f"{date.year:04d}"
    if date.day:
        try:
            datetime.date(date.year, date.month, date.day)
        except ValueError:
            return PaperDate(date.year, date.month).iso
    return date.iso


def initials(name: str) -> str:
    """Up to two letters for a monogram: first letters of the first and last words."""
    words = [w for w in re.split(r"[\s\-]+", name) if any(c.isalnum() for c in w)]
    letters = [next(c for c in w if c.isalnum()) for w in words]
    if not letters:
        return "?"
    picked = letters[0] + (letters[-1] if len(letters) > 1 else "")
    return picked.upper()


def _media_path(value: str) -> str | None:
    """An avatar/preview value as a safe site-relative path or URL, or None."""
    value = value.strip()
    if not value:
        return None
    return safe_href(value if is_external(value) else value.lstrip("/"))


def _tags(categories: Iterable[str]) -> tuple[CategoryTag, ...]:
    return tuple(CategoryTag(c, paths.category_path(c)) for c in categories if c)


def _primary_category(site: Site, author: Author) -> CategoryTag | None:
    """The profile's own category, else the most frequent first category of their papers."""
    if author.category:
        return CategoryTag(author.category, paths.category_path(author.category))
    counts = Counter(p.categories[0] for p in site.papers_of(author.slug) if p.categories)
    if not counts:
        return None
    rank = {c: i for i, c in enumerate(site.categories)}
    best = min(counts, key=lambda c: (-counts[c], rank.get(c, len(rank)), c))
    return CategoryTag(best, paths.category_path(best))


def _metrics(site: Site, slug: str) -> tuple[MetricItem, ...]:
    return tuple(
        MetricItem(m.label, m.value, m.key, value_first=m.key in ("papers", "citations"))
        for m in site.metrics.get(slug, ())
    )


# ---------------------------------------------------------------------------
# Builders: metadata for search engines, Google Scholar and link previews
# ---------------------------------------------------------------------------

# Link previews show raster images only; an SVG avatar is left to the page itself.
_RASTER_IMAGE = re.compile(r"\.(?:png|jpe?g|gif|webp)(?:[?#]|$)", re.IGNORECASE)


def _meta_tags(attribute: str, pairs: Iterable[tuple[str, str]]) -> tuple[MetaTag, ...]:
    return tuple(MetaTag(attribute, key, content) for key, content in pairs if content)


def _social_tags(
    site: Site,
    *,
    kind: str,
    title: str,
    description: str,
    path: str | None,
    image: str | None = None,
    image_alt: str = "",
    extra: Sequence[tuple[str, str]] = (),
) -> tuple[MetaTag, ...]:
    """Open Graph and Twitter card tags: what a shared link's preview shows."""
    base = str(site.config.base_url)
    url = seo.absolute(base, path) if path is not None else None
    image_url = seo.absolute(base, image) if image and _RASTER_IMAGE.search(image) else None
    alt = image_alt if image_url else ""
    og = [
        ("og:type", kind),
        ("og:title", title),
        ("og:description", description),
        ("og:url", url or ""),
        ("og:site_name", str(site.config.title)),
        ("og:image", image_url or ""),
        ("og:image:alt", alt),
        *extra,
    ]
    card = "summary_large_image" if image_url and kind == "article" else "summary"
    twitter = [
        ("twitter:card", card),
        ("twitter:title", title),
        ("twitter:description", description),
        ("twitter:image", image_url or ""),
        ("twitter:image:alt", alt),
    ]
    return _meta_tags("property", og) + _meta_tags("name", twitter)


def _website_meta(site: Site, title: str, description: str, path: str | None) -> PageMeta:
    """Metadata of a page that is neither a profile nor a paper: link-preview tags only."""
    tags = _social_tags(site, kind="website", title=title, description=description, path=path)
    return PageMeta(tags, Markup(""))


def _profile_meta(site: Site, author: Author, view: ProfileView) -> PageMeta:
    """Link-preview tags and a schema.org Person whose `sameAs` are the profile's links."""
    base = str(site.config.base_url)
    tags = _social_tags(
        site,
        kind="profile",
        title=author.name,
        description=view.meta_description,
        path=view.path,
        image=view.avatar_path,
        image_alt=f"Photo of {author.name}",
    )
    person = seo.person_ld(
        author,
        page_url=seo.absolute(base, view.path),
        image_url=seo.absolute(base, view.avatar_path),
        profiles=(link.url for link in view.links if link.kind != "email"),
        description=seo.lead_text(view.bio_html),
    )
    return PageMeta(tags, Markup(seo.json_ld(person)))


def _paper_meta(site: Site, paper: Paper, view: PaperView) -> PageMeta:
    """Link-preview tags, Google Scholar's citation_* tags and a schema.org ScholarlyArticle."""
    base, language = str(site.config.base_url), str(site.config.language or "en")
    page_url = seo.absolute(base, view.path)
    article = [
        ("article:published_time", view.date_iso),
        *(("article:tag", c.label) for c in view.categories),
    ]
    tags = _social_tags(
        site,
        kind="article",
        title=view.title_text,
        description=view.meta_description,
        path=view.path,
        image=view.preview_path,
        image_alt=f"Preview image of {view.title_text}",
        extra=article,
    )
    tags += _meta_tags("name", seo.highwire_tags(paper, page_url, base, language))
    ld = seo.article_ld(
        paper,
        page_url=page_url,
        authors=[(a.name, seo.absolute(base, a.path) if a.path is not None else None) for a in view.authors],
        date_iso=view.date_iso,
        image_url=seo.absolute(base, view.preview_path),
        base_url=base,
        language=language,
    )
    return PageMeta(tags, Markup(seo.json_ld(ld)))


# ---------------------------------------------------------------------------
# Builders: authors and paper cards
# ---------------------------------------------------------------------------


def _author_view(ctx: _Ctx, ref: AuthorRef) -> AuthorView:
    slug = ref.author_slug
    path = paths.author_path(ctx.site, slug) if slug and ctx.site.author(slug) else None
    if path == ctx.page_path:
        path = None  # a link to the page one is reading only confuses
    return AuthorView(
        name=ref.display,
        marks=ref.marks,
        path=path,
        is_highlighted=slug is not None,
        is_page_person=slug is not None and slug == ctx.person,
    )


def authors_line(ctx: _Ctx, paper: Paper) -> AuthorsLine:
    """The first ``authors_shown`` names, "et al.", and the page's person if left out."""
    everyone = tuple(_author_view(ctx, ref) for ref in paper.authors)
    shown = everyone[: max(1, int(ctx.site.config.authors_shown))]
    hidden = everyone[len(shown) :]
    total = f"{len(everyone)}+" if paper.more_authors else str(len(everyone))
    return AuthorsLine(
        shown=shown,
        et_al=bool(hidden) or paper.more_authors,
        hidden=hidden,
        all=everyone,
        more_authors=paper.more_authors,
        page_person=next((a for a in hidden if a.is_page_person), None),
        expand_label=f"et al.: show all {total} authors",
    )


def _abstract_cut(light: str, target: int) -> int | None:
    """Where to end an abstract's lead: a sentence end (else a space) at or before
    ``target``, outside math and braces so both halves stay valid light TeX."""
    depth, in_math, last_space, last_sentence = 0, False, None, None
    i = 0
    while i < min(len(light), target + 1):
        ch = light[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "$":
            in_math = not in_math
            i += 2 if light.startswith("$$", i) else 1  # $$..$$ is one delimiter, not two
            continue
        elif ch == "{":
            depth += 1
        elif ch == "}":
            depth = max(0, depth - 1)
        elif ch.isspace() and depth == 0 and not in_math:
            last_space = i
            if i > 0 and light[i - 1] in ".!?":
                last_sentence = i
        i += 1
    if last_sentence is not None and last_sentence >= target // 2:
        return last_sentence
    return last_space


def _abstract_parts(light: str, collapse_at: int) -> tuple[bool, Markup, Markup]:
    """(collapsed, lead_html, rest_html) for a card's abstract."""
    if collapse_at <= 0 or len(light) <= collapse_at:
        return False, Markup(latex.to_html(light)), Markup("")
    cut = _abstract_cut(light, max(80, collapse_at // 2))
    if cut is None:
        return False, Markup(latex.to_html(light)), Markup("")
    lead, rest = light[:cut].rstrip(), light[cut:].strip()
    return True, Markup(latex.to_html(lead)), Markup(latex.to_html(rest))


def _link(label: str, url: str, kind: str, about: str | None) -> LinkItem | None:
    href = safe_href(url)
    if href is None:
        return None
    return LinkItem(label, href, kind, f"{label} for {about}" if about else None)


def _paper_links(paper: Paper, title: str, *, include_code: bool) -> tuple[LinkItem, ...]:
    """PDF, arXiv, DOI, then the paper's other links; unsafe and duplicate URLs dropped."""
    candidates: list[tuple[str, str, str]] = []
    if (pdf := paper.link("pdf")) is not None:
        candidates.append(("PDF", pdf.url, "pdf"))
    arxiv = paper.link("arxiv")
    if arxiv is not None or paper.arxiv_id:
        candidates.append(
            ("arXiv", arxiv.url if arxiv else f"https://arxiv.org/abs/{paper.arxiv_id}", "arxiv")
        )
    doi = paper.link("doi")
    if doi is not None or paper.doi:
        candidates.append(("DOI", doi.url if doi else f"https://doi.org/{paper.doi}", "doi"))
    skip = {"pdf", "arxiv", "doi"} | (set() if include_code else {"code"})
    candidates += [
        (lnk.label or lnk.kind.title(), lnk.url, lnk.kind) for lnk in paper.links if lnk.kind not in skip
    ]
    out: list[LinkItem] = []
    seen: set[str] = set()
    for label, url, kind in candidates:
        item = _link(label, url, kind, title)
        if item is not None and item.url not in seen:
            seen.add(item.url)
            out.append(item)
    return tuple(out)


def _code_url(paper: Paper) -> str | None:
    code = paper.link("code")
    return safe_href(code.url) if code else None


def paper_card(ctx: _Ctx, paper: Paper) -> PaperCard:
    """The card of ``paper`` as shown on the page of ``ctx.person``."""
    title_text = latex.to_plain(paper.title)
    path = paths.paper_path(paper)
    collapsed, lead, rest = _abstract_parts(paper.abstract, int(ctx.site.config.abstract_collapse))
    links = _paper_links(paper, title_text, include_code=False)
    if paper.bibtex:
        links += (LinkItem("BibTeX", f"{path}#{BIBTEX_ID}", "bibtex", f"BibTeX for {title_text}"),)
    return PaperCard(
        key=paper.key,
        anchor_id=f"paper-{paper.slug}",
        path=path,
        title_html=Markup(latex.to_html(paper.title)),
        title_text=title_text,
        categories=_tags(paper.categories),
        date_label=date_label(paper.date, ctx.locale),
        date_iso=_date_iso(paper.date),
        code_url=_code_url(paper),
        code_label=f"Code for {title_text}",
        authors=authors_line(ctx, paper),
        abstract_html=Markup(latex.to_html(paper.abstract)) if paper.abstract else Markup(""),
        abstract_collapsed=collapsed,
        abstract_lead_html=lead,
        abstract_rest_html=rest,
        venue=paper.venue,
        award=paper.award,
        selected=paper.selected,
        links=links,
    )


# ---------------------------------------------------------------------------
# Builders: one per template
# ---------------------------------------------------------------------------


def _nav(site: Site) -> tuple[NavItem, ...]:
    items = [
        NavItem("Home", paths.home_path(), False),
        NavItem("Publications", paths.publications_path(), False),
    ]
    pages = sorted(site.pages, key=lambda p: (p.nav_order is None, p.nav_order or 0, p.title.casefold()))
    items += [NavItem(p.title, paths.page_path(p), False) for p in pages]
    for label, url in site.config.nav:
        href = safe_href(str(url))
        if href is not None:
            items.append(NavItem(str(label), href, is_external(href)))
    return tuple(items)


def site_view(site: Site) -> SiteView:
    """What every page shares: title, language, navigation, footer."""
    config = site.config
    owner = site.owner
    return SiteView(
        title=str(config.title),
        language=str(config.language or "en"),
        description=str(config.description),
        nav=_nav(site),
        footer_html=Markup(render_markdown(str(config.footer))),
        owner_name=owner.name if owner else None,
        base_url=str(config.base_url),
        generator_name=GENERATOR_NAME,
        generator_version=generator.__version__,
        feed_path=paths.feed_path(),
    )


def _profile_link(link: ProfileLink) -> LinkItem | None:
    url = link.url.strip()
    if link.kind == "email" and not url.lower().startswith("mailto:"):
        url = f"mailto:{url}"
    return _link(link.label or link.kind.title(), url, link.kind, None)


def _ordered_papers(site: Site, slug: str) -> tuple[Paper, ...]:
    papers = site.papers_of(slug)
    if site.config.selected_first:
        papers = tuple(sorted(papers, key=lambda p: not p.selected))  # stable: keeps date order
    return papers


def _require_author(site: Site, slug: str) -> Author:
    author = site.author(slug)
    if author is None:
        raise KeyError(f"no profile with slug {slug!r}")
    return author


def profile_view(site: Site, slug: str) -> ProfileView:
    """A person's profile page: header, metrics, links, bio, then their paper cards."""
    author = _require_author(site, slug)
    path = paths.author_path(site, slug)
    ctx = _ctx(site, slug, path)
    papers = _ordered_papers(site, slug)
    about = ", ".join(x for x in (author.role, author.affiliation) if x)
    bio_html = Markup(render_markdown(author.bio_markdown, heading_top=2))
    description = f"{author.name}{f' — {about}' if about else ''}: {_count_label(len(papers)).lower()}."
    description = f"{description} {seo.lead_text(bio_html)}".strip()
    view = ProfileView(
        path=path,
        document_title=_document_title(author.name, site),
        meta_description=_cut(description),
        slug=slug,
        name=author.name,
        category=_primary_category(site, author),
        affiliation=author.affiliation,
        role=author.role,
        avatar_path=_media_path(author.avatar),
        initials=initials(author.name),
        bio_html=bio_html,
        links=tuple(item for item in map(_profile_link, author.links) if item is not None),
        metrics=_metrics(site, slug),
        paper_count_label=_count_label(len(papers)),
        papers=tuple(paper_card(ctx, p) for p in papers),
        feed_path=paths.feed_path(None if slug == site.config.author else slug),
        meta=NO_META,  # filled in below from the finished view
    )
    return dataclasses.replace(view, meta=_profile_meta(site, author, view))


def _paper_description(paper: Paper, authors: Sequence[AuthorView]) -> str:
    if paper.abstract:
        return _cut(latex.to_plain(paper.abstract))
    names = ", ".join(a.name for a in authors[:3]) + (" et al." if len(authors) > 3 else "")
    year = f" ({paper.date.year})" if paper.date.year else ""
    return _cut(f"{latex.to_plain(paper.title)} by {names}{year}" if names else latex.to_plain(paper.title))


def paper_view(site: Site, key: str) -> PaperView:
    """A paper's page: full authors, venue, date, abstract, links and BibTeX."""
    paper = site.paper(key)
    if paper is None:
        raise KeyError(f"no paper with key {key!r}")
    path = paths.paper_path(paper)
    ctx = _ctx(site, site.config.author, path)
    authors = tuple(_author_view(ctx, ref) for ref in paper.authors)
    title_text = latex.to_plain(paper.title)
    view = PaperView(
        path=path,
        document_title=_document_title(title_text, site),
        meta_description=_paper_description(paper, authors),
        key=paper.key,
        title_html=Markup(latex.to_html(paper.title)),
        title_text=title_text,
        categories=_tags(paper.categories),
        date_label=date_label(paper.date, ctx.locale),
        date_iso=_date_iso(paper.date),
        authors=authors,
        more_authors=paper.more_authors,
        venue=paper.venue,
        award=paper.award,
        note=paper.note,
        abstract_html=Markup(latex.to_html(paper.abstract)) if paper.abstract else Markup(""),
        code_url=_code_url(paper),
        links=_paper_links(paper, title_text, include_code=True),
        doi=paper.doi,
        arxiv_id=paper.arxiv_id,
        citations=paper.citations,
        preview_path=_media_path(paper.preview),
        bibtex=paper.bibtex,
        bibtex_id=BIBTEX_ID,
        meta=NO_META,  # filled in below from the finished view
    )
    return dataclasses.replace(view, meta=_paper_meta(site, paper, view))


def _all_categories(site: Site) -> tuple[str, ...]:
    """The site's categories, most papers first (derived when assemble left them out)."""
    if site.categories:
        return site.categories
    counts = Counter(c for p in site.papers for c in p.categories)
    return tuple(sorted(counts, key=lambda c: (-counts[c], c)))


def _category_filters(site: Site, current: str | None) -> tuple[CategoryFilter, ...]:
    counts = Counter(c for p in site.papers for c in set(p.categories))
    return tuple(
        CategoryFilter(c, paths.category_path(c), counts[c], c == current) for c in _all_categories(site)
    )


def _year_groups(ctx: _Ctx, papers: Sequence[Paper]) -> tuple[YearGroup, ...]:
    by_year: dict[int | None, list[Paper]] = {}
    for paper in papers:
        by_year.setdefault(paper.date.year, []).append(paper)
    years = sorted((y for y in by_year if y is not None), reverse=True)
    groups = [YearGroup(str(y), f"year-{y}", tuple(paper_card(ctx, p) for p in by_year[y])) for y in years]
    if None in by_year:
        groups.append(YearGroup(UNDATED_LABEL, "undated", tuple(paper_card(ctx, p) for p in by_year[None])))
    return tuple(groups)


def publications_view(site: Site) -> PublicationsView:
    """Every paper, grouped by year (newest first), with category filter links."""
    ctx = _ctx(site, site.config.author, paths.publications_path())
    count = _count_label(len(site.papers))
    description = _cut(f"{count} by {site.owner.name}." if site.owner else f"{count}.")
    return PublicationsView(
        path=paths.publications_path(),
        document_title=_document_title("Publications", site),
        meta_description=description,
        title="Publications",
        paper_count_label=count,
        categories=_category_filters(site, None),
        groups=_year_groups(ctx, site.papers),
        meta=_website_meta(site, "Publications", description, paths.publications_path()),
    )


def category_view(site: Site, category: str) -> CategoryView:
    """The papers of one category, newest first."""
    ctx = _ctx(site, site.config.author, paths.category_path(category))
    papers = tuple(p for p in site.papers if category in p.categories)
    count = _count_label(len(papers))
    description = _cut(f"{count} in {category}.")
    return CategoryView(
        path=paths.category_path(category),
        document_title=_document_title(category, site),
        meta_description=description,
        category=category,
        paper_count_label=count,
        categories=_category_filters(site, category),
        papers=tuple(paper_card(ctx, p) for p in papers),
        publications_path=paths.publications_path(),
        meta=_website_meta(site, category, description, paths.category_path(category)),
    )


def page_view(site: Site, page: Page) -> PageView:
    """A Markdown page; its headings start at h2 under the page's title."""
    description = _cut(page.description or str(site.config.description))
    return PageView(
        path=paths.page_path(page),
        document_title=_document_title(page.title, site),
        meta_description=description,
        title=page.title,
        body_html=Markup(render_markdown(page.body_markdown, page.raw_html, heading_top=2)),
        meta=_website_meta(site, page.title, description, paths.page_path(page)),
    )


def not_found_view(site: Site) -> NotFoundView:
    """The 404 page."""
    return NotFoundView(
        path=NOT_FOUND_PATH,
        document_title=_document_title("Page not found", site),
        meta_description="This page does not exist.",
        title="Page not found",
        message="There is no page at this address. It may have moved, or the link may be mistyped.",
        home_path=paths.home_path(),
        publications_path=paths.publications_path(),
        meta=_website_meta(site, "Page not found", "This page does not exist.", None),
    )


def _person_card(site: Site, author: Author) -> PersonCard:
    return PersonCard(
        slug=author.slug,
        name=author.name,
        path=paths.author_path(site, author.slug),
        avatar_path=_media_path(author.avatar),
        initials=initials(author.name),
        role=author.role,
        affiliation=author.affiliation,
        category=_primary_category(site, author),
        metrics=_metrics(site, author.slug)[:3],
        paper_count_label=_count_label(len(site.papers_of(author.slug))),
    )


def _people_groups(site: Site) -> tuple[PeopleGroup, ...]:
    """One group per role in order of first appearance; people without one last."""
    cards = [_person_card(site, a) for a in site.authors]
    if not any(c.role for c in cards):
        return (PeopleGroup(None, "people", tuple(cards)),) if cards else ()
    roles = list(dict.fromkeys(c.role for c in cards if c.role))
    others = tuple(c for c in cards if not c.role)
    headings = roles + (["Other members"] if others else [])
    ids = unique_slugs(headings, fallback="group")  # "PhD students" and "PhD Students" stay apart
    members = [tuple(c for c in cards if c.role == role) for role in roles] + ([others] if others else [])
    groups = [
        PeopleGroup(heading, f"role-{id_}", people)
        for heading, id_, people in zip(headings, ids, members, strict=True)
    ]
    return tuple(groups)


def people_view(site: Site, path: str | None = None) -> PeopleView:
    """The people of the site; on a group site this is the home page (``path`` defaults to it)."""
    groups = _people_groups(site)
    title = str(site.config.group or site.config.title)
    if path is None:
        path = paths.home_path() if site.owner is None else paths.people_path()
    description = _cut(str(site.config.description) or f"The people of {title}.")
    return PeopleView(
        path=path,
        document_title=_document_title(title if path else "", site),
        meta_description=description,
        title=title,
        description=str(site.config.description),
        groups=groups,
        person_heading_level=3 if any(g.heading for g in groups) else 2,
        meta=_website_meta(site, title, description, path),
    )


# ---------------------------------------------------------------------------
# The contract as Markdown (docs/theme-contract.md)
# ---------------------------------------------------------------------------

TEMPLATES: tuple[tuple[str, type], ...] = (
    ("profile.html", ProfileView),
    ("paper.html", PaperView),
    ("publications.html", PublicationsView),
    ("category.html", CategoryView),
    ("page.html", PageView),
    ("people.html", PeopleView),
    ("404.html", NotFoundView),
)
VIEW_CLASSES: tuple[type, ...] = (
    SiteView,
    ProfileView,
    PaperView,
    PublicationsView,
    CategoryView,
    PageView,
    PeopleView,
    NotFoundView,
    PaperCard,
    AuthorsLine,
    AuthorView,
    LinkItem,
    MetricItem,
    CategoryTag,
    CategoryFilter,
    YearGroup,
    PersonCard,
    PeopleGroup,
    NavItem,
    PageMeta,
    MetaTag,
)
TEMPLATE_GLOBALS: tuple[tuple[str, str], ...] = (
    ("view", "The page's view (see the list above)."),
    ("site", "The `SiteView`, the same on every page."),
    ("page_path", "The site-relative path of the page being rendered (compare with `NavItem.path`)."),
    ("url(path)", "A URL for a site-relative path, relative to the current page; external URLs unchanged."),
    ("abs_url(path)", "An absolute URL (`base_url` + path), for canonical links and feeds."),
    ("asset_url(name)", "The URL of a file of the theme's `static/` folder, e.g. `asset_url('style.css')`."),
)


def _type_name(tp: object) -> str:
    """A readable annotation: ``tuple[PaperCard, ...]``, ``str | None``."""
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin is typing.Union or origin is types.UnionType:
        return " | ".join(_type_name(a) for a in args)
    if origin is not None:
        inner = ", ".join("..." if a is Ellipsis else _type_name(a) for a in args)
        return f"{getattr(origin, '__name__', str(origin))}[{inner}]"
    if tp is type(None):
        return "None"
    return getattr(tp, "__name__", str(tp))


def field_docs(cls: type) -> list[tuple[str, str, str]]:
    """(name, type, description) of each field of a view class, from its annotations."""
    hints = typing.get_type_hints(cls, include_extras=True)
    out = []
    for f in fields(cls):
        hint = hints[f.name]
        doc = str(hint.__metadata__[0]) if typing.get_origin(hint) is Annotated else ""
        base = typing.get_args(hint)[0] if doc else hint
        out.append((f.name, _type_name(base), doc))
    return out


def _used_by(cls: type) -> list[str]:
    """Where a view class appears: its template, or the fields holding it."""
    where = [f"`{name}` (as `view`)" for name, view in TEMPLATES if view is cls]
    if cls is SiteView:
        where.append("every template (as `site`)")
    for parent in VIEW_CLASSES:
        for name, type_name, _ in field_docs(parent):
            if re.search(rf"\b{cls.__name__}\b", type_name):
                where.append(f"`{parent.__name__}.{name}`")
    return where


def _class_section(cls: type) -> list[str]:
    assert is_dataclass(cls)
    doc = " ".join((cls.__doc__ or "").split())
    lines = [f"### {cls.__name__}", "", doc, "", "Used by: " + ", ".join(_used_by(cls)) + ".", ""]
    lines += [f"- `{name}` (`{type_name}`): {desc}" for name, type_name, desc in field_docs(cls)]
    return [*lines, ""]


def contract_markdown() -> str:
    """The theme contract as Markdown: templates, their globals, and every view field."""
    lines = [
        "# Theme contract",
        "",
        "<!-- Generated from generator/views.py by contract_markdown(); do not edit by hand.",
        "     Regenerate: python -m generator.views > docs/theme-contract.md -->",
        "",
        "A theme is a folder with `theme.yaml`, `templates/` and `static/`. A site overrides any single",
        "template by putting a file of the same name in `templates/` (or `themes/<name>/templates/`).",
        "Templates only lay out: every decision is made in Python and arrives as a field below.",
        "Fields of type `Markup` hold safe HTML; every other string is escaped by autoescaping, so never",
        "apply `|safe` to them. Paths are site-relative: turn them into links with `url()`.",
        "",
        "## Templates",
        "",
        *[f"- `{name}`: `{view.__name__}`" for name, view in TEMPLATES],
        "",
        "## Template globals",
        "",
        *[f"- `{name}`: {doc}" for name, doc in TEMPLATE_GLOBALS],
        "",
        "## Views",
        "",
    ]
    for cls in VIEW_CLASSES:
        lines += _class_section(cls)
    return "\n".join(lines).rstrip() + "\n"


if __name__ == "__main__":
    print(contract_markdown(), end="")
