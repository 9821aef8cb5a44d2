"""The data model: plain frozen records, no I/O and no HTML.

Text fields hold Unicode text as a reader sees it (LaTeX accents decoded,
protective braces removed); inline math stays as TeX between ``$`` signs and
simple markup (``\\emph{..}``) is kept so a view may render it. Every record
keeps the :class:`SourceLocation` it came from for later diagnostics.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from operator import attrgetter
from types import MappingProxyType
from typing import Any

from generator.diagnostics import SourceLocation

EMPTY: Mapping[str, Any] = MappingProxyType({})


def _empty() -> Mapping[str, Any]:
    return EMPTY


_key = attrgetter("key")  # C-level: a site of 10,000 papers is indexed again on every edit


@dataclass(frozen=True, slots=True)
class PersonName:
    """A name split the BibTeX way: ``von Last, Jr, First``."""

    given: str = ""
    von: str = ""
    family: str = ""
    jr: str = ""

    @property
    def display(self) -> str:
        """``First von Last, Jr``: how a name is shown in author lists."""
        main = " ".join(p for p in (self.given, self.von, self.family) if p)
        return f"{main}, {self.jr}" if self.jr else main


@dataclass(frozen=True, slots=True)
class AuthorRef:
    """One name in a paper's author list."""

    name: PersonName
    marks: str = ""  # equal-contribution marks such as "*" or "†", shown as superscripts
    author_slug: str | None = None  # set by assemble when the name matches a profile

    @property
    def display(self) -> str:
        return self.name.display


@dataclass(frozen=True, slots=True, order=True)
class PaperDate:
    year: int | None = None
    month: int | None = None
    day: int | None = None

    @property
    def iso(self) -> str:
        """``2023-10-30``, ``2023-10`` or ``2023``; empty when unknown."""
        if self.year is None:
            return ""
        out = f"{self.year:04d}"
        if self.month:
            out += f"-{self.month:02d}"
            if self.day:
                out += f"-{self.day:02d}"
        return out


@dataclass(frozen=True, slots=True)
class Link:
    """A link of a paper: ``kind`` is a stable id (code, pdf, arxiv, doi, html,
    slides, poster, video, website, supp, or the label of a ``url_<label>`` field)."""

    kind: str
    label: str
    url: str


@dataclass(frozen=True, slots=True)
class Paper:
    key: str
    entry_type: str  # lower case: article, inproceedings, misc, online, ...
    title: str
    authors: tuple[AuthorRef, ...]
    source: SourceLocation
    more_authors: bool = False  # the list ended in "and others": shown as "et al."
    date: PaperDate = PaperDate()
    venue: str = ""
    venue_kind: str = ""  # journal | conference | preprint | book | thesis | report | other
    abstract: str = ""
    categories: tuple[str, ...] = ()  # "CL", "CV", ... in order of importance
    links: tuple[Link, ...] = ()
    citations: int | None = None
    # (year, citations received that year), oldest first: from a citations sidecar file
    citations_by_year: tuple[tuple[int, int], ...] = ()
    selected: bool = False
    doi: str = ""
    arxiv_id: str = ""
    award: str = ""
    note: str = ""  # al-folio's annotation / BibTeX note, plain text
    preview: str = ""  # al-folio preview image, a relative path or URL
    bibtex: str = ""  # the entry re-serialised, site-only fields removed
    slug: str = ""  # assigned by assemble: unique, safe as a file name
    fields: Mapping[str, str] = field(
        default_factory=_empty
    )  # every decoded field, for themes that need more

    def link(self, kind: str) -> Link | None:
        return next((lnk for lnk in self.links if lnk.kind == kind), None)


@dataclass(frozen=True, slots=True)
class Metric:
    """One entry of the metrics strip: ``label`` and ``value`` are shown as they are."""

    label: str
    value: str
    key: str = ""  # "h_index", "papers", "citations", "i10_index" or "" for custom metrics


@dataclass(frozen=True, slots=True)
class Coauthor:
    """Someone a profiled person writes with, and how often."""

    name: str
    papers: int
    author_slug: str | None = None  # set when the co-author has a profile of their own


@dataclass(frozen=True, slots=True)
class ProfileLink:
    kind: str  # homepage, github, scholar, orcid, email, twitter, linkedin, ... or custom
    label: str
    url: str


@dataclass(frozen=True, slots=True)
class Author:
    """A profiled person, from ``content/authors/<slug>.yaml``."""

    slug: str
    name: str
    source: SourceLocation
    aliases: tuple[str, ...] = ()
    affiliation: str = ""
    role: str = ""
    category: str = ""
    avatar: str = ""  # path relative to the site root, e.g. "static/me.jpg"
    bio_markdown: str = ""
    links: tuple[ProfileLink, ...] = ()
    metric_overrides: tuple[tuple[str, str], ...] = ()  # ordered (label, value) from YAML
    paper_keys: tuple[str, ...] = ()  # BibTeX keys claimed explicitly under `papers:`
    # (year, citations received that year), oldest first: the profile's own histogram
    # (Google Scholar's), shown instead of the sum over the papers
    citations_by_year: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True, slots=True)
class Page:
    """A Markdown page from ``content/pages``."""

    slug: str
    title: str
    body_markdown: str
    source: SourceLocation
    nav_order: int | None = None
    description: str = ""
    raw_html: bool = False  # the site opted into raw HTML for this page (not sanitised)


@dataclass(frozen=True, slots=True)
class Site:
    """Everything a view needs: the assembled, cross-checked content of a site.

    ``papers`` is ordered newest first (year, month, day; then title, then key).
    Index mappings hold keys and slugs so the records stay shared.
    """

    config: Any  # generator.config.SiteConfig (typed there to avoid an import cycle)
    authors: tuple[Author, ...] = ()
    papers: tuple[Paper, ...] = ()
    pages: tuple[Page, ...] = ()
    papers_by_author: Mapping[str, tuple[str, ...]] = field(
        default_factory=_empty
    )  # author slug -> paper keys
    metrics: Mapping[str, tuple[Metric, ...]] = field(default_factory=_empty)  # author slug -> metrics strip
    categories: tuple[str, ...] = ()  # every category used, most papers first
    coauthors: Mapping[str, tuple[Coauthor, ...]] = field(
        default_factory=_empty
    )  # slug -> most frequent first
    _paper_index: Mapping[str, Paper] = field(default_factory=_empty, repr=False, compare=False)
    _author_index: Mapping[str, Author] = field(default_factory=_empty, repr=False, compare=False)

    @classmethod
    def create(
        cls,
        config: Any,
        authors: tuple[Author, ...] = (),
        papers: tuple[Paper, ...] = (),
        pages: tuple[Page, ...] = (),
        papers_by_author: Mapping[str, tuple[str, ...]] = EMPTY,
        metrics: Mapping[str, tuple[Metric, ...]] = EMPTY,
        categories: tuple[str, ...] = (),
        coauthors: Mapping[str, tuple[Coauthor, ...]] = EMPTY,
    ) -> Site:
        """A Site with its lookup indexes filled in."""
        return cls(
            config=config,
            authors=authors,
            papers=papers,
            pages=pages,
            papers_by_author=MappingProxyType(dict(papers_by_author)),
            metrics=MappingProxyType(dict(metrics)),
            categories=categories,
            coauthors=MappingProxyType(dict(coauthors)),
            _paper_index=MappingProxyType(dict(zip(map(_key, papers), papers, strict=True))),
            _author_index=MappingProxyType({a.slug: a for a in authors}),
        )

    @property
    def owner(self) -> Author | None:
        """The person a one-person site is about, or None on a group site."""
        slug = self.config.author
        return self.author(slug) if slug else None

    def paper(self, key: str) -> Paper | None:
        return self._paper_index.get(key)

    def author(self, slug: str) -> Author | None:
        return self._author_index.get(slug)

    def papers_of(self, slug: str) -> tuple[Paper, ...]:
        return tuple(map(self._paper_index.__getitem__, self.papers_by_author.get(slug, ())))
