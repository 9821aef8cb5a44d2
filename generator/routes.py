"""Routes: which page goes to which file, rendered with which template and view.

Views are built lazily (a RenderJob holds a thunk) so a rebuild that renders
few pages does not compute every view.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from generator import paths, views
from generator.diagnostics import Diagnostic, error
from generator.model import Site


@dataclass(frozen=True, slots=True)
class RenderJob:
    path: str  # site-relative page path ("papers/x/"), what url() is relative to
    out_path: str  # file inside output/ ("papers/x/index.html")
    template: str
    make_view: Callable[[], object]
    source: str = ""  # what the page shows, for messages: a BibTeX key, an author slug


def _job(path: str, template: str, make_view: Callable[[], object], source: str = "") -> RenderJob:
    return RenderJob(path, f"{path}index.html", template, make_view, source)


def plan(site: Site) -> tuple[list[RenderJob], list[Diagnostic]]:
    jobs: list[RenderJob] = []
    owner = site.owner
    if owner:
        jobs.append(_job(paths.home_path(), "profile.html", lambda: views.profile_view(site, owner.slug)))
    else:
        jobs.append(_job(paths.home_path(), "people.html", lambda: views.people_view(site)))
    for author in site.authors:
        if owner is None or author.slug != owner.slug:
            slug = author.slug
            jobs.append(
                _job(
                    paths.author_path(site, slug),
                    "profile.html",
                    partial(views.profile_view, site, slug),
                    slug,
                )
            )
    for paper in site.papers:
        key = paper.key
        jobs.append(_job(paths.paper_path(paper), "paper.html", partial(views.paper_view, site, key), key))
    jobs.append(_job(paths.publications_path(), "publications.html", lambda: views.publications_view(site)))
    for category in site.categories:
        jobs.append(
            _job(
                paths.category_path(category),
                "category.html",
                partial(views.category_view, site, category),
                category,
            )
        )
    for page in site.pages:
        jobs.append(_job(paths.page_path(page), "page.html", partial(views.page_view, site, page), page.slug))
    jobs.append(RenderJob("404.html", "404.html", "404.html", lambda: views.not_found_view(site)))
    return _drop_clashes(jobs)


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
