"""Assemble: records from every file -> one cross-checked :class:`Site`.

All rules that need more than one file live here: paper slugs, matching
author names to profiles, which papers belong to whom, ordering, categories
and metrics.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterable, Sequence

from generator.config import SiteConfig
from generator.dedup import deduplicate
from generator.diagnostics import Diagnostic, SourceLocation, error, warning
from generator.metrics import metrics_for
from generator.model import Author, Coauthor, Page, Paper, Site
from generator.names import NameMatcher, match_key
from generator.slugs import unique_slugs
from generator.sources.schema import did_you_mean


def assemble(
    config: SiteConfig,
    config_source: SourceLocation,
    authors: Sequence[Author],
    papers: Sequence[Paper],
    pages: Sequence[Page],
    static_files: Iterable[str] = (),
) -> tuple[Site, list[Diagnostic]]:
    diags: list[Diagnostic] = []
    authors, author_diags = _unique_authors(authors)
    diags += author_diags
    authors, avatar_diags = _check_avatars(authors, set(static_files))
    diags += avatar_diags
    config, owner_diags = _check_owner(config, config_source, authors)
    diags += owner_diags
    papers, dedup_diags = deduplicate(papers)
    diags += dedup_diags
    papers = sort_papers(_link_authors(assign_slugs(papers), authors))
    by_author, claim_diags = _papers_by_author(papers, authors)
    diags += claim_diags
    pages, page_diags = _unique_pages(pages)
    diags += page_diags
    paper_index = {p.key: p for p in papers}
    metrics = {
        a.slug: metrics_for(a, [paper_index[k] for k in by_author[a.slug]], config.language) for a in authors
    }
    site = Site.create(
        config,
        authors=tuple(authors),
        papers=tuple(papers),
        pages=tuple(sorted(pages, key=lambda p: (p.nav_order is None, p.nav_order or 0, p.title.casefold()))),
        papers_by_author=by_author,
        metrics=metrics,
        categories=_categories(papers),
        coauthors={a.slug: coauthors(a.slug, [paper_index[k] for k in by_author[a.slug]]) for a in authors},
    )
    return site, diags


def coauthors(slug: str, papers: Sequence[Paper], limit: int = 12) -> tuple[Coauthor, ...]:
    """The people ``slug`` writes with most; the same person under two spellings counts once."""
    counts: Counter[str] = Counter()
    shown: dict[str, tuple[str, str | None]] = {}
    for paper in papers:
        seen: set[str] = set()
        for ref in paper.authors:
            if ref.author_slug == slug:
                continue
            key = f"profile:{ref.author_slug}" if ref.author_slug else match_key(ref.name)
            if key in seen or not key:
                continue
            seen.add(key)
            counts[key] += 1
            shown.setdefault(key, (ref.display, ref.author_slug))
    ranked = sorted(counts, key=lambda k: (-counts[k], shown[k][1] is None, shown[k][0].casefold()))
    return tuple(
        Coauthor(shown[k][0], counts[k], shown[k][1]) for k in ranked[:limit] if counts[k] > 1 or shown[k][1]
    )


def assign_slugs(papers: Sequence[Paper]) -> list[Paper]:
    """Slugs from keys, unique even when keys differ only by case or punctuation.

    Slugs are handed out in key order so a paper keeps its URL when others are
    added or removed, unless they collide with it.
    """
    order = sorted(range(len(papers)), key=lambda i: papers[i].key)
    slugs = unique_slugs((papers[i].key for i in order), fallback="paper")
    by_index = dict(zip(order, slugs, strict=True))
    return [dataclasses.replace(p, slug=by_index[i]) for i, p in enumerate(papers)]


def paper_sort_key(paper: Paper) -> tuple[int, int, int, int, str, str]:
    """Newest first by year, month, day; undated last; then title, then key."""
    d = paper.date
    return (d.year is None, -(d.year or 0), -(d.month or 0), -(d.day or 0), paper.title.casefold(), paper.key)


def sort_papers(papers: Iterable[Paper]) -> list[Paper]:
    return sorted(papers, key=paper_sort_key)


def _unique_authors(authors: Sequence[Author]) -> tuple[list[Author], list[Diagnostic]]:
    seen: dict[str, Author] = {}
    diags: list[Diagnostic] = []
    for author in authors:
        first = seen.get(author.slug)
        if first:
            diags.append(
                error(
                    f"two author files have the slug '{author.slug}' (the other is {first.source.path})",
                    author.source,
                    "rename one of the files",
                )
            )
            continue
        seen[author.slug] = author
    return sorted(seen.values(), key=lambda a: a.slug), diags


def _check_avatars(authors: list[Author], static_files: set[str]) -> tuple[list[Author], list[Diagnostic]]:
    out: list[Author] = []
    diags: list[Diagnostic] = []
    for author in authors:
        avatar = author.avatar
        if avatar and not avatar.startswith(("http://", "https://")) and avatar not in static_files:
            diags.append(
                warning(
                    f"avatar '{avatar}' does not exist",
                    author.source,
                    "put the image in content/static/ and write e.g. `avatar: static/me.jpg`",
                )
            )
            author = dataclasses.replace(author, avatar="")
        out.append(author)
    return out, diags


def _check_owner(
    config: SiteConfig, source: SourceLocation, authors: Sequence[Author]
) -> tuple[SiteConfig, list[Diagnostic]]:
    slugs = [a.slug for a in authors]
    if config.author and config.author not in slugs:
        hint = did_you_mean(config.author, slugs) if slugs else "add content/authors/<slug>.yaml"
        diag = error(f"author '{config.author}' matches no file in authors/", source, hint)
        return dataclasses.replace(config, author=""), [diag]
    if not config.author and len(authors) == 1 and not config.group:
        return dataclasses.replace(config, author=authors[0].slug), []
    return config, []


def _link_authors(papers: Sequence[Paper], authors: Sequence[Author]) -> list[Paper]:
    """Mark every name that matches a profile, so it can be highlighted and linked."""
    if not authors:
        return list(papers)
    matcher = NameMatcher([(a.slug, (a.name, *a.aliases)) for a in authors])
    out = []
    for paper in papers:
        refs = tuple(dataclasses.replace(r, author_slug=matcher.match(r.name)) for r in paper.authors)
        out.append(dataclasses.replace(paper, authors=refs) if refs != paper.authors else paper)
    return out


def _papers_by_author(
    papers: Sequence[Paper], authors: Sequence[Author]
) -> tuple[dict[str, tuple[str, ...]], list[Diagnostic]]:
    """On a one-person site every entry is the owner's; otherwise names and claims decide."""
    if len(authors) == 1:
        return {authors[0].slug: tuple(p.key for p in papers)}, []
    keys = {p.key for p in papers}
    diags: list[Diagnostic] = []
    claimed: dict[str, set[str]] = {a.slug: set() for a in authors}
    for author in authors:
        for key in author.paper_keys:
            if key in keys:
                claimed[author.slug].add(key)
            else:
                diags.append(
                    warning(
                        f"paper '{key}' listed under papers: is in no BibTeX file",
                        author.source,
                        did_you_mean(key, sorted(keys)),
                    )
                )
    for paper in papers:
        for ref in paper.authors:
            if ref.author_slug:
                claimed[ref.author_slug].add(paper.key)
    return {slug: tuple(p.key for p in papers if p.key in mine) for slug, mine in claimed.items()}, diags


def _unique_pages(pages: Sequence[Page]) -> tuple[list[Page], list[Diagnostic]]:
    seen: dict[str, Page] = {}
    diags: list[Diagnostic] = []
    for page in sorted(pages, key=lambda p: p.source.path):
        first = seen.get(page.slug)
        if first:
            diags.append(
                error(
                    f"two pages have the slug '{page.slug}' (the other is {first.source.path})",
                    SourceLocation(page.source.path, 1),
                    "rename one file or give it another `slug:` in its front matter",
                )
            )
            continue
        seen[page.slug] = page
    return list(seen.values()), diags


def _categories(papers: Sequence[Paper]) -> tuple[str, ...]:
    counts = Counter(c for p in papers for c in p.categories)
    return tuple(sorted(counts, key=lambda c: (-counts[c], c.casefold())))
