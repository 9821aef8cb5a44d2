"""Files of the site that are not pages: BibTeX and CSL-JSON exports for reference managers.

Readers import a paper, a person's papers or the whole site into Zotero,
Mendeley or pandoc from these files. Everything here is a pure function of
the :class:`Site`; the build writes the bytes, the views link to the paths.
:func:`export_formats` is the one rule both follow, so a download link never
points at a file that is not written.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial

from generator import exports, paths
from generator.model import Paper, Site

BIBTEX = "bib"  # file extensions, which also name the formats
CSL_JSON = "json"


def export_formats(papers: Sequence[Paper]) -> tuple[str, ...]:
    """The exports a list of papers has: BibTeX needs an entry to write, CSL-JSON any paper."""
    formats = (BIBTEX,) if any(p.bibtex for p in papers) else ()
    return (*formats, CSL_JSON) if papers else ()


def _exports_of(papers: tuple[Paper, ...], path_of: Callable[[str], str]) -> dict[str, tuple[Paper, ...]]:
    return {path_of(ext): papers for ext in export_formats(papers)}


def export_sources(site: Site) -> dict[str, tuple[Paper, ...]]:
    """Output-relative path -> the papers its file holds (newest first), without making bytes.

    Lets a build fingerprint each file by its papers and make only the ones that changed.
    """
    out: dict[str, tuple[Paper, ...]] = {}
    for paper in site.papers:
        out |= _exports_of((paper,), partial(paths.paper_export_path, paper))
    for author in site.authors:
        out |= _exports_of(site.papers_of(author.slug), partial(paths.person_export_path, author.slug))
    out |= _exports_of(site.papers, paths.site_export_path)
    return out


def export_bytes(path: str, papers: Sequence[Paper]) -> bytes:
    """The file at ``path`` (its extension names the format), UTF-8 encoded."""
    text = exports.bibtex_file(papers) if path.endswith(f".{BIBTEX}") else exports.csl_json(papers)
    return text.encode("utf-8")


def export_files(site: Site) -> dict[str, bytes]:
    """Every export of the site, keyed by output-relative path: per paper
    (``papers/<slug>/<slug>.bib|json``), per person (``people/<slug>/papers.bib|json``)
    and for the whole site (``papers.bib|json``)."""
    return {path: export_bytes(path, papers) for path, papers in export_sources(site).items()}
