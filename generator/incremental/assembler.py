"""The assembled site, patched instead of rebuilt when only papers changed.

:func:`generator.assemble.assemble` redoes every cross-file rule for every
paper: 0.7 s for 10,000 papers. When the profiles, pages, settings and static
files are those of the last run and the changed papers take part in no
merge of duplicates, the patch below applies the same rules to the changed
papers only: slug, profile links, place in the order, whose papers they are,
the metrics, co-authors and categories of the people concerned.

The patch mirrors ``assemble()`` step by step. So that a new step there can
never be silently missed here, the patch switches itself off when the names
``assemble()`` uses, or the fields of ``Site.create``, differ from those it
was written for (``test_incremental`` fails to say so).
"""

from __future__ import annotations

import bisect
import dataclasses
import inspect
import types
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import compress
from operator import attrgetter, not_

from generator import assemble as assembly
from generator.config import SiteConfig
from generator.dedup import identities
from generator.diagnostics import Diagnostic, SourceLocation, warning
from generator.metrics import metrics_for
from generator.model import Author, Page, Paper, Site
from generator.names import NameMatcher
from generator.paperindex import changed_stretch
from generator.slugs import unique_slugs
from generator.sources.schema import did_you_mean

# What assemble() and Site.create looked like when the patch was written.
KNOWN_ASSEMBLE_NAMES = frozenset(
    {
        "Site", "_categories", "_check_avatars", "_check_owner", "_link_authors", "_papers_by_author",
        "_unique_authors", "_unique_pages", "assign_slugs", "coauthors", "create", "deduplicate",
        "language", "metrics_for", "nav_order", "set", "slug", "sort_papers", "sorted", "title",
        "casefold", "tuple", "key",
    }
)  # fmt: skip
KNOWN_SITE_FIELDS = (
    "config", "authors", "papers", "pages", "papers_by_author", "metrics", "categories", "coauthors",
)  # fmt: skip


def _names(code: types.CodeType) -> set[str]:
    names = set(code.co_names)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            names |= _names(const)
    return names


def patch_supported() -> bool:
    """True while assemble() and Site.create are those the patch mirrors."""
    fields = tuple(inspect.signature(Site.create).parameters)
    return _names(assembly.assemble.__code__) <= KNOWN_ASSEMBLE_NAMES and fields == KNOWN_SITE_FIELDS


@dataclass(frozen=True, slots=True)
class _Inputs:
    """Everything but the papers; the patch needs these unchanged."""

    config: SiteConfig
    config_source: SourceLocation
    authors: tuple[Author, ...]
    pages: tuple[Page, ...]
    static_files: frozenset[str]


@dataclass(slots=True)
class _State:
    """The last assembled site and what the patch needs to update it."""

    inputs: _Inputs
    site: Site
    raw: dict[str, Paper]  # key -> the paper as it came from the BibTeX stage
    base_diags: list[Diagnostic]  # every diagnostic but the claims'
    claim_diags: list[Diagnostic]
    sort_keys: list[tuple[int, int, int, int, str, str]]  # of site.papers, in order
    owners: dict[str, set[str]]  # identity -> keys of the papers that have it
    merged: set[str]  # keys of papers that took part in a merge of duplicates
    matcher: NameMatcher | None
    categories: Counter[str] = field(default_factory=Counter)
    given: Sequence[Paper] = ()  # the papers this state was made from (the same object: no change)


class SiteAssembler:
    """``assemble()`` that patches its previous result when only papers changed."""

    def __init__(self) -> None:
        self._state: _State | None = None

    def assemble(
        self,
        config: SiteConfig,
        config_source: SourceLocation,
        authors: Sequence[Author],
        papers: Sequence[Paper],
        pages: Sequence[Page],
        static_files: Iterable[str] = (),
    ) -> tuple[Site, list[Diagnostic]]:
        inputs = _Inputs(config, config_source, tuple(authors), tuple(pages), frozenset(static_files))
        state = self._state
        if state is not None and state.inputs == inputs and state.given is papers:
            return state.site, [*state.base_diags, *state.claim_diags]
        if state is not None and state.inputs == inputs and patch_supported():
            self._state = None  # the patch updates it in place: gone if the patch fails
            patched = _patch(state, papers)
            if patched is not None:
                self._state = patched
                patched.given = papers
                return patched.site, [*patched.base_diags, *patched.claim_diags]
        if state is not None and state.given is papers and patch_supported():
            profiles = _patch_profiles(state, inputs)
            if profiles is not None:
                self._state = profiles
                return profiles.site, [*profiles.base_diags, *profiles.claim_diags]
        self._state = _full(inputs, papers)
        self._state.given = papers
        return self._state.site, [*self._state.base_diags, *self._state.claim_diags]


def _full(inputs: _Inputs, papers: Sequence[Paper]) -> _State:
    site, diags = assembly.assemble(
        inputs.config, inputs.config_source, inputs.authors, papers, inputs.pages, inputs.static_files
    )
    claims = _claim_diags(site.authors, {p.key for p in site.papers})
    claim_set = set(claims)
    owners: dict[str, set[str]] = {}
    for paper in papers:
        for ident in identities(paper):
            owners.setdefault(ident, set()).add(paper.key)
    raw = {p.key: p for p in papers}
    merged = {p.key for p in papers if _shares_identity(p, owners, raw)}
    authors = site.authors
    return _State(
        inputs=inputs,
        site=site,
        raw=raw,
        base_diags=[d for d in diags if d not in claim_set],
        claim_diags=claims,
        sort_keys=[assembly.paper_sort_key(p) for p in site.papers],
        owners=owners,
        merged=merged,
        matcher=NameMatcher([(a.slug, (a.name, *a.aliases)) for a in authors]) if authors else None,
        categories=Counter(c for p in site.papers for c in p.categories),
    )


def _shares_identity(paper: Paper, owners: dict[str, set[str]], raw: dict[str, Paper]) -> bool:
    """True when another file has a paper with one of this paper's identities:
    ``deduplicate`` merges such papers (within one file it does not)."""
    for ident in identities(paper):
        for key in owners.get(ident, ()):
            other = raw.get(key)
            if key != paper.key and other is not None and other.source.path != paper.source.path:
                return True
    return False


def _claim_diags(authors: Sequence[Author], keys: set[str]) -> list[Diagnostic]:
    """The warnings of ``_papers_by_author``: claimed keys that no BibTeX file has."""
    if len(authors) == 1:
        return []
    return [
        warning(
            f"paper '{key}' listed under papers: is in no BibTeX file",
            author.source,
            did_you_mean(key, sorted(keys)),
        )
        for author in authors
        for key in author.paper_keys
        if key not in keys
    ]


def _patch(state: _State, papers: Sequence[Paper]) -> _State | None:
    """``state`` updated for the new BibTeX papers, or None when a full run is needed.
    Only the stretch of papers that differs from the last ones (by identity) is looked
    at, and the site is updated in place of the papers it touched: an edit costs in
    proportion to what it changed, not to the number of papers."""
    given, raw = state.given, state.raw
    if len(raw) != len(given):
        return None  # keys repeated in the last papers
    first, tail = changed_stretch(given, papers)
    was, now = given[first : len(given) - tail], papers[first : len(papers) - tail]
    removed = {p.key for p in was}
    added = {p.key: p for p in now}
    if len(added) != len(now) or any(k in raw and k not in removed for k in added):
        return None  # a key twice
    gone = [p.key for p in was if p.key not in added]
    changed = [p.key for p in now if raw.get(p.key) is not p]
    if not gone and not changed:
        return state
    keys_changed = bool(gone) or any(k not in raw for k in changed)
    before = [raw[k] for k in gone + changed if k in raw]
    # From here on the state's containers are updated in place (not copied: a copy of
    # each costs the garbage collector a millisecond); assemble() drops the state if
    # this fails, and a None makes it assemble afresh.
    new = raw
    for key in removed:
        del new[key]
    new.update(added)
    owners = _update_owners(state.owners, before, [new[k] for k in changed])
    if any(k in state.merged for k in gone + changed):
        return None
    if any(_shares_identity(new[k], owners, new) for k in changed):
        return None
    site = state.site
    if keys_changed:
        slugs = {p.key: p.slug for p in site.papers}
        fresh = dict(zip(sorted(new), unique_slugs(sorted(new), fallback="paper"), strict=True))
        changed += [k for k in new if k in slugs and slugs[k] != fresh[k] and k not in changed]
        slug_of = fresh.__getitem__
    else:
        slug_of = lambda key: _existing(site, key).slug  # noqa: E731  (kept keys keep their slugs)
    assembled = {k: _link(dataclasses.replace(new[k], slug=slug_of(k)), state.matcher) for k in changed}
    touched = set(gone) | set(changed)
    reordered = _reorder(site, state.sort_keys, touched, assembled.values())
    if reordered is None:
        return None
    order, sort_keys = reordered
    categories = state.categories.copy()
    for key in gone + changed:
        previous = site.paper(key)
        if previous is not None:
            categories.subtract(previous.categories)
    for paper in assembled.values():
        categories.update(paper.categories)
    categories = +categories
    next_site = _derived(site, order, touched, assembled, categories)
    claims = _claim_diags(site.authors, set(new)) if keys_changed else state.claim_diags
    return _State(
        inputs=state.inputs,
        site=next_site,
        raw=new,
        base_diags=state.base_diags,
        claim_diags=claims,
        sort_keys=sort_keys,
        owners=owners,
        merged=state.merged,
        matcher=state.matcher,
        categories=categories,
    )


def _patch_profiles(state: _State, inputs: _Inputs) -> _State | None:
    """``state`` for new profiles (the papers being the same), or None when a full run
    is needed. When no profile changed what links names to people or papers to their
    lists (slugs, names, aliases, claimed keys), nor the settings that follow from the
    profiles, the papers, their order, lists and co-authors stay: the people, their
    metrics and the messages about them are made again (an edit of a bio then costs
    milliseconds, not a second of matching 50,000 names)."""
    old = state.inputs
    others = (inputs.config, inputs.config_source, inputs.pages, inputs.static_files)
    if others != (old.config, old.config_source, old.pages, old.static_files):
        return None
    before, before_diags, before_config = _profiles(old)
    after, after_diags, config = _profiles(inputs)
    if config != before_config or list(map(_linking, after)) != list(map(_linking, before)):
        return None
    site = state.site
    diags = Counter(state.base_diags)
    diags.subtract(before_diags)
    if any(n < 0 for n in diags.values()):
        return None  # not the messages expected: leave it to assemble()
    base = [*after_diags, *diags.elements()]
    metrics = {a.slug: metrics_for(a, site.papers_of(a.slug), config.language) for a in after}
    next_site = Site.create(
        config,
        authors=tuple(after),
        papers=site.papers,
        pages=site.pages,
        papers_by_author=site.papers_by_author,
        metrics=metrics,
        categories=site.categories,
        coauthors=site.coauthors,
    )
    claims = _claim_diags(after, set(map(_key, site.papers)))
    return dataclasses.replace(state, inputs=inputs, site=next_site, base_diags=base, claim_diags=claims)


def _profiles(inputs: _Inputs) -> tuple[list[Author], list[Diagnostic], SiteConfig]:
    """The first steps of ``assemble()``: the profiles as checked, their messages, the settings."""
    authors, diags = assembly._unique_authors(inputs.authors)
    authors, avatar_diags = assembly._check_avatars(authors, set(inputs.static_files))
    config, owner_diags = assembly._check_owner(inputs.config, inputs.config_source, authors)
    return authors, [*diags, *avatar_diags, *owner_diags], config


def _linking(author: Author) -> tuple[object, ...]:
    """What of a profile decides which names are linked to it and which papers are its."""
    return author.slug, author.name, author.aliases, author.paper_keys


def _update_owners(
    owners: dict[str, set[str]], removed: Sequence[Paper], added: Sequence[Paper]
) -> dict[str, set[str]]:
    """``owners``, updated in place."""
    out = owners
    for paper in removed:
        for ident in identities(paper):
            out[ident] = out.get(ident, set()) - {paper.key}
    for paper in added:
        for ident in identities(paper):
            out[ident] = out.get(ident, set()) | {paper.key}
    return out


def _link(paper: Paper, matcher: NameMatcher | None) -> Paper:
    """``_link_authors`` for one paper."""
    if matcher is None:
        return paper
    refs = tuple(dataclasses.replace(r, author_slug=matcher.match(r.name)) for r in paper.authors)
    return dataclasses.replace(paper, authors=refs) if refs != paper.authors else paper


def _reorder(
    site: Site,
    sort_keys: list[tuple[int, int, int, int, str, str]],
    removed: set[str],
    added: Iterable[Paper],
) -> tuple[list[Paper], list[tuple[int, int, int, int, str, str]]] | None:
    """The site's order with ``removed`` taken out and ``added`` put in place, each
    found by bisection (``sort_papers`` is a total order: the key ends with the BibTeX
    key); None if the order is not the one expected. ``sort_keys`` is updated in place."""
    papers, keys = list(site.papers), sort_keys
    for gone in removed:
        paper = site.paper(gone)
        if paper is None:
            continue  # a key the site did not have
        at = bisect.bisect_left(keys, assembly.paper_sort_key(paper))
        if at == len(papers) or papers[at] is not paper:
            return None
        del papers[at], keys[at]
    for paper in added:
        key = assembly.paper_sort_key(paper)
        at = bisect.bisect_left(keys, key)
        keys.insert(at, key)
        papers.insert(at, paper)
    return papers, keys


def _derived(
    site: Site, order: list[Paper], touched: set[str], assembled: dict[str, Paper], categories: Counter[str]
) -> Site:
    """A new Site: per-person lists, metrics and co-authors redone for the people concerned
    (those who had or now have a touched paper)."""
    authors = site.authors
    by_author = dict(site.papers_by_author)
    metrics = dict(site.metrics)
    coauthors = dict(site.coauthors)

    def paper_of(key: str) -> Paper:
        return assembled[key] if key in assembled else _existing(site, key)

    for author in authors:
        before = by_author.get(author.slug, ())
        if len(authors) == 1:
            mine = tuple(map(_key, order))
        else:
            claimed = [k for k, p in assembled.items() if k in author.paper_keys or _linked(p, author.slug)]
            if not claimed and touched.isdisjoint(before):
                continue  # none of their papers changed, and no changed paper is theirs
            mine = _claimed(before, touched, claimed, paper_of)
        if mine == before and touched.isdisjoint(mine):
            continue
        by_author[author.slug] = mine
        own = [paper_of(k) for k in mine]
        metrics[author.slug] = metrics_for(author, own, site.config.language)
        if mine != before or [p.authors for p in own] != [p.authors for p in site.papers_of(author.slug)]:
            coauthors[author.slug] = assembly.coauthors(author.slug, own)  # it reads author lists only
    ranked = tuple(sorted(categories, key=lambda c: (-categories[c], c.casefold())))
    return Site.create(
        site.config,
        authors=authors,
        papers=tuple(order),
        pages=site.pages,
        papers_by_author=by_author,
        metrics=metrics,
        categories=ranked,
        coauthors=coauthors,
    )


def _claimed(
    before: tuple[str, ...], touched: set[str], claimed: list[str], paper_of: Callable[[str], Paper]
) -> tuple[str, ...]:
    """``_papers_by_author`` for one person: their untouched papers stay theirs, in order;
    the touched papers they claim by key or name go in their place in the site's order."""
    mine = list(compress(before, map(not_, map(touched.__contains__, before))))
    for key in claimed:
        sort_key = assembly.paper_sort_key(paper_of(key))
        at = bisect.bisect_left(mine, sort_key, key=lambda k: assembly.paper_sort_key(paper_of(k)))
        mine.insert(at, key)
    return tuple(mine)


_key = attrgetter("key")


def _existing(site: Site, key: str) -> Paper:
    paper = site.paper(key)
    if paper is None:
        raise KeyError(key)
    return paper


def _linked(paper: Paper, slug: str) -> bool:
    return any(r.author_slug == slug for r in paper.authors)
