"""Routes: which page goes to which file, rendered with which template and view.

Views are built lazily (a RenderJob holds a thunk) so a rebuild that renders
few pages does not compute every view.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from generator import pagination, paths, views
from generator.diagnostics import Diagnostic, error
from generator.model import Paper, Site


@dataclass(frozen=True, slots=True)
class RenderJob:
    path: str  # site-relative page path ("papers/x/"), what url() is relative to
    out_path: str  # file inside output/ ("papers/x/index.html")
    template: str
    make_view: Callable[[], object]
    source: str = ""  # what the page shows, for messages: a BibTeX key, an author slug
    page: int = 1  # which page of a list split over several (generator.pagination)


def _job(path: str, template: str, make_view: Callable[[], object], source: str = "") -> RenderJob:
    return RenderJob(path, f"{path}index.html", template, make_view, source)


def _list_jobs(
    first: str, template: str, build: Callable[..., object], items: int, source: str = ""
) -> list[RenderJob]:
    """A list of ``items`` papers at ``first``, and its further pages when it is long."""
    jobs = []
    for page in range(1, pagination.page_count(items) + 1):
        path = pagination.page_path(first, page)
        jobs.append(RenderJob(path, f"{path}index.html", template, partial(build, page=page), source, page))
    return jobs


def paper_job(site: Site, paper: Paper) -> RenderJob:
    """The page of one paper."""
    key = paper.key
    return _job(paths.paper_path(paper), "paper.html", partial(views.paper_view, site, key), key)


def plan(
    site: Site, cards: views.CardMemo | None = None, papers: bool = True
) -> tuple[list[RenderJob], list[Diagnostic]]:
    """Every page of ``site``; list pages take their paper cards from ``cards`` when given
    (an incremental build keeps them between builds). With ``papers`` False, the pages
    of single papers are left out: an incremental build makes only those that changed
    with :func:`paper_job` (paper pages live under papers/, unique by slug, so they
    cannot clash with other pages)."""
    jobs: list[RenderJob] = []
    owner = site.owner
    if owner:
        home = partial(views.profile_view, site, owner.slug, cards)
        jobs += _list_jobs(paths.home_path(), "profile.html", home, _count(site, owner.slug))
    else:
        jobs.append(_job(paths.home_path(), "people.html", lambda: views.people_view(site)))
    for author in site.authors:
        if owner is None or author.slug != owner.slug:
            slug = author.slug
            profile = partial(views.profile_view, site, slug, cards)
            jobs += _list_jobs(
                paths.author_path(site, slug), "profile.html", profile, _count(site, slug), slug
            )
    if papers:
        jobs += [paper_job(site, paper) for paper in site.papers]
    publications = partial(views.publications_view, site, cards)
    jobs += _list_jobs(paths.publications_path(), "publications.html", publications, len(site.papers))
    for kind in views.venue_kinds(site):
        by_kind = partial(views.venue_kind_view, site, kind, cards)
        count = len(views.kind_papers(site, kind))
        jobs += _list_jobs(paths.venue_kind_path(kind), "publications.html", by_kind, count, kind)
    for category in site.categories:
        by_category = partial(views.category_view, site, category, cards)
        count = len(views.category_papers(site, category))
        jobs += _list_jobs(paths.category_path(category), "category.html", by_category, count, category)
    for page in site.pages:
        jobs.append(_job(paths.page_path(page), "page.html", partial(views.page_view, site, page), page.slug))
    if site.config.search:
        jobs.append(_job(paths.search_path(), "search.html", partial(views.search_view, site)))
    jobs.append(RenderJob("404.html", "404.html", "404.html", lambda: views.not_found_view(site)))
    return _drop_clashes(jobs)


def _count(site: Site, slug: str) -> int:
    return len(site.papers_by_author.get(slug, ()))


def _drop_clashes(jobs: list[RenderJob]) -> tuple[list[RenderJob], list[Diagnostic]]:
    """Two pages on one path would overwrite each other: keep the first, report the second."""
    seen: dict[str, RenderJob] = {}
    diags: list[Diagnostic] = []
    for job in jobs:
        first = seen.get(job.out_path)
        if first:
            diags.append(
                error(
                    f"'{job.source}' and '{first.source}' would both be written to {job.out_path}",
                    hint="rename one of them",
                )
            )
            continue
        seen[job.out_path] = job
    return list(seen.values()), diags
