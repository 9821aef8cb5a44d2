"""Reading a content folder into a :class:`LoadedSite`, remembering what it read.

One :class:`ContentLoader` serves one build (``load_site``) or a whole preview
session: it re-reads a file only when its size, mtime or inode changed, keeps
each file's parse result, and hands BibTeX files to the chunked reader and the
paper cache, so an edit costs in proportion to what it changed. The result is
always what reading every file afresh would give.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from generator import paths
from generator.config import SiteConfig, load_config
from generator.diagnostics import Diagnostic, SourceLocation, warning
from generator.incremental.assembler import SiteAssembler
from generator.incremental.bibchunks import ChunkedBibReader
from generator.incremental.papers import CitationsCache, PaperCache
from generator.model import Author, Page, Site
from generator.slugs import slugify
from generator.sources.authors import read_author
from generator.sources.citations import CitationsFile, read_citations
from generator.sources.files import SourceFile
from generator.sources.pages import read_page
from generator.sources.yaml_source import load_yaml
from generator.stamps import RACY_NS, Stamp, display_path, stamp

__all__ = ["RACY_NS", "ContentLoader", "LoadedSite", "Stamp", "display_path", "list_files", "stamp"]

T = TypeVar("T")


@dataclass(slots=True)
class LoadedSite:
    site: Site
    diagnostics: list[Diagnostic]
    static_files: dict[str, Path]  # site-relative output path -> source file


def list_files(folder: Path, patterns: tuple[str, ...]) -> list[Path]:
    """Files of ``folder`` matching ``patterns``, sorted, hidden files and folders left out."""
    if not folder.is_dir():
        return []
    found = {p for pattern in patterns for p in folder.rglob(pattern) if p.is_file()}
    return sorted(p for p in found if not any(part.startswith(".") for part in p.relative_to(folder).parts))


@dataclass(frozen=True, slots=True)
class _Memo:
    stamp: Stamp
    read_at: int  # time.time_ns() when the file was read
    data: bytes
    result: object

    def racy(self) -> bool:
        """Changed so shortly before it was read that another change could share its stamp."""
        return self.stamp[0] + RACY_NS > self.read_at


class ContentLoader:
    """Reads content folders; keeps what it read for the next call."""

    def __init__(self) -> None:
        self._memo: dict[tuple[str, Path], _Memo] = {}
        self.reads = 0  # files read by the last load (0: nothing changed)
        self._bib = ChunkedBibReader()
        self._papers = PaperCache()
        self._citations = CitationsCache()
        self._assembler = SiteAssembler()

    def load(self, content_dir: Path, theme: str | None = None, base_url: str | None = None) -> LoadedSite:
        """Read and assemble ``content_dir``; never raises for bad content."""
        self.reads = 0
        diags: list[Diagnostic] = []
        config, config_loc = self._config(content_dir, diags)
        if theme:
            config = dataclasses.replace(config, theme=theme)
        if base_url:
            config = dataclasses.replace(config, base_url=base_url.rstrip("/") + "/")
        authors = self._authors(content_dir / "authors", diags)
        bib_files = list_files(content_dir / "papers", ("*.bib", "*.bibtex"))
        parsed = [self._cached("bib", path, self._bib.parse_bytes) for path in bib_files]
        self._bib.forget_others({display_path(p) for p in bib_files})
        bib = self._papers.build(parsed)
        diags += bib.diagnostics  # includes each file's own parse problems
        papers, citation_diags = self._citations.apply(
            bib.papers, self._citation_files(content_dir / "papers", diags)
        )
        diags += citation_diags
        pages = self._pages(content_dir / "pages", diags)
        static_dir = content_dir / "static"
        static = {
            paths.static_path(p.relative_to(static_dir).as_posix()): p for p in list_files(static_dir, ("*",))
        }
        site, site_diags = self._assembler.assemble(config, config_loc, authors, papers, pages, static)
        self._forget_gone()
        return LoadedSite(site, diags + site_diags, static)

    def _cached(self, kind: str, path: Path, parse: Callable[[str, bytes, Path], T]) -> T:
        """``parse(display, data, path)`` of the file at ``path``, from memory when the
        file is unchanged (same stamp, or same bytes)."""
        now = stamp(path)
        known = self._memo.get((kind, path))
        if known is not None and now is not None and known.stamp == now and not known.racy():
            return known.result  # type: ignore[return-value]
        read_at = time.time_ns()
        data = path.read_bytes()
        self.reads += 1
        unchanged = known is not None and known.data == data
        result = known.result if unchanged and known is not None else parse(display_path(path), data, path)
        if now is not None:
            self._memo[(kind, path)] = _Memo(now, read_at, data, result)
        return result  # type: ignore[return-value]

    def _forget_gone(self) -> None:
        for key in [k for k in self._memo if stamp(k[1]) is None]:
            del self._memo[key]

    def _config(self, content_dir: Path, diags: list[Diagnostic]) -> tuple[SiteConfig, SourceLocation]:
        path = content_dir / "site.yaml"
        if not path.is_file():
            alt = content_dir / "site.yml"
            path = alt if alt.is_file() else path
        loc = SourceLocation(display_path(path), 1)
        if not path.is_file():
            diags.append(
                warning(
                    "no site.yaml; using default settings",
                    loc,
                    "create it with `scholarpages new` or by hand",
                )
            )
            return SiteConfig(), loc
        config, config_loc, config_diags = self._cached(
            "config", path, _source(lambda f: _read_config(f, loc))
        )
        diags += config_diags
        return config, config_loc

    def _authors(self, folder: Path, diags: list[Diagnostic]) -> list[Author]:
        authors = []
        for path in list_files(folder, ("*.yaml", "*.yml")):
            author, author_diags = self._cached("author", path, _source(_read_author))
            diags += author_diags
            if author:
                authors.append(author)
        return authors

    def _citation_files(self, folder: Path, diags: list[Diagnostic]) -> list[CitationsFile]:
        """The citations files beside the BibTeX, in the order of their paths (the first
        to give a key wins)."""
        files = []
        for path in list_files(folder, ("*.yaml", "*.yml")):
            file = self._cached("citations", path, _source(read_citations))
            diags += file.diagnostics
            files.append(file)
        return files

    def _pages(self, folder: Path, diags: list[Diagnostic]) -> list[Page]:
        pages = []
        for path in list_files(folder, ("*.md", "*.markdown")):
            page, page_diags = self._cached("page", path, _source(read_page))
            diags += page_diags
            if page:
                pages.append(page)
        return pages


def _source(parse: Callable[[SourceFile], T]) -> Callable[[str, bytes, Path], T]:
    """``parse`` for the loader's memory: small files are read as SourceFiles."""
    return lambda display, data, path: parse(SourceFile.from_bytes(display, data, path))


def _read_config(
    file: SourceFile, loc: SourceLocation
) -> tuple[SiteConfig, SourceLocation, list[Diagnostic]]:
    doc = load_yaml(file)
    config, config_diags = load_config(doc)
    where = doc.loc("author") if "author" in (doc.data or {}) else loc
    return config, where, [*doc.diagnostics, *config_diags]


def _read_author(file: SourceFile) -> tuple[Author | None, list[Diagnostic]]:
    doc = load_yaml(file)
    if any(d.level == "error" for d in doc.diagnostics):
        return None, list(doc.diagnostics)
    author, author_diags = read_author(doc, slugify(file.path.stem, "author"))
    return author, [*doc.diagnostics, *author_diags]
