"""Fingerprints of output pages: a digest of every input a page shows.

A page is rendered again only when its fingerprint changes. The fingerprint
hashes what the page's view is built from, as ``views.py`` reads it:

* every page: the shared site view (title, navigation, footer ...), the
  settings, the set of profiled people, and its template with every template
  it uses (:mod:`.templates`);
* a paper page: the paper;
* a profile: the person, their papers, metrics and co-authors, the ranking
  of categories;
* a page of the publications, a publication type or a category: the papers
  it lists, and a summary of all papers (the counts its filters show);
* the people page: every person, their papers and metrics;
* a Markdown page: the page.

Papers and people are fingerprinted by content (``repr`` of the record,
without its source location), so fingerprints can be stored between runs.
A template this module does not know gets the widest fingerprint: everything.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections import Counter
from collections.abc import Callable, Iterable, Sequence

import generator
from generator import pagination, views
from generator.model import Author, Paper, Site
from generator.routes import RenderJob

_PAPER_FIELDS = tuple(f.name for f in dataclasses.fields(Paper) if f.name != "source")
_AUTHOR_FIELDS = tuple(f.name for f in dataclasses.fields(Author) if f.name != "source")


def digest(*parts: object) -> str:
    h = hashlib.sha1()
    for part in parts:
        h.update(part.encode() if isinstance(part, str) else repr(part).encode())
        h.update(b"\0")
    return h.hexdigest()


class Tokens:
    """Content digests of papers, of lists of papers and of pages, remembered between
    builds while the records live (a long list is hashed again only when it changed)."""

    def __init__(self) -> None:
        self._papers: dict[int, tuple[Paper, str]] = {}
        self._lists: dict[tuple[int, ...], tuple[tuple[Paper, ...], str]] = {}
        self._older_lists: dict[tuple[int, ...], tuple[tuple[Paper, ...], str]] = {}
        self._sums: dict[tuple[int, ...], tuple[tuple[Paper, ...], str]] = {}
        self._older_sums: dict[tuple[int, ...], tuple[tuple[Paper, ...], str]] = {}
        self._pages: dict[str, tuple[tuple[object, ...], str]] = {}
        self._tuples: dict[int, tuple[tuple[Paper, ...], str]] = {}  # by the tuple itself

    def __getstate__(self) -> object:
        return list(self._papers.values())

    def __setstate__(self, state: list[tuple[Paper, str]]) -> None:
        """Identities change in a new process: key the records afresh."""
        self._papers = {id(paper): (paper, token) for paper, token in state}
        self._lists, self._older_lists, self._pages, self._tuples = {}, {}, {}, {}
        self._sums, self._older_sums = {}, {}

    def paper(self, paper: Paper) -> str:
        known = self._papers.get(id(paper))
        if known is not None and known[0] is paper:
            return known[1]
        token = digest(tuple(getattr(paper, name) for name in _PAPER_FIELDS))
        self._papers[id(paper)] = (paper, token)
        return token

    def papers(self, papers: Iterable[Paper]) -> str:
        """A digest of a list of papers (kept papers make the ids safe to compare). The
        very same tuple asked again (all papers of a site, by many outputs) costs nothing."""
        listed = tuple(papers)
        known = self._tuples.get(id(listed))
        if known is not None and known[0] is listed:
            return known[1]
        token = self._by_list(self._lists, self._older_lists, listed, lambda ps: digest(*map(self.paper, ps)))
        self._tuples[id(listed)] = (listed, token)
        return token

    @staticmethod
    def _by_list(
        memo: dict[tuple[int, ...], tuple[tuple[Paper, ...], str]],
        older: dict[tuple[int, ...], tuple[tuple[Paper, ...], str]],
        papers: Sequence[Paper],
        compute: Callable[[Sequence[Paper]], str],
    ) -> str:
        """``compute(papers)``, remembered for the same papers until the next build but one."""
        ids = tuple(map(id, papers))
        known = memo.get(ids) or older.get(ids)
        if known is None:
            known = (tuple(papers), compute(papers))
        memo[ids] = known
        return known[1]

    def sums(self, papers: Sequence[Paper]) -> str:
        """What a profile sums up over all its papers: how many, citations per year (the
        chart), first categories (the primary category), whether any has BibTeX."""
        return self._by_list(self._sums, self._older_sums, papers, _sums)

    def page(self, rel: str, inputs: tuple[object, ...]) -> str:
        """The fingerprint of an output from its inputs, hashed only when they changed."""
        known = self._pages.get(rel)
        if known is not None and known[0] == inputs:
            return known[1]
        key = digest(*inputs)
        self._pages[rel] = (inputs, key)
        return key

    def summary(self, site: Site) -> str:
        """What list pages show of all papers: the counts of their filters, the ranking
        of categories, how many papers, whether any has BibTeX."""
        groups = views.paper_groups(site)
        return digest(
            sorted((c, len(ps)) for c, ps in groups.by_category.items()),
            sorted((k, len(ps)) for k, ps in groups.by_kind.items()),
            site.categories,
            len(site.papers),
            groups.with_bibtex > 0,
        )

    def keep_only(self, papers: Sequence[Paper]) -> None:
        """Forget lists not used since last time, and records no longer in the site
        (once they pile up: pruning costs a pass over every paper)."""
        if len(self._papers) > 2 * len(papers) + 100:
            keep = {id(p) for p in papers}
            self._papers = {k: v for k, v in self._papers.items() if k in keep}
        self._older_lists, self._lists = self._lists, {}
        self._older_sums, self._sums = self._sums, {}
        self._tuples = {}


def _sums(papers: Sequence[Paper]) -> str:
    firsts = Counter(p.categories[0] for p in papers if p.categories)
    chart = views.citation_series(papers)  # with the yearly counts of the papers, if any
    return digest(len(papers), chart, sorted(firsts.items()), any(p.bibtex for p in papers))


def author_token(author: Author) -> str:
    return digest(tuple(getattr(author, name) for name in _AUTHOR_FIELDS))


class SiteFingerprints:
    """Fingerprints of one site's pages; shared parts are computed once."""

    def __init__(self, site: Site, tokens: Tokens) -> None:
        self.site = site
        self.tokens = tokens
        # What every page shows or decides with: the shared view, settings, who has a profile.
        self.shared = digest(
            generator.__version__, views.site_view(site), site.config, [a.slug for a in site.authors]
        )
        self._all_papers: str | None = None
        self._counts: str | None = None
        self._kinds: dict[str, Sequence[Paper]] = {}
        self._papers_of: dict[str, tuple[Paper, ...]] = {}
        self._people: dict[str, tuple[object, ...]] = {}

    def page(self, job: RenderJob, template_digest: str) -> str:
        inputs = (self.shared, template_digest, job.template, job.path, job.source, *self._inputs(job))
        return self.tokens.page(job.out_path, inputs)

    def _inputs(self, job: RenderJob) -> tuple[object, ...]:
        site = self.site
        if job.template == "paper.html":
            paper = site.paper(job.source)
            return (self.tokens.paper(paper) if paper else None,)
        if job.template == "profile.html":
            slug = job.source or str(site.config.author)
            listed = self._listed(slug)
            return (self._page_of(listed, job.page), *self._person(slug))
        if job.template == "publications.html":
            listed = views.kind_papers(site, job.source) if job.source else site.papers
            return (self._page_of(listed, job.page), self.summary())
        if job.template == "category.html":
            listed = views.category_papers(site, job.source)
            return (self._page_of(listed, job.page), self.summary())
        if job.template == "page.html":
            return tuple(page for page in site.pages if page.slug == job.source)
        if job.template in ("404.html", "search.html"):  # the settings only
            return ()
        if job.template == "people.html":  # a card per person: their papers sum up there
            return (self.summary(), *(self._person(a.slug) for a in site.authors))
        # a template this module does not know: everything
        return (self.all_papers(), self.summary(), *(self._person(a.slug) for a in site.authors))

    def _page_of(self, papers: Sequence[Paper], page: int) -> tuple[object, ...]:
        """The papers a page of a list shows, and how long the list is."""
        return (self.tokens.papers(pagination.page_items(papers, page)), len(papers))

    def _person(self, slug: str) -> tuple[object, ...]:
        """A person as their profile (every page of it) and their card on the people
        page show them: the profile, sums over all their papers, metrics, co-authors.
        Made once per site: every page of a long profile asks."""
        known = self._people.get(slug)
        if known is None:
            site = self.site
            author = site.author(slug)
            known = self._people[slug] = (
                author_token(author) if author else None,
                self.tokens.sums(self.papers_of(slug)),
                site.metrics.get(slug),
                site.coauthors.get(slug),
                site.categories,
            )
        return known

    def _listed(self, slug: str) -> Sequence[Paper]:
        """The papers a profile lists, in its order."""
        key = f"profile:{slug}"
        if key not in self._kinds:
            self._kinds[key] = views.profile_papers(self.site, slug)
        return self._kinds[key]

    def all_papers(self) -> str:
        if self._all_papers is None:
            self._all_papers = self.tokens.papers(self.site.papers)
        return self._all_papers

    def summary(self) -> str:
        if self._counts is None:
            self._counts = self.tokens.summary(self.site)
        return self._counts

    def papers_of(self, slug: str) -> tuple[Paper, ...]:
        if slug not in self._papers_of:
            self._papers_of[slug] = self.site.papers_of(slug)
        return self._papers_of[slug]
