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
from collections.abc import Callable, Iterable, MutableMapping, Sequence
from dataclasses import dataclass, fields, is_dataclass
from functools import partial
from typing import Annotated

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_skeleton
from babel.numbers import format_decimal
from markupsafe import Markup

import generator
from generator import charts, exports, latex, pagination, paths, search, seo, site_files
from generator.markup import render_markdown
from generator.model import Author, AuthorRef, Page, Paper, PaperDate, ProfileLink, Site
from generator.paperindex import PaperGroups, PaperIndex
from generator.slugs import unique_slugs
from generator.urls import is_external, safe_href

NOT_FOUND_PATH = "404.html"  # served by static hosts for any missing URL
BIBTEX_ID = "bibtex"  # id of the BibTeX section on a paper page
META_DESCRIPTION_LEN = 160
UNDATED_LABEL = "Undated"
CHART_ID = "citation-chart"
# Publication types (Paper.venue_kind) in the order of the type filter, with their titles.
VENUE_KINDS: tuple[tuple[str, str], ...] = (
    ("journal", "Journal articles"),
    ("conference", "Conference papers"),
    ("preprint", "Preprints"),
    ("book", "Books and chapters"),
    ("thesis", "Theses"),
    ("report", "Reports"),
    ("other", "Other publications"),
)
# Role groups of a group site's home, in page order; a role is matched against the
# patterns in _ROLE_MATCH order, so "Former PhD student" is an alumnus, not a student.
ROLE_GROUPS = ("Faculty", "Postdocs", "Students", "Alumni")
_ROLE_MATCH: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("Alumni", re.compile(r"\b(?:alum(?:ni|nus|na|nae)?|former)\b", re.IGNORECASE)),
    ("Postdocs", re.compile(r"\bpost-?doc(?:s|toral)?\b", re.IGNORECASE)),
    (
        "Students",
        re.compile(
            r"\b(?:students?|(?:ph\.?\s?d\.?|doctoral) candidates?|undergraduates?|doctorands?)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "Faculty",
        re.compile(
            r"\b(?:faculty|professors?|lecturers?|principal investigators?|pi|group leaders?)\b",
            re.IGNORECASE,
        ),
    ),
)
# Export formats (site_files' file extensions): link text, kind and MIME type.
_DOWNLOAD_FORMATS = {
    site_files.BIBTEX: ("BibTeX", "bibtex", "application/x-bibtex"),
    site_files.CSL_JSON: ("CSL-JSON", "csl-json", "application/vnd.citationstyles.csl+json"),
}
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
    """An entry of a filter list: a category (publications and category pages) or a
    publication type (publications pages)."""

    label: Annotated[str, "The category, e.g. `CV`, or the type, e.g. `Journal articles`."]
    path: Annotated[str, "Site-relative path of the category's or the type's page."]
    count: Annotated[int, "Number of papers in the category or of the type."]
    is_current: Annotated[bool, "True on that category's or type's own page (mark it `aria-current`)."]


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
class DownloadItem:
    """A file for reference managers: BibTeX (`.bib`) or CSL-JSON (`.json`: Zotero, pandoc)."""

    label: Annotated[str, "Visible link text: `BibTeX` or `CSL-JSON`."]
    path: Annotated[str, "Site-relative path of the file; pass it to `url()`."]
    kind: Annotated[str, "`bibtex` or `csl-json`, for styling."]
    media_type: Annotated[str, "MIME type for the link's `type` attribute, e.g. `application/x-bibtex`."]
    file_name: Annotated[str, "File name to save it as, for the link's `download` attribute."]
    aria_label: Annotated[str, "Accessible name, starting with `label`: `BibTeX file of ...`."]


@dataclass(frozen=True, slots=True)
class CoauthorItem:
    """Someone the profile's person often writes with (the "Frequent co-authors" list)."""

    name: Annotated[str, "Their name: the profile's name when they have one, else as written in BibTeX."]
    path: Annotated[str | None, "Site-relative path of their profile, or None when they have none."]
    papers: Annotated[int, "Number of papers written together."]
    count_label: Annotated[str, "`3 papers`, `1 paper`."]


@dataclass(frozen=True, slots=True)
class YearCount:
    """One bar of a chart, as text (for the chart's text alternative)."""

    year: Annotated[str, "The year, e.g. `2023`."]
    count: Annotated[int, "The number."]
    count_label: Annotated[str, "The number formatted for the site's language, e.g. `1,204`."]


@dataclass(frozen=True, slots=True)
class CitationChart:
    """Citations per year of a person's papers (or of one paper): a bar chart and its numbers.

    Show `svg` under `caption`, then `note` when there is one, and `years` as a visually
    hidden table: the chart is an image for assistive technology, the table gives every
    number as text.
    """

    kind: Annotated[
        str,
        "`received`: the citations received each year (yearly counts from a citations file or "
        "the profile); `published`: the citations of the papers published each year (the "
        "fallback when only totals are known).",
    ]
    caption: Annotated[
        str, "Visible caption: `Citations per year` (received) or `Citations per publication year`."
    ]
    note: Annotated[
        str,
        "Plain text shown under the caption when the chart leaves cited papers out, e.g. `Yearly "
        "counts are known for 2 of the 3 papers with citation counts; the chart shows only those.`; "
        "else empty.",
    ]
    svg: Annotated[
        Markup,
        'Inline SVG (`role="img"`, named by its `<title>`), scaled by `viewBox`; its parts carry '
        "classes (`chart-bar`, `chart-value`, `chart-year`, `chart-axis`) for the theme's CSS to colour.",
    ]
    years: Annotated[tuple[YearCount, ...], "Every year of the chart, oldest first; years between are 0."]


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

    heading: Annotated[
        str | None, "`Faculty`, `Postdocs`, `Students`, `Alumni` or the role as written; None without roles."
    ]
    anchor_id: Annotated[str, "Id for the heading, e.g. `role-students`."]
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
    search_path: Annotated[
        str | None, "Site-relative path of the search page (the header form's action); None when off."
    ]


@dataclass(frozen=True, slots=True)
class PageLink:
    """A link to one page of a list split over several pages."""

    label: Annotated[str, "The page's number, e.g. `2`."]
    path: Annotated[str, "Site-relative path of that page."]
    is_current: Annotated[bool, "True for the page being shown (mark it `aria-current`)."]


@dataclass(frozen=True, slots=True)
class Pagination:
    """Links between the pages of a list too long for one page (more than 100 papers);
    page 1 is at the list's own path, page 2 at `<path>page/2/`."""

    current: Annotated[int, "This page's number, from 1."]
    total: Annotated[int, "How many pages the list has."]
    summary: Annotated[str, "Which papers this page shows, e.g. `Papers 501–1,000 of 2,086`."]
    previous_path: Annotated[str | None, "Site-relative path of the previous page; None on the first."]
    next_path: Annotated[str | None, "Site-relative path of the next page; None on the last."]
    pages: Annotated[tuple[PageLink, ...], "Every page of the list, in order."]


@dataclass(frozen=True, slots=True)
class ProfileView:
    """A researcher's profile: the owner's home page or `people/<slug>/` on a group site.

    Order on the page: name (h1), category pill, affiliation, metrics, links,
    bio, citation chart; then the "6 Papers" heading (h2), the download links and one
    card per paper; then "Frequent co-authors" (h2).
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
    papers: Annotated[
        tuple[PaperCard, ...], "Their papers on this page (selected first when the site asks for it)."
    ]
    pagination: Annotated[Pagination | None, "Links to the other pages of a long list; None on one page."]
    downloads: Annotated[
        tuple[DownloadItem, ...], "Their papers as BibTeX and CSL-JSON files; empty without papers."
    ]
    coauthors: Annotated[
        tuple[CoauthorItem, ...], "Frequent co-authors, most papers together first (after the papers)."
    ]
    citation_chart: Annotated[
        CitationChart | None,
        "Citations per year: received each year when the profile or their papers have yearly counts, "
        "else per publication year when their papers carry citation counts; None without counts.",
    ]
    feed_path: Annotated[str, "Site-relative path of this person's Atom feed (the site's for the owner)."]
    meta: Annotated[PageMeta, "Open Graph, Twitter card, JSON-LD and Google Scholar metadata."]


@dataclass(frozen=True, slots=True)
class PaperView:
    """A paper's own page, with the full author list and a "Cite" section: the formatted
    citation, the BibTeX entry and the download links."""

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
    citation_chart: Annotated[
        CitationChart | None, "Citations this paper received per year, when it has yearly counts; else None."
    ]
    preview_path: Annotated[str | None, "Safe path or URL of a preview image, or None."]
    citation: Annotated[str, "One formatted reference (APA style), plain text, for the Cite section."]
    bibtex: Annotated[str, "The BibTeX entry for a copyable `<pre><code>` block; may be empty."]
    bibtex_id: Annotated[str, "Id of the Cite section, which holds the BibTeX (cards link to `path#bibtex`)."]
    downloads: Annotated[tuple[DownloadItem, ...], "This paper as a BibTeX and a CSL-JSON file."]
    meta: Annotated[PageMeta, "Open Graph, Twitter card, JSON-LD and Google Scholar metadata."]


@dataclass(frozen=True, slots=True)
class PublicationsView:
    """Every paper of the site (`publications/`), or those of one publication type
    (`publications/<type>/`), grouped by year, newest first; undated papers last."""

    path: Annotated[str, "Site-relative path of this page."]
    document_title: Annotated[str, "Text of `<title>`."]
    meta_description: Annotated[str, "Text of `<meta name=description>`."]
    title: Annotated[str, "The page's h1: `Publications`, or the type, e.g. `Journal articles`."]
    paper_count_label: Annotated[str, "`42 Papers`."]
    categories: Annotated[tuple[CategoryFilter, ...], "Category filter links, most papers first."]
    kinds: Annotated[
        tuple[CategoryFilter, ...],
        "Publication type filter links (journal, conference, preprint, book, thesis, report, other; "
        "only types that have papers), this page's type marked current; empty when all papers "
        "are of one type.",
    ]
    all_path: Annotated[str, "Site-relative path of the list of every paper (the filters' `All`)."]
    is_all: Annotated[bool, "True on the list of every paper: mark the filters' `All` current."]
    downloads: Annotated[
        tuple[DownloadItem, ...], "Every paper of the site as BibTeX and CSL-JSON files (on `publications/`)."
    ]
    groups: Annotated[
        tuple[YearGroup, ...], "Year groups of this page's papers, newest first, `Undated` last."
    ]
    pagination: Annotated[Pagination | None, "Links to the other pages of a long list; None on one page."]
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
    papers: Annotated[tuple[PaperCard, ...], "The category's papers on this page, newest first."]
    pagination: Annotated[Pagination | None, "Links to the other pages of a long list; None on one page."]
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
class SearchView:
    """The search page. The form works without JavaScript only as far as reaching this
    page: the search itself runs in the browser on the static index (docs/search.md)."""

    path: Annotated[str, "`search/`."]
    document_title: Annotated[str, "Text of `<title>`."]
    meta_description: Annotated[str, "Text of `<meta name=description>`."]
    title: Annotated[str, "The page's h1."]
    label: Annotated[str, "Label of the search field, e.g. `Search papers and people`."]
    index_path: Annotated[str, "Site-relative path of the index folder (`search/index/`), for search.js."]
    publications_path: Annotated[str, "Site-relative path of the publications page (the no-script fallback)."]
    meta: Annotated[PageMeta, "Open Graph, Twitter card, JSON-LD and Google Scholar metadata."]


@dataclass(frozen=True, slots=True)
class PeopleView:
    """The people of a group site (its home page), grouped by role when roles are given:
    faculty, postdocs, students and alumni first (in that order, when roles use those
    words), then other roles in order of first appearance, then people without a role."""

    path: Annotated[str, "Site-relative path of this page."]
    document_title: Annotated[str, "Text of `<title>`."]
    meta_description: Annotated[str, "Text of `<meta name=description>`."]
    title: Annotated[str, "The page's h1: the group's name or the site title."]
    description: Annotated[str, "The site's description, shown under the title; may be empty."]
    groups: Annotated[tuple[PeopleGroup, ...], "Role groups, in the order above."]
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
    cards: CardMemo | None = None


# Paper cards kept between builds by an incremental build: (key, person, page path) ->
# (paper, card). A card is reused for the very same Paper object only; whoever keeps
# the memo must empty it when anything else a card shows changes (settings, profiles).
CardMemo = MutableMapping[tuple[str, str | None, str], tuple[Paper, "PaperCard"]]


def _locale(language: str) -> Locale:
    """The babel locale for a BCP 47 tag; English when babel does not know it."""
    try:
        return Locale.parse(language.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return Locale.parse("en")


def _ctx(site: Site, person: str | None, page_path: str, cards: CardMemo | None = None) -> _Ctx:
    return _Ctx(site, _locale(str(site.config.language or "en")), person or None, page_path, cards)


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
    """The card of ``paper`` as shown on the page of ``ctx.person`` (from ``ctx.cards`` if there)."""
    if ctx.cards is None:
        return _paper_card(ctx, paper)
    key = (paper.key, ctx.person, ctx.page_path)
    known = ctx.cards.get(key)
    if known is not None and known[0] is paper:
        return known[1]
    card = _paper_card(ctx, paper)
    ctx.cards[key] = (paper, card)
    return card


def _paper_card(ctx: _Ctx, paper: Paper) -> PaperCard:
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
        search_path=paths.search_path() if config.search else None,
    )


def _profile_link(link: ProfileLink) -> LinkItem | None:
    url = link.url.strip()
    if link.kind == "email" and not url.lower().startswith("mailto:"):
        url = f"mailto:{url}"
    return _link(link.label or link.kind.title(), url, link.kind, None)


def _pagination(first: str, items: int, page: int) -> Pagination | None:
    """Links between the pages of a list of ``items`` papers, or None when one page holds it."""
    total = pagination.page_count(items)
    if total == 1:
        return None
    start, end = (page - 1) * pagination.PAGE_SIZE + 1, min(items, page * pagination.PAGE_SIZE)
    return Pagination(
        current=page,
        total=total,
        summary=f"Papers {start:,}–{end:,} of {items:,}",
        previous_path=pagination.page_path(first, page - 1) if page > 1 else None,
        next_path=pagination.page_path(first, page + 1) if page < total else None,
        pages=tuple(PageLink(str(n), pagination.page_path(first, n), n == page) for n in range(1, total + 1)),
    )


def _page_title(title: str, page: int, items: int) -> str:
    total = pagination.page_count(items)
    return title if total == 1 else f"{title} (page {page} of {total})"


def profile_papers(site: Site, slug: str) -> tuple[Paper, ...]:
    """The papers a profile lists, in its order (pages split this list)."""
    return _ordered_papers(site, slug)


def kind_papers(site: Site, kind: str) -> tuple[Paper, ...]:
    """The papers of one publication type, in site order (pages split this list)."""
    return paper_groups(site).kind(kind)


def category_papers(site: Site, category: str) -> tuple[Paper, ...]:
    """The papers of one category, in site order (pages split this list)."""
    return paper_groups(site).category(category)


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


def _downloads(
    papers: Sequence[Paper], path_of: Callable[[str], str], stem: str, about: str
) -> tuple[DownloadItem, ...]:
    """Links to the export files of ``papers``: site_files decides which files exist."""
    items = []
    for ext in site_files.export_formats(papers):
        label, kind, media_type = _DOWNLOAD_FORMATS[ext]
        aria = f"{label} file of {about}"
        items.append(DownloadItem(label, path_of(ext), kind, media_type, f"{stem}.{ext}", aria))
    return tuple(items)


def _coauthors(site: Site, slug: str) -> tuple[CoauthorItem, ...]:
    """Frequent co-authors; one with a profile appears under its name and links to it."""
    items = []
    for coauthor in site.coauthors.get(slug, ()):
        profile = site.author(coauthor.author_slug) if coauthor.author_slug else None
        items.append(
            CoauthorItem(
                name=profile.name if profile else coauthor.name,
                path=paths.author_path(site, profile.slug) if profile else None,
                papers=coauthor.papers,
                count_label=_count_label(coauthor.papers, "paper", "papers"),
            )
        )
    return tuple(items)


_MAX_CHART_SPAN = 60  # years; beyond (a typo such as 1023), only years with counts are shown


def _even_years(counts: Counter[int]) -> tuple[tuple[int, int], ...]:
    """(year, count), oldest first, years between as 0 so the time axis is even; empty when
    every count is 0."""
    if not any(counts.values()):
        return ()
    first, last = min(counts), max(counts)
    years = range(first, last + 1) if last - first < _MAX_CHART_SPAN else sorted(counts)
    return tuple((year, counts[year]) for year in years)


def citations_by_publication_year(papers: Iterable[Paper]) -> tuple[tuple[int, int], ...]:
    """(year, citations) summed over dated papers with a count by the year each paper was
    published: all a chart can say when only totals are known."""
    counts: Counter[int] = Counter()
    for paper in papers:
        year = paper.date.year
        if paper.citations is not None and year is not None and year > 0:
            counts[year] += max(0, paper.citations)
    return _even_years(counts)


def citations_received(papers: Iterable[Paper]) -> tuple[tuple[int, int], ...]:
    """(year, citations received that year) summed over the papers' yearly counts."""
    counts: Counter[int] = Counter()
    for paper in papers:
        for year, count in paper.citations_by_year:
            counts[year] += count
    return _even_years(counts)


def citation_series(
    papers: Sequence[Paper], own: Sequence[tuple[int, int]] = ()
) -> tuple[str, tuple[tuple[int, int], ...], str]:
    """What a profile's chart shows: (kind, pairs, note).

    The profile's own histogram (``own``, e.g. Google Scholar's) first, else the sum of
    its papers' yearly counts (with a note when some cited papers have none), else, when
    only totals are known, citations per publication year.
    """
    own_pairs = _even_years(Counter(dict(own)))
    if own_pairs:
        return "received", own_pairs, ""
    received = citations_received(papers)
    if received:
        yearly = sum(1 for p in papers if p.citations_by_year)
        cited = sum(1 for p in papers if p.citations is not None or p.citations_by_year)
        note = (
            f"Yearly counts are known for {yearly} of the {cited} papers with citation counts; "
            "the chart shows only those."
            if yearly < cited
            else ""
        )
        return "received", received, note
    return "published", citations_by_publication_year(papers), ""


_CAPTIONS = {"received": "Citations per year", "published": "Citations per publication year"}


def _chart(ctx: _Ctx, kind: str, pairs: Sequence[tuple[int, int]], note: str = "") -> CitationChart | None:
    """A chart: an SVG for the eye, the same numbers as text for everyone; None without numbers."""
    if not pairs:
        return None

    def number(n: int) -> str:
        return str(format_decimal(n, locale=ctx.locale))

    caption = _CAPTIONS[kind]
    first, last = pairs[0][0], pairs[-1][0]
    span = str(first) if first == last else f"{first}–{last}"
    title = f"{caption}, {span}: {number(sum(c for _, c in pairs))} in total"
    svg = charts.bar_chart(pairs, title=title, chart_id=CHART_ID, number=number)
    years = tuple(YearCount(str(y), c, number(c)) for y, c in pairs)
    return CitationChart(kind, caption, note, svg, years)


def profile_view(site: Site, slug: str, cards: CardMemo | None = None, page: int = 1) -> ProfileView:
    """A person's profile page: header, metrics, links, bio, then their paper cards
    (page ``page`` of them, when there are more than fit on one page)."""
    author = _require_author(site, slug)
    first = paths.author_path(site, slug)
    path = pagination.page_path(first, page)
    ctx = _ctx(site, slug, path, cards)
    papers = _ordered_papers(site, slug)
    about = ", ".join(x for x in (author.role, author.affiliation) if x)
    bio_html = Markup(render_markdown(author.bio_markdown, heading_top=2))
    description = f"{author.name}{f' — {about}' if about else ''}: {_count_label(len(papers)).lower()}."
    description = f"{description} {seo.lead_text(bio_html)}".strip()
    view = ProfileView(
        path=path,
        document_title=_document_title(_page_title(author.name, page, len(papers)), site),
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
        papers=tuple(paper_card(ctx, p) for p in pagination.page_items(papers, page)),
        pagination=_pagination(first, len(papers), page),
        downloads=_downloads(
            site.papers_of(slug),
            partial(paths.person_export_path, slug),
            f"{slug}-papers",
            f"the papers of {author.name}",
        ),
        coauthors=_coauthors(site, slug),
        citation_chart=_chart(ctx, *citation_series(papers, author.citations_by_year)),
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
        citation_chart=_chart(ctx, "received", citations_received((paper,))),
        preview_path=_media_path(paper.preview),
        citation=exports.citation_text(paper),
        bibtex=paper.bibtex,
        bibtex_id=BIBTEX_ID,
        downloads=_downloads((paper,), partial(paths.paper_export_path, paper), paper.slug, title_text),
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
    groups = paper_groups(site)
    return tuple(
        CategoryFilter(c, paths.category_path(c), len(groups.category(c)), c == current)
        for c in _all_categories(site)
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


_KIND_TITLES = dict(VENUE_KINDS)


def _kind_of(paper: Paper) -> str:
    return paper.venue_kind if paper.venue_kind in _KIND_TITLES else "other"


_PAPER_INDEX = PaperIndex(_kind_of)


def paper_groups(site: Site) -> PaperGroups:
    """The site's papers by category and by publication type, counted once per site
    (and updated, not counted again, after an edit: :mod:`generator.paperindex`)."""
    return _PAPER_INDEX.of(site.papers)


def venue_kinds(site: Site) -> tuple[str, ...]:
    """The publication types that have papers, in filter order: each gets a page. None on a
    site of a single type, where a type filter would list every paper again."""
    present = paper_groups(site).by_kind
    kinds = tuple(kind for kind, _ in VENUE_KINDS if kind in present)
    return kinds if len(kinds) > 1 else ()


def _kind_filters(site: Site, current: str | None) -> tuple[CategoryFilter, ...]:
    groups = paper_groups(site)
    return tuple(
        CategoryFilter(_KIND_TITLES[k], paths.venue_kind_path(k), len(groups.kind(k)), k == current)
        for k in venue_kinds(site)
    )


def _publications(
    site: Site,
    first: str,
    title: str,
    papers: Sequence[Paper],
    kind: str | None,
    cards: CardMemo | None,
    page: int,
) -> PublicationsView:
    """A list of papers by year with both filter rows; ``kind`` None for every paper."""
    path = pagination.page_path(first, page)
    ctx = _ctx(site, site.config.author, path, cards)
    count = _count_label(len(papers))
    what = count if kind is None else f"{title}: {count.lower()}"
    description = _cut(f"{what} by {site.owner.name}." if site.owner else f"{what}.")
    downloads = (
        _downloads(site.papers, paths.site_export_path, "papers", "every paper of this site")
        if kind is None
        else ()
    )
    return PublicationsView(
        path=path,
        document_title=_document_title(_page_title(title, page, len(papers)), site),
        meta_description=description,
        title=title,
        paper_count_label=count,
        categories=_category_filters(site, None),
        kinds=_kind_filters(site, kind),
        all_path=paths.publications_path(),
        is_all=kind is None,
        downloads=downloads,
        groups=_year_groups(ctx, pagination.page_items(papers, page)),
        pagination=_pagination(first, len(papers), page),
        meta=_website_meta(site, title, description, path),
    )


def publications_view(site: Site, cards: CardMemo | None = None, page: int = 1) -> PublicationsView:
    """Every paper, grouped by year (newest first), with category and type filter links."""
    return _publications(site, paths.publications_path(), "Publications", site.papers, None, cards, page)


def venue_kind_view(site: Site, kind: str, cards: CardMemo | None = None, page: int = 1) -> PublicationsView:
    """The papers of one publication type (``publications/<kind>/``): the type filter
    without JavaScript. ``kind`` is one of ``venue_kinds(site)``."""
    if kind not in _KIND_TITLES:
        raise KeyError(f"no publication type {kind!r}")
    papers = kind_papers(site, kind)
    return _publications(site, paths.venue_kind_path(kind), _KIND_TITLES[kind], papers, kind, cards, page)


def category_view(site: Site, category: str, cards: CardMemo | None = None, page: int = 1) -> CategoryView:
    """The papers of one category, newest first."""
    first = paths.category_path(category)
    path = pagination.page_path(first, page)
    ctx = _ctx(site, site.config.author, path, cards)
    papers = category_papers(site, category)
    count = _count_label(len(papers))
    description = _cut(f"{count} in {category}.")
    return CategoryView(
        path=path,
        document_title=_document_title(_page_title(category, page, len(papers)), site),
        meta_description=description,
        category=category,
        paper_count_label=count,
        categories=_category_filters(site, category),
        papers=tuple(paper_card(ctx, p) for p in pagination.page_items(papers, page)),
        pagination=_pagination(first, len(papers), page),
        publications_path=paths.publications_path(),
        meta=_website_meta(site, category, description, path),
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


def search_view(site: Site) -> SearchView:
    """The search page: a field, and the results the script finds in the index."""
    people = "" if site.owner else " and people"
    description = f"Search the papers{people} of {site.config.title}."
    return SearchView(
        path=paths.search_path(),
        document_title=_document_title("Search", site),
        meta_description=description,
        title="Search",
        label=f"Search papers{people}",
        index_path=search.INDEX_DIR,
        publications_path=paths.publications_path(),
        meta=_website_meta(site, "Search", description, paths.search_path()),
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


def role_group(role: str) -> str:
    """The heading a role is listed under: `Faculty`, `Postdocs`, `Students`, `Alumni`
    when it uses one of their words, else the role as written."""
    return next((heading for heading, pattern in _ROLE_MATCH if pattern.search(role)), role)


def _people_groups(site: Site) -> tuple[PeopleGroup, ...]:
    """Faculty, postdocs, students, alumni; other roles in order of first appearance;
    people without a role last."""
    cards = [_person_card(site, a) for a in site.authors]
    if not any(c.role for c in cards):
        return (PeopleGroup(None, "people", tuple(cards)),) if cards else ()
    members: dict[str, list[PersonCard]] = {}
    for card in cards:
        if card.role:
            members.setdefault(role_group(card.role), []).append(card)
    standard = [h for h in ROLE_GROUPS if h in members]
    headings = standard + [h for h in members if h not in ROLE_GROUPS]
    people = [tuple(members[h]) for h in headings]
    others = tuple(c for c in cards if not c.role)
    if others:
        headings, people = [*headings, "Other members"], [*people, others]
    ids = unique_slugs(headings, fallback="group")  # "PhD students" and "PhD Students" stay apart
    return tuple(
        PeopleGroup(heading, f"role-{id_}", group)
        for heading, id_, group in zip(headings, ids, people, strict=True)
    )


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
    ("search.html", SearchView),
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
    SearchView,
    NotFoundView,
    PaperCard,
    AuthorsLine,
    AuthorView,
    LinkItem,
    MetricItem,
    CategoryTag,
    CategoryFilter,
    YearGroup,
    DownloadItem,
    CoauthorItem,
    CitationChart,
    YearCount,
    PersonCard,
    PeopleGroup,
    NavItem,
    Pagination,
    PageLink,
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
    (
        "card_html(card)",
        "A `PaperCard` rendered with `_paper_card.html` (which sees `card`, `site`, `page_path` and the "
        "URL functions); incremental builds reuse cards rendered before, so long lists stay fast.",
    ),
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
