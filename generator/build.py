"""Orchestration: discover -> read -> assemble -> plan -> render -> write."""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass, field
from pathlib import Path

from generator import feeds, paths, render, views
from generator.assemble import assemble
from generator.config import SiteConfig, load_config
from generator.diagnostics import Diagnostic, SourceLocation, error, warning
from generator.model import Author, Page, Site
from generator.routes import plan
from generator.slugs import slugify
from generator.sources.authors import read_author
from generator.sources.bibtex import papers_from_bib, parse_bib_file
from generator.sources.files import SourceFile
from generator.sources.pages import read_page
from generator.sources.yaml_source import load_yaml
from generator.write import UnsafeOutput, WriteResult, check_output_dir, write_site


@dataclass(frozen=True, slots=True)
class BuildOptions:
    content_dir: Path = Path("content")
    output_dir: Path = Path("output")
    theme: str | None = None  # overrides site.yaml's theme
    base_url: str | None = None  # overrides site.yaml's base_url


@dataclass(slots=True)
class LoadedSite:
    site: Site
    diagnostics: list[Diagnostic]
    static_files: dict[str, Path]  # site-relative output path -> source file


@dataclass(slots=True)
class BuildResult:
    site: Site | None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    pages: int = 0
    write: WriteResult = field(default_factory=WriteResult)
    seconds: float = 0.0


def display_path(path: Path) -> str:
    """Paths in messages are relative to the working folder when they can be."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _files(folder: Path, patterns: tuple[str, ...]) -> list[Path]:
    if not folder.is_dir():
        return []
    found = {p for pattern in patterns for p in folder.rglob(pattern) if p.is_file()}
    return sorted(p for p in found if not any(part.startswith(".") for part in p.relative_to(folder).parts))


def _source(path: Path) -> SourceFile:
    return SourceFile.read(path, display_path(path))


def load_site(content_dir: Path, overrides: BuildOptions | None = None) -> LoadedSite:
    """Read and assemble a content folder; never raises for bad content."""
    diags: list[Diagnostic] = []
    config, config_loc = _load_config(content_dir, diags)
    if overrides and overrides.theme:
        config = dataclasses.replace(config, theme=overrides.theme)
    if overrides and overrides.base_url:
        config = dataclasses.replace(config, base_url=overrides.base_url.rstrip("/") + "/")
    authors = _load_authors(content_dir / "authors", diags)
    parsed = []
    for path in _files(content_dir / "papers", ("*.bib", "*.bibtex")):
        parsed.append(parse_bib_file(_source(path)))
    bib = papers_from_bib(parsed)
    diags += bib.diagnostics  # includes each file's own parse problems
    pages = _load_pages(content_dir / "pages", diags)
    static_dir = content_dir / "static"
    static = {
        paths.static_path(str(p.relative_to(static_dir).as_posix())): p for p in _files(static_dir, ("*",))
    }
    site, site_diags = assemble(config, config_loc, authors, bib.papers, pages, static)
    return LoadedSite(site, diags + site_diags, static)


def _load_config(content_dir: Path, diags: list[Diagnostic]) -> tuple[SiteConfig, SourceLocation]:
    path = content_dir / "site.yaml"
    if not path.is_file():
        alt = content_dir / "site.yml"
        path = alt if alt.is_file() else path
    loc = SourceLocation(display_path(path), 1)
    if not path.is_file():
        diags.append(
            warning(
                "no site.yaml; using default settings", loc, "create it with `scholarpages new` or by hand"
            )
        )
        return SiteConfig(), loc
    doc = load_yaml(_source(path))
    diags += doc.diagnostics
    config, config_diags = load_config(doc)
    diags += config_diags
    return config, doc.loc("author") if "author" in (doc.data or {}) else loc


def _load_authors(folder: Path, diags: list[Diagnostic]) -> list[Author]:
    authors = []
    for path in _files(folder, ("*.yaml", "*.yml")):
        doc = load_yaml(_source(path))
        diags += doc.diagnostics
        if any(d.level == "error" for d in doc.diagnostics):
            continue
        author, author_diags = read_author(doc, slugify(path.stem, "author"))
        diags += author_diags
        if author:
            authors.append(author)
    return authors


def _load_pages(folder: Path, diags: list[Diagnostic]) -> list[Page]:
    pages = []
    for path in _files(folder, ("*.md", "*.markdown")):
        page, page_diags = read_page(_source(path))
        diags += page_diags
        if page:
            pages.append(page)
    return pages


def render_site(loaded: LoadedSite, site_root: Path) -> tuple[dict[str, bytes], list[Diagnostic]]:
    """Every output file of the site as bytes, keyed by its path inside output/."""
    site = loaded.site
    diags: list[Diagnostic] = []
    try:
        theme = render.load_theme(site.config.theme, site_root)
    except render.ThemeError as exc:
        diags.append(error(str(exc), hint="check `theme:` in site.yaml or the themes/ folder"))
        theme = render.load_theme("default", site_root)
    env = render.make_environment(theme)
    site_view = views.site_view(site)
    jobs, job_diags = plan(site)
    diags += job_diags
    files: dict[str, bytes] = {}
    for job in jobs:
        html = render.render_page(
            env, job.template, job.make_view(), site_view, job.path, site.config.base_url
        )
        files[job.out_path] = html.encode("utf-8")
    for rel, src in render.theme_assets(theme).items():
        files[paths.asset_path(rel)] = src.read_bytes()
    for rel, src in loaded.static_files.items():
        files[rel] = src.read_bytes()
    files.update(host_files(site, [job.path for job in jobs if job.path != "404.html"]))
    return files, diags


def host_files(site: Site, page_paths: list[str]) -> dict[str, bytes]:
    """What static hosts and crawlers expect beside the pages: feeds, sitemap, robots, CNAME."""
    files: dict[str, bytes] = {".nojekyll": b"", "robots.txt": feeds.robots(site)}
    owner = site.owner
    home_title = owner.name if owner else site.config.title
    files[paths.feed_path()] = feeds.atom_feed(site, site.papers, paths.feed_path(), "", home_title)
    for author in site.authors:
        if owner is None or author.slug != owner.slug:
            feed = paths.feed_path(author.slug)
            home = paths.author_path(site, author.slug)
            files[feed] = feeds.atom_feed(site, site.papers_of(author.slug), feed, home, author.name)
    if feeds.has_host(site.config.base_url):
        # a paper page changes with its paper; other pages with the newest paper
        newest = site.papers[0].date.iso if site.papers else ""
        paper_dates = {paths.paper_path(p): p.date.iso for p in site.papers}
        files["sitemap.xml"] = feeds.sitemap(site, [(p, paper_dates.get(p, newest)) for p in page_paths])
    if site.config.domain:
        files["CNAME"] = site.config.domain.strip().encode("utf-8") + b"\n"
    return files


def build(options: BuildOptions) -> BuildResult:
    start = time.perf_counter()
    content = options.content_dir
    site_root = content.resolve().parent
    try:
        check_output_dir(options.output_dir, [content, site_root / "themes", site_root / "templates"])
    except UnsafeOutput as exc:
        return BuildResult(None, [error(str(exc))])
    loaded = load_site(content, options)
    files, render_diags = render_site(loaded, site_root)
    diags = loaded.diagnostics + render_diags
    try:
        written = write_site(options.output_dir, files)
    except (UnsafeOutput, OSError) as exc:
        return BuildResult(loaded.site, [*diags, error(str(exc))])
    pages = sum(1 for rel in files if rel.endswith(".html"))
    return BuildResult(loaded.site, diags, pages, written, time.perf_counter() - start)
