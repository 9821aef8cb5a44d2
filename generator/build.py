"""Orchestration: discover -> read -> assemble -> plan -> render -> write.

:func:`build` runs the stages through the incremental
:class:`~generator.incremental.engine.Engine`, starting from the state the last
build left in the cache folder (:mod:`generator.cache`): unchanged files are
not read again, pages whose inputs did not change are not rendered again, and
files whose bytes did not change are not written again. The result is the
same as a clean build.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from generator.cache import BuildCache, records_from_manifest
from generator.diagnostics import Diagnostic
from generator.incremental.engine import Engine, Settings
from generator.loader import ContentLoader, LoadedSite, display_path
from generator.model import Site
from generator.stamps import BuildStamp, UpToDate
from generator.write import WriteResult

__all__ = ["BuildOptions", "BuildResult", "LoadedSite", "build", "display_path", "load_site", "up_to_date"]


@dataclass(frozen=True, slots=True)
class BuildOptions:
    content_dir: Path = Path("content")
    output_dir: Path = Path("output")
    theme: str | None = None  # overrides site.yaml's theme
    base_url: str | None = None  # overrides site.yaml's base_url


@dataclass(slots=True)
class BuildResult:
    site: Site | None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    pages: int = 0  # HTML pages of the site
    write: WriteResult = field(default_factory=WriteResult)
    seconds: float = 0.0
    rendered: int = 0  # pages rendered by this build (the others were unchanged)


def load_site(content_dir: Path, overrides: BuildOptions | None = None) -> LoadedSite:
    """Read and assemble a content folder; never raises for bad content."""
    theme = overrides.theme if overrides else None
    base_url = overrides.base_url if overrides else None
    return ContentLoader().load(content_dir, theme, base_url)


def settings_of(options: BuildOptions) -> Settings:
    return Settings(options.content_dir, options.output_dir, options.theme, options.base_url)


def build(options: BuildOptions) -> BuildResult:
    """Build the site, reusing the cache folder's record of the last build; leave the
    stamp that lets the next ``scholarpages build`` see that nothing changed
    (:func:`up_to_date`)."""
    start = time.perf_counter()
    settings = settings_of(options)
    stamp = _stamp(options)
    inputs = stamp.inputs()
    cache = BuildCache(settings)
    engine = cache.load() or Engine(settings, records_from_manifest(options.output_dir))
    result = run(engine, start)
    w = result.write
    if result.site is not None and (engine.loader.reads or result.rendered or w.written or w.removed):
        cache.save(engine)  # else the cache is still that of this very state
    if result.site is not None and engine.in_sync:
        stamp.save(inputs, engine.records, result.pages, result.diagnostics)
    return result


def up_to_date(options: BuildOptions) -> UpToDate | None:
    """What the last build reported, when no input, option or output file changed since
    (:mod:`generator.stamps`): a build would write nothing and say the same."""
    return _stamp(options).check()


def _stamp(options: BuildOptions) -> BuildStamp:
    return BuildStamp(options.content_dir, options.output_dir, options.theme, options.base_url)


def run(engine: Engine, start: float | None = None) -> BuildResult:
    """One build by ``engine``: prepare, then write."""
    start = time.perf_counter() if start is None else start
    prepared = engine.prepare()
    if prepared.site is None:
        return BuildResult(None, prepared.diagnostics, seconds=time.perf_counter() - start)
    written = engine.commit(prepared)
    return BuildResult(
        prepared.site,
        prepared.diagnostics,
        prepared.pages,
        written,
        time.perf_counter() - start,
        prepared.rendered,
    )
