"""The papers of each category and publication type of a site, derived once per paper list.

Views, routes and page fingerprints ask the same questions of all papers: which
papers a category or a publication type lists, and how many. Asked afresh, each
answer is a pass over every paper, and a preview rebuild of a 10,000-paper site
asked them dozens of times. A :class:`PaperIndex` answers them for a tuple of
papers (papers are immutable) and keeps the answers for the last tuple; the
next tuple (the site after an edit) gets them updated from the last one's,
compared by identity, so an edit costs in proportion to the papers it changed.
The update gives exactly what counting afresh gives; when many papers changed,
far apart, it counts afresh.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from itertools import compress, count, islice, repeat
from operator import attrgetter, contains, is_not

from generator.model import Paper


@dataclass(frozen=True, slots=True)
class PaperGroups:
    """One tuple of papers grouped: each list in the tuple's order, each paper once."""

    papers: tuple[Paper, ...]
    kinds: tuple[str, ...]  # the kind of each paper, in the same order
    by_category: Mapping[str, tuple[Paper, ...]]  # in no particular order of categories
    by_kind: Mapping[str, tuple[Paper, ...]]
    with_bibtex: int  # papers that have a BibTeX record

    def category(self, name: str) -> tuple[Paper, ...]:
        return self.by_category.get(name, ())

    def kind(self, name: str) -> tuple[Paper, ...]:
        return self.by_kind.get(name, ())


class PaperIndex:
    """:class:`PaperGroups` of the last tuple of papers asked for; ``kind_of`` names
    the publication type a paper is listed under."""

    def __init__(self, kind_of: Callable[[Paper], str]) -> None:
        self._kind_of = kind_of
        self._last: PaperGroups | None = None

    def of(self, papers: tuple[Paper, ...]) -> PaperGroups:
        last = self._last
        if last is not None and last.papers is papers:
            return last
        groups = (_updated(last, papers, self._kind_of) if last is not None else None) or _grouped(
            papers, self._kind_of
        )
        self._last = groups
        return groups


def _grouped(papers: tuple[Paper, ...], kind_of: Callable[[Paper], str]) -> PaperGroups:
    kinds = tuple(map(kind_of, papers))
    by_category: dict[str, list[Paper]] = {}
    by_kind: dict[str, list[Paper]] = {}
    for paper, kind in zip(papers, kinds, strict=True):
        names = paper.categories
        for category in names if len(names) < 2 else dict.fromkeys(names):  # each once
            by_category.setdefault(category, []).append(paper)
        by_kind.setdefault(kind, []).append(paper)
    return PaperGroups(
        papers,
        kinds,
        {c: tuple(ps) for c, ps in by_category.items()},
        {k: tuple(ps) for k, ps in by_kind.items()},
        sum(1 for p in papers if p.bibtex),
    )


def _updated(
    before: PaperGroups, papers: tuple[Paper, ...], kind_of: Callable[[Paper], str]
) -> PaperGroups | None:
    """``before`` brought to ``papers`` when they differ in one stretch (an edit changes,
    adds or removes a few neighbouring papers); None when the stretch is long.

    The papers before and after the stretch are the same records in the same places,
    so every list is its old papers from before the stretch, the new stretch's papers
    of that list, and its old papers from after. Only the lists of the stretch's papers
    change; their split points are counted over the shorter side, in C loops."""
    old = before.papers
    first, tail = changed_stretch(old, papers)
    if first == len(old) == len(papers):  # the same records in a new tuple
        return dataclasses.replace(before, papers=papers)
    old_end, new_end = len(old) - tail, len(papers) - tail
    gone, added = old[first:old_end], papers[first:new_end]
    if len(gone) + len(added) > 64 + len(papers) // 16:
        return None
    added_kinds = tuple(map(kind_of, added))
    by_category = dict(before.by_category)
    for name in {c for paper in (*gone, *added) for c in paper.categories}:
        old_list = before.category(name)
        was = sum(1 for p in gone if name in p.categories)
        if first <= len(old) - old_end:
            start = sum(map(contains, map(_categories, old[:first]), repeat(name)))
        else:
            start = len(old_list) - was - sum(map(contains, map(_categories, old[old_end:]), repeat(name)))
        _splice(by_category, name, old_list, start, was, tuple(p for p in added if name in p.categories))
    by_kind = dict(before.by_kind)
    gone_kinds = before.kinds[first:old_end]
    for name in {*gone_kinds, *added_kinds}:
        old_list = before.kind(name)
        was = gone_kinds.count(name)
        if first <= len(old) - old_end:
            start = before.kinds[:first].count(name)
        else:
            start = len(old_list) - was - before.kinds[old_end:].count(name)
        now = tuple(p for p, k in zip(added, added_kinds, strict=True) if k == name)
        _splice(by_kind, name, old_list, start, was, now)
    kinds = before.kinds[:first] + added_kinds + before.kinds[old_end:]
    with_bibtex = before.with_bibtex - sum(1 for p in gone if p.bibtex) + sum(1 for p in added if p.bibtex)
    return PaperGroups(papers, kinds, by_category, by_kind, with_bibtex)


_categories = attrgetter("categories")


def changed_stretch(old: Sequence[object], new: Sequence[object]) -> tuple[int, int]:
    """``(first, tail)``: ``new`` holds the very objects of ``old`` in its first ``first``
    and its last ``tail`` places, and the two ends do not overlap in either sequence.
    Compared by identity in C loops: a pass over 10,000 items takes some 0.1 ms."""
    limit = min(len(old), len(new))
    first = next(compress(count(), map(is_not, old, new)), limit)
    span = limit - first
    tail = next(
        compress(count(), map(is_not, islice(reversed(old), span), islice(reversed(new), span))), span
    )
    return first, tail


def _splice(
    lists: dict[str, tuple[Paper, ...]],
    name: str,
    old: tuple[Paper, ...],
    start: int,
    removed: int,
    inserted: tuple[Paper, ...],
) -> None:
    listed = old[:start] + inserted + old[start + removed :]
    if listed:
        lists[name] = listed
    else:
        lists.pop(name, None)
