"""The incremental build: load what changed, render what changed, write what changed.

An :class:`Engine` lives as long as a preview session (or one ``build``
command, its state restored from the cache folder). Each run:

1. loads the content through a :class:`~generator.loader.ContentLoader`
   (unchanged files are not read again; BibTeX entry by entry);
2. lists every output file with a fingerprint of its inputs
   (:mod:`.deps`): pages, theme assets, static files, feeds, sitemap ...;
3. renders or reads only the outputs whose fingerprint differs from the one
   last written, and writes those whose bytes differ; outputs that are no
   longer produced are removed.

:meth:`Engine.prepare` does 1-2 and the rendering without touching the
output folder; :meth:`Engine.commit` writes. The preview server commits only
builds without errors, so the last good site stays online while a file is
broken. Fingerprints of what is on disk change only on commit.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial
from itertools import chain
from pathlib import Path
from typing import Any

import jinja2

from generator import paths, render, views
from generator.diagnostics import Diagnostic, error
from generator.gcpause import gc_paused
from generator.incremental.deps import SiteFingerprints, Tokens, digest
from generator.incremental.outputs import (
    ExportCache,
    Output,
    SearchCache,
    host_outputs,
    list_downloads,
    paper_downloads,
    search_outputs,
)
from generator.incremental.templates import TemplateSet, signature
from generator.loader import RACY_NS, ContentLoader, LoadedSite, stamp
from generator.model import Site
from generator.paperindex import changed_stretch
from generator.routes import RenderJob, paper_job, plan
from generator.write import (
    UnsafeOutput,
    WriteResult,
    check_output_dir,
    read_manifest,
    write_changes,
    write_manifest,
)


@dataclass(frozen=True, slots=True)
class Settings:
    """What one engine builds: the same fields as ``build.BuildOptions``."""

    content_dir: Path
    output_dir: Path
    theme: str | None = None
    base_url: str | None = None


@dataclass(frozen=True, slots=True)
class Record:
    """An output file as last written: its fingerprint, hash, size and mtime."""

    key: str
    sha256: str
    size: int
    mtime_ns: int


@dataclass(slots=True)
class Prepared:
    """A build computed but not yet written."""

    site: Site | None
    diagnostics: list[Diagnostic]
    pages: int = 0  # HTML pages of the site
    rendered: int = 0  # pages rendered in this run
    changed: dict[str, bytes] = field(default_factory=dict)
    pending: bool = False  # deferred downloads are still to be made
    keys: dict[str, str] = field(default_factory=dict)  # fingerprint of every output
    started: float = 0.0
    complete: bool = True  # every output that was due was made
    # What the records held when this was prepared (the keys of the last build committed
    # whole), and what of it this build no longer makes; None: compare all at commit.
    base: dict[str, str] | None = None
    gone: set[str] = field(default_factory=set)


@dataclass(frozen=True, slots=True)
class _SiteOutputs:
    """The outputs listed for one site and theme: those of each paper, and the others."""

    site: Site
    theme: _Theme
    shared: str
    per_paper: list[tuple[Output, ...]]  # of each of site.papers, in order: its page first
    pages: list[Output]  # every other page
    rest: list[Output]  # feeds, sitemap, downloads of lists ...
    diagnostics: list[Diagnostic]


@dataclass(frozen=True, slots=True)
class _Listed:
    """The outputs of one run, and how the papers' ones changed since the last run's."""

    outputs: _SiteOutputs
    left: Sequence[Output]  # outputs of papers of the last run that are not kept
    fresh: Sequence[Output]  # outputs of papers made for this run
    incremental: bool  # False: every paper's outputs are new (``left`` says nothing)


@dataclass(slots=True)
class _Theme:
    """The theme as last loaded: its Jinja environment and template digests."""

    theme: render.Theme
    signature: tuple[tuple[str, str, str], ...]
    env: jinja2.Environment
    templates: TemplateSet


class Engine:
    """Builds one content folder into one output folder, again and again, cheaply."""

    def __init__(self, settings: Settings, records: dict[str, Record] | None = None) -> None:
        self.settings = settings
        self.site_root = settings.content_dir.resolve().parent
        self.records: dict[str, Record] = dict(records or {})
        self._disk: dict[str, str] | None = None  # the records' hashes
        self.loader = ContentLoader()
        self.tokens = Tokens()
        self._theme: _Theme | None = None
        # Paper cards and their HTML, kept while the settings, profiles and templates stay.
        self.cards: views.CardMemo = {}
        self.fragments: render.CardFragments = {}
        self.downloads = ExportCache()
        self.search_index = SearchCache()
        self._memo_key = ""
        self._site: Site | None = None  # the site being built, for outputs made late
        self._finished: Site | None = None  # the last site whose deferred outputs were made
        self._last: _SiteOutputs | None = None
        self._files: dict[Path, tuple[tuple[int, int, int], int, str]] = {}
        # The keys of the last prepared build, and of the last one committed whole: when
        # they are the same object, the records hold exactly those keys, and the outputs
        # of papers that did not change since need no look (see _prepare).
        self._last_keys: dict[str, str] | None = None
        self._synced: dict[str, str] | None = None
        self._loose_rels: list[str] = []  # the rels of the last build's outputs other than papers'

    def __getstate__(self) -> dict[str, object]:
        """What makes the next run fast, without what is cheap to make again or big:
        the Jinja environment, the pending outputs (closures), paper cards and their HTML.
        (The memos' key stays: empty memos are right for any key, and the downloads'
        items are kept while it holds.)"""
        state = dict(self.__dict__)
        state.update(
            _theme=None,
            _last=None,
            _site=None,
            _finished=None,
            _disk=None,
            _last_keys=None,
            _synced=None,
            _loose_rels=[],
            cards={},
            fragments={},
        )
        if self._site is not None:  # the items of papers since changed go
            state["downloads"] = self.downloads.only(self._site.papers)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)

    # ------------------------------------------------------------------ prepare

    def prepare(self, deferred: bool = True) -> Prepared:
        """Load, fingerprint and render what changed; the output folder is not touched.
        Without ``deferred``, downloads of whole lists keep their last version (the
        preview server makes them right after the pages)."""
        with gc_paused():
            return self._prepare(deferred)

    def _prepare(self, deferred: bool) -> Prepared:
        started = time.perf_counter()
        s = self.settings
        try:
            check_output_dir(
                s.output_dir, [s.content_dir, self.site_root / "themes", self.site_root / "templates"]
            )
        except UnsafeOutput as exc:
            return Prepared(None, [error(str(exc))], started=started)
        loaded = self.loader.load(s.content_dir, s.theme, s.base_url)
        diags = list(loaded.diagnostics)
        theme = self._load_theme(loaded.site, diags)
        listed = self._site_outputs(loaded.site, theme, diags)
        current = listed.outputs
        loose = [*current.pages, *current.rest, *self._files_outputs(loaded, theme)]
        prepared = Prepared(loaded.site, diags, started=started)
        prepared.pages = len(current.per_paper) + sum(out.page for out in loose)
        records = self.records
        synced = self._synced
        outputs: Iterable[Output]
        if listed.incremental and synced is not None and synced is self._last_keys:
            # The records hold the keys of the last build: the outputs of papers kept since
            # are as they were. Only the others, and those of papers new or changed, are
            # looked at (an edit of one paper of 10,000 looks at some 1,500 outputs, not 31,000).
            keys = dict(synced)
            dropped = [*self._loose_rels, *(out.rel for out in listed.left)]
            for rel in dropped:
                keys.pop(rel, None)
            outputs = chain(loose, listed.fresh)
        else:
            keys, dropped = {}, None
            outputs = chain(
                current.pages, chain.from_iterable(current.per_paper), loose[len(current.pages) :]
            )
        todo = []
        for out in outputs:  # a tight loop: a big site has tens of thousands of outputs
            rel = out.rel
            known = records.get(rel)
            if out.deferred and not deferred:  # kept as it is on disk, made with the downloads
                if known is not None:
                    keys[rel] = known.key
                prepared.pending = self._finished is not loaded.site
                continue
            key = out.key if type(out.key) is str else out.fingerprint()
            keys[rel] = key
            if known is None or known.key != key:
                todo.append((out, known))
        prepared.keys = self._last_keys = keys
        self._loose_rels = [out.rel for out in loose]
        if dropped is not None:
            prepared.base, prepared.gone = synced, set(dropped) - keys.keys()
        if deferred:
            self._finished = loaded.site
        for out, known in todo:
            data = self._make(out, diags)
            if data is None:  # keep what is on disk, if anything; make it next time
                prepared.complete = False
                if known is None:
                    del keys[out.rel]
                else:
                    keys[out.rel] = known.key
                continue
            prepared.changed[out.rel] = data
            prepared.rendered += out.page
        return prepared

    def _make(self, out: Output, diags: list[Diagnostic]) -> bytes | None:
        try:
            return out.make()
        except render.ThemeError as exc:
            diags.append(error(str(exc), hint="fix the template; the page keeps its last version"))
        except OSError as exc:
            diags.append(error(f"cannot read {exc.filename}: {exc.strerror}"))
        return None

    def _load_theme(self, site: Site, diags: list[Diagnostic]) -> _Theme:
        try:
            theme = render.load_theme(site.config.theme, self.site_root)
        except render.ThemeError as exc:
            diags.append(error(str(exc), hint="check `theme:` in site.yaml or the themes/ folder"))
            theme = render.load_theme("default", self.site_root)
        sig = signature(theme)
        known = self._theme
        if known is None or known.theme != theme or known.signature != sig:
            env = render.make_environment(theme)
            known = self._theme = _Theme(theme, sig, env, TemplateSet(theme, env))
        return known

    # ------------------------------------------------------------------ outputs

    def _site_outputs(self, site: Site, theme: _Theme, diags: list[Diagnostic]) -> _Listed:
        """Pages, feeds, sitemap and downloads with their fingerprints. The outputs of a
        paper that did not change are those of last time (nothing else shows on them):
        only the stretch of papers that differs from the last site's is looked at."""
        self._site = site
        known = self._last
        if known is not None and known.site is site and known.theme is theme:
            diags += known.diagnostics
            return _Listed(known, (), (), True)
        self._last = None  # its list of outputs is updated in place below: gone if this fails
        prints = SiteFingerprints(site, self.tokens)
        self._forget_cards(prints.shared, theme, site)
        jobs, job_diags = plan(site, self.cards, papers=False)
        diags += job_diags
        site_view = views.site_view(site)
        pages = [self._page(job, site_view, prints, theme) for job in jobs]
        reuse = known is not None and known.shared == prints.shared and known.theme is theme
        old_papers = known.site.papers if reuse and known is not None else ()
        old_outputs = known.per_paper if reuse and known is not None else []
        first, tail = changed_stretch(old_papers, site.papers)
        was = old_papers[first : len(old_papers) - tail], old_outputs[first : len(old_outputs) - tail]
        kept = {paper.key: (paper, outputs) for paper, outputs in zip(*was, strict=True)}
        made: list[tuple[Output, ...]] = []
        fresh: list[Output] = []
        for paper in site.papers[first : len(site.papers) - tail]:
            before = kept.pop(paper.key, None)
            if before is not None and before[0] is paper:
                made.append(before[1])
            else:
                job = paper_job(site, paper)
                outputs = (
                    self._page(job, site_view, prints, theme),
                    *paper_downloads(paper, prints, self.downloads),
                )
                made.append(outputs)
                fresh += outputs
        left = [out for _, outputs in kept.values() for out in outputs]
        per_paper = old_outputs  # (a new list of 10,000 would cost the garbage collector more)
        per_paper[first : len(per_paper) - tail] = made
        listed = [j.path for j in jobs if j.path not in (views.NOT_FOUND_PATH, paths.search_path())]
        rest = host_outputs(site, listed, prints)
        rest += list_downloads(site, prints, self.downloads)
        rest += search_outputs(site, prints, self.search_index)
        self._last = _SiteOutputs(site, theme, prints.shared, per_paper, pages, rest, job_diags)
        self.tokens.keep_only(site.papers)
        return _Listed(self._last, left, fresh, reuse)

    def _forget_cards(self, shared: str, theme: _Theme, site: Site) -> None:
        """Cards show the settings and who has a profile; their HTML the templates too.
        Cards of papers that changed are dropped once they pile up."""
        key = digest(shared, theme.signature)
        if key != self._memo_key:
            self.cards, self.fragments, self._memo_key = {}, {}, key
            self.downloads.forget_all_but(())
            return
        if len(self.cards) > 8 * len(site.papers) + 100 or len(self.fragments) > 2 * len(self.cards) + 100:
            live = {p.key: p for p in site.papers}
            self.cards = {k: v for k, v in self.cards.items() if live.get(k[0]) is v[0]}
            cards = {id(card) for _, card in self.cards.values()}
            self.fragments = {k: v for k, v in self.fragments.items() if k[0] in cards}
            self.downloads.forget_all_but(site.papers)

    def _files_outputs(self, loaded: LoadedSite, theme: _Theme) -> list[Output]:
        """Theme assets and static files, fingerprinted by content."""
        assets = render.theme_assets(theme.theme)
        outputs = [self._copy(paths.asset_path(name), src) for name, src in assets.items()]
        outputs += [self._copy(rel, src) for rel, src in loaded.static_files.items()]
        return outputs

    def _page(
        self, job: RenderJob, site_view: views.SiteView, prints: SiteFingerprints, theme: _Theme
    ) -> Output:
        """A page's output. A paper page's output is kept while its paper does not
        change, so it finds its paper in the site being built when it is rendered
        (it must not keep an old site alive); other outputs live for one site."""
        key = prints.page(job, theme.templates.digest(job.template))
        if job.template == "paper.html":
            return Output(job.out_path, key, partial(self._render_paper, job.source), page=True)
        return Output(job.out_path, key, partial(self._render, job, site_view), page=True)

    def _render_paper(self, key: str) -> bytes:
        site = self._site
        paper = site.paper(key) if site is not None else None
        assert site is not None and paper is not None
        return self._render(paper_job(site, paper), views.site_view(site))

    def _render(self, job: RenderJob, site_view: views.SiteView) -> bytes:
        site, theme = self._site, self._theme
        assert site is not None and theme is not None
        view = job.make_view()
        html = render.render_page(
            theme.env, job.template, view, site_view, job.path, site.config.base_url, self.fragments
        )
        return html.encode("utf-8")

    def _copy(self, rel: str, src: Path) -> Output:
        return Output(rel, "file:" + self._file_digest(src), src.read_bytes)

    def _file_digest(self, path: Path) -> str:
        """A static file's digest, read again only when its stamp changed (or is racy)."""
        now = stamp(path)
        known = self._files.get(path)
        if now is not None and known is not None and known[0] == now and now[0] + RACY_NS <= known[1]:
            return known[2]
        read_at = time.time_ns()
        try:
            value = hashlib.sha1(path.read_bytes()).hexdigest()
        except OSError:
            return "missing"
        if now is not None:
            self._files[path] = (now, read_at, value)
        return value

    # ------------------------------------------------------------------ commit

    def commit(self, prepared: Prepared, defer_manifest: bool = False) -> WriteResult:
        """Write what ``prepared`` changed, remove what it no longer makes, remember it.
        With ``defer_manifest``, call :meth:`flush` before leaving."""
        with gc_paused():
            return self._commit(prepared, defer_manifest)

    def _commit(self, prepared: Prepared, defer_manifest: bool) -> WriteResult:
        output = self.settings.output_dir
        previous = self._hashes()
        known = prepared.base is not None and prepared.base is self._synced  # the records are still those
        gone = prepared.gone if known else previous.keys() - prepared.keys.keys()
        self._synced = None
        try:
            result, hashes = write_changes(output, prepared.changed, previous, gone, defer_manifest)
        except (UnsafeOutput, OSError) as exc:
            self.records, self._disk = {}, None  # unknown state on disk: compare everything next time
            prepared.diagnostics.append(error(str(exc)))
            return WriteResult()
        for rel in gone:
            self.records.pop(rel, None)
        for rel in prepared.changed:
            st = os.stat(output / rel)
            self.records[rel] = Record(prepared.keys[rel], hashes[rel], st.st_size, st.st_mtime_ns)
        self._disk = hashes
        if prepared.complete and prepared.keys is self._last_keys:
            self._synced = prepared.keys  # the records now hold these keys, no more, no less
        return result

    @property
    def in_sync(self) -> bool:
        """The output folder holds exactly what the last prepared build makes, as the
        records say (it was committed whole, and nothing replaced the records since)."""
        return self._synced is not None and self._synced is self._last_keys

    def forget_hashes(self) -> None:
        """After ``records`` were replaced from outside."""
        self._disk = None
        self._synced = None

    def _hashes(self) -> dict[str, str]:
        """Path -> sha256 of every file written, as the manifest has it (kept between commits)."""
        if self._disk is None:
            self._disk = {rel: r.sha256 for rel, r in self.records.items()}
        return self._disk

    def flush(self) -> None:
        """Bring the output folder's manifest up to date (after deferred commits)."""
        hashes = {rel: r.sha256 for rel, r in self.records.items()}
        if self.settings.output_dir.is_dir() and read_manifest(self.settings.output_dir) != hashes:
            write_manifest(self.settings.output_dir, hashes)
