"""The files of a site beside its pages, each with a fingerprint of its inputs.

Feeds, sitemap, robots.txt, CNAME, and the downloads for reference managers
(:mod:`generator.site_files`: a BibTeX and a CSL-JSON file per paper, per
person and for the whole site). A fingerprint says when a file must be made
again; ``make`` makes its bytes.

Downloads of whole lists and the sitemap are *deferred*: the preview server
writes them just after the pages, so the pages of a big site reload without
waiting for megabytes of downloads (``build`` writes everything at once).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial

from generator import exports, feeds, paths, search, site_files
from generator.incremental.deps import SiteFingerprints, Tokens
from generator.model import Paper, Site

FEED_SIZE = 50  # papers per Atom feed: the newest; readers only look for new ones


@dataclass(slots=True)
class Output:
    """One file of the site: where it goes, its fingerprint, and how to make its bytes."""

    rel: str
    key: str | Callable[[], str]  # deferred outputs compute it only when they are due
    make: Callable[[], bytes]
    page: bool = False  # an HTML page, counted as "rendered"
    deferred: bool = False  # may be written a moment after the pages

    def fingerprint(self) -> str:
        return self.key if isinstance(self.key, str) else self.key()


def host_outputs(site: Site, page_paths: Sequence[str], prints: SiteFingerprints) -> list[Output]:
    """What static hosts and crawlers expect beside the pages: feeds, sitemap, robots, CNAME.
    ``page_paths`` are those of the pages other than papers' (the sitemap adds those)."""
    shared, tokens = prints.shared, prints.tokens
    outputs = [
        Output(".nojekyll", tokens.page(".nojekyll", (shared,)), lambda: b""),
        Output("robots.txt", tokens.page("robots.txt", (shared,)), lambda: feeds.robots(site)),
    ]
    owner = site.owner
    home_title = owner.name if owner else site.config.title
    newest = site.papers[:FEED_SIZE]
    feed = paths.feed_path()
    key = tokens.page(feed, (shared, home_title, tokens.papers(newest)))
    outputs.append(Output(feed, key, lambda: feeds.atom_feed(site, newest, feed, "", home_title)))
    for author in site.authors:
        if owner is None or author.slug != owner.slug:
            outputs.append(_author_feed(site, author.slug, prints))
    if feeds.has_host(site.config.base_url):
        # What the sitemap shows: a paper's edit that keeps its path and date keeps it.
        entries = functools.cache(partial(_sitemap_entries, site, page_paths))
        inputs = lambda: (shared, entries())  # noqa: E731
        lazy = partial(_lazy_key, prints, "sitemap.xml", inputs)
        outputs.append(Output("sitemap.xml", lazy, lambda: feeds.sitemap(site, entries()), deferred=True))
    if site.config.domain:
        cname = site.config.domain.strip().encode("utf-8") + b"\n"
        outputs.append(Output("CNAME", tokens.page("CNAME", (shared, cname)), lambda: cname))
    return outputs


def _sitemap_entries(site: Site, page_paths: Sequence[str]) -> list[tuple[str, str]]:
    """Every page with its date: a paper page changes with its paper, other pages with
    the newest paper. Papers' pages come last."""
    latest = site.papers[0].date.iso if site.papers else ""
    entries = [(path, latest) for path in page_paths]
    entries += [(paths.paper_path(p), p.date.iso) for p in site.papers]
    return entries


def _author_feed(site: Site, slug: str, prints: SiteFingerprints) -> Output:
    author = site.author(slug)
    assert author is not None
    feed = paths.feed_path(slug)
    home = paths.author_path(site, slug)
    papers = prints.papers_of(slug)[:FEED_SIZE]
    key = prints.tokens.page(feed, (prints.shared, author.name, prints.tokens.papers(papers)))
    return Output(feed, key, lambda: feeds.atom_feed(site, papers, feed, home, author.name))


# ---------------------------------------------------------------------------
# Downloads
# ---------------------------------------------------------------------------


def paper_downloads(paper: Paper, prints: SiteFingerprints, files: ExportCache) -> list[Output]:
    """A paper's own BibTeX and CSL-JSON files (made from the paper alone)."""
    token = prints.tokens.paper(paper)
    out = []
    for ext in site_files.export_formats((paper,)):
        rel = paths.paper_export_path(paper, ext)
        key = prints.tokens.page(rel, (prints.shared, "export", token))
        out.append(Output(rel, key, _maker(files, rel, (paper,))))
    return out


def list_downloads(site: Site, prints: SiteFingerprints, files: ExportCache) -> list[Output]:
    """Every person's papers and all papers of the site as files: deferred, they can be big."""
    lists: list[tuple[Sequence[Paper], Callable[[str], str]]] = [
        (prints.papers_of(a.slug), partial(paths.person_export_path, a.slug)) for a in site.authors
    ]
    lists.append((site.papers, paths.site_export_path))
    out = []
    for papers, path_of in lists:
        for ext in site_files.export_formats(papers):
            rel = path_of(ext)
            inputs = partial(_export_inputs, prints, papers)
            key = partial(_lazy_key, prints, rel, inputs)
            out.append(Output(rel, key, _maker(files, rel, papers), deferred=True))
    return out


def _export_inputs(prints: SiteFingerprints, papers: Sequence[Paper]) -> tuple[object, ...]:
    return (prints.shared, "export", prints.tokens.papers(papers))


def _lazy_key(prints: SiteFingerprints, rel: str, inputs: Callable[[], tuple[object, ...]]) -> str:
    return prints.tokens.page(rel, inputs())


def _maker(files: ExportCache, rel: str, papers: Sequence[Paper]) -> Callable[[], bytes]:
    return lambda: files.export_bytes(rel, papers)


class ExportCache:
    """Download files joined from per-paper pieces kept between builds.

    A CSL-JSON list is the JSON of its items, indented; each item's JSON is kept,
    so a list of 10,000 papers is joined in milliseconds instead of encoded in
    seconds. The joined text is checked once against ``exports.csl_json`` (on
    two papers): if that function ever writes differently, it is used instead.
    """

    def __init__(self) -> None:
        self._items: dict[int, tuple[Paper, str]] = {}
        self._joins: bool | None = None

    def __getstate__(self) -> object:
        """The items, without ids: encoding 10,000 again takes a second, storing them
        (plain strings) some milliseconds."""
        return list(self._items.values())

    def __setstate__(self, state: list[tuple[Paper, str]]) -> None:
        """Identities change in a new process: key the items afresh."""
        self._items = {id(paper): (paper, text) for paper, text in state}
        self._joins = None

    def export_bytes(self, rel: str, papers: Sequence[Paper]) -> bytes:
        if rel.endswith(f".{site_files.CSL_JSON}") and self._can_join(papers):
            return self.csl_json(papers).encode("utf-8")
        return site_files.export_bytes(rel, papers)

    def csl_json(self, papers: Sequence[Paper]) -> str:
        """``exports.csl_json(papers)``, joined from kept items."""
        if not papers:
            return exports.csl_json(papers)
        return "[\n" + ",\n".join(self._item(p) for p in papers) + "\n]\n"

    def only(self, papers: Sequence[Paper]) -> ExportCache:
        """A copy that keeps the items of ``papers`` only (to be stored)."""
        copy = ExportCache()
        copy._items = self._items
        copy.forget_all_but(papers)
        return copy

    def forget_all_but(self, papers: Sequence[Paper]) -> None:
        live = {id(p) for p in papers}
        self._items = {k: v for k, v in self._items.items() if k in live}

    def _item(self, paper: Paper) -> str:
        known = self._items.get(id(paper))
        if known is not None and known[0] is paper:
            return known[1]
        text = "  " + json.dumps(exports.csl_item(paper), ensure_ascii=False, indent=2).replace("\n", "\n  ")
        self._items[id(paper)] = (paper, text)
        return text

    def _can_join(self, papers: Sequence[Paper]) -> bool:
        if len(papers) < 2:
            return False
        if self._joins is None:
            sample = papers[:2]
            self._joins = self.csl_json(sample) == exports.csl_json(sample)
        return self._joins


# ---------------------------------------------------------------------------
# Search index
# ---------------------------------------------------------------------------


def search_outputs(site: Site, prints: SiteFingerprints, index: SearchCache) -> list[Output]:
    """The files of the search index (:mod:`generator.search`), deferred like downloads.
    The meta file changes with the number of documents, a docs file with its documents;
    the terms files share one fingerprint: when it changes they are all made again
    from the kept documents and only those whose bytes differ are written."""
    if not site.config.search:
        return []
    people = tuple(search.person_doc(site, a) for a in site.authors)
    count = len(people) + len(site.papers)
    version = (prints.shared, "search", search.VERSION)
    meta = search.meta_path()
    outputs = [Output(meta, prints.tokens.page(meta, (*version, count)), lambda: search.meta_bytes(count))]
    size, first_paper = search.DOC_CHUNK, len(people)  # documents: people, then papers
    for number in range(search.doc_chunks(count)):
        start, end = number * size, (number + 1) * size
        papers = site.papers[max(0, start - first_paper) : max(0, end - first_paper)]
        inputs = partial(_search_inputs, version, people[start:end], papers, prints)
        outputs.append(_search_output(search.docs_path(number), inputs, site, people, prints, index))
    inputs = partial(_search_inputs, version, people, site.papers, prints)
    outputs += [_search_output(rel, inputs, site, people, prints, index) for rel in search.terms_paths(count)]
    return outputs


def _search_output(
    rel: str,
    inputs: Callable[[], tuple[object, ...]],
    site: Site,
    people: tuple[search.SearchDoc, ...],
    prints: SiteFingerprints,
    index: SearchCache,
) -> Output:
    key = partial(_lazy_key, prints, rel, inputs)
    return Output(rel, key, partial(index.file, site, people, prints.tokens, rel), deferred=True)


def _search_inputs(
    version: tuple[object, ...],
    people: Sequence[search.SearchDoc],
    papers: Sequence[Paper],
    prints: SiteFingerprints,
) -> tuple[object, ...]:
    return (*version, tuple(people), prints.tokens.papers(papers))


class SearchCache:
    """Each paper's search document by the paper's content token, kept between builds
    (and in the cache folder), and the index of the last site, made once for all its files."""

    def __init__(self) -> None:
        self._docs: dict[str, search.SearchDoc] = {}
        self._site: Site | None = None
        self._index: search.Index | None = None  # that of _site

    def __getstate__(self) -> object:
        return self._docs

    def __setstate__(self, state: dict[str, search.SearchDoc]) -> None:
        self._docs, self._site, self._index = state, None, None

    def file(self, site: Site, people: Sequence[search.SearchDoc], tokens: Tokens, rel: str) -> bytes:
        if self._site is not site or self._index is None:
            docs = [*people, *self._docs_of(site.papers, tokens)]
            index = search.update_index(self._index, docs) if self._index is not None else None
            self._site, self._index = site, index or search.build_index(docs)
        return self._index.files[rel]

    def _docs_of(self, papers: Sequence[Paper], tokens: Tokens) -> list[search.SearchDoc]:
        """The papers' documents, made for new content only; the others are forgotten."""
        kept: dict[str, search.SearchDoc] = {}
        out = []
        for paper in papers:
            token = tokens.paper(paper)
            doc = kept.get(token) or self._docs.get(token)
            if doc is None:
                doc = search.paper_doc(paper)
            kept[token] = doc
            out.append(doc)
        self._docs = kept
        return out
