"""One paper, many BibTeX entries: a lab's members each cite their joint papers.

Entries of different files are the same paper when they share a DOI, an
arXiv id, or a normalised title and year (within one file, two entries are
taken to be meant: a preprint and its published version, say). They merge field by field into the first entry
(in file order): the richest abstract, the union of links and categories, the
highest citation count and the yearly counts with the larger total. Each merge
is reported so nobody is surprised.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from generator.diagnostics import Diagnostic, warning
from generator.latex import to_plain
from generator.model import Paper
from generator.names import fold


def identities(paper: Paper) -> list[str]:
    """Every key under which another entry would be the same paper."""
    ids = []
    if paper.doi:
        ids.append("doi:" + paper.doi.strip().lower())
    if paper.arxiv_id:
        ids.append("arxiv:" + paper.arxiv_id.strip().lower().split("v")[0])
    title = fold(to_plain(paper.title))
    if title and paper.date.year:
        ids.append(f"title:{title}:{paper.date.year}")
    return ids


def deduplicate(papers: Sequence[Paper]) -> tuple[list[Paper], list[Diagnostic]]:
    """Merge entries that describe one paper; order and keys of the survivors are kept."""
    owner: dict[str, int] = {}  # identity -> index of the surviving paper
    merged: list[Paper | None] = list(papers)
    diags: list[Diagnostic] = []
    for i, paper in enumerate(papers):
        first = next(
            (
                owner[ident]
                for ident in identities(paper)
                if ident in owner and papers[owner[ident]].source.path != paper.source.path
            ),
            None,
        )
        if first is None:
            for ident in identities(paper):
                owner.setdefault(ident, i)
            continue
        survivor = merged[first]
        assert survivor is not None
        merged[first] = merge(survivor, paper)
        merged[i] = None
        for ident in identities(paper):
            owner.setdefault(ident, first)
        diags.append(
            warning(
                f"'{paper.key}' is the same paper as '{survivor.key}' ({survivor.source}); "
                "they are shown once, merged",
                paper.source,
                "remove one entry, or keep both if you like: fields are combined",
            )
        )
    return [p for p in merged if p is not None], diags


def merge(first: Paper, other: Paper) -> Paper:
    """``first`` completed with what ``other`` knows better."""
    links = list(first.links)
    seen = {(link.kind, link.url) for link in links}
    kinds = {link.kind for link in links}
    for link in other.links:
        if (link.kind, link.url) not in seen and link.kind not in kinds:
            links.append(link)
    citations = max((c for c in (first.citations, other.citations) if c is not None), default=None)
    fuller = first if len(first.authors) >= len(other.authors) else other
    return dataclasses.replace(
        first,
        abstract=max((first.abstract, other.abstract), key=len),
        links=tuple(links),
        categories=tuple(dict.fromkeys((*first.categories, *other.categories))),
        citations=citations,
        # one source's histogram whole (the larger, as with the count), never a mix of two
        citations_by_year=max(
            (first.citations_by_year, other.citations_by_year), key=lambda h: sum(c for _, c in h)
        ),
        venue=first.venue or other.venue,
        venue_kind=first.venue_kind or other.venue_kind,
        doi=first.doi or other.doi,
        arxiv_id=first.arxiv_id or other.arxiv_id,
        date=first.date if _precision(first) >= _precision(other) else other.date,
        selected=first.selected or other.selected,
        award=first.award or other.award,
        authors=fuller.authors,
        more_authors=fuller.more_authors,
    )


def _precision(paper: Paper) -> int:
    d = paper.date
    return sum(x is not None for x in (d.year, d.month, d.day))
