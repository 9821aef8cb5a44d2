"""Exports for reference managers: BibTeX files and CSL-JSON (Zotero, Mendeley, pandoc).

BibTeX comes from each paper's re-serialised entry (normalised by
bibtexparser, site-only fields removed), never from the raw source text.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from generator import latex
from generator.model import Paper, PersonName

# BibTeX/biblatex entry type -> CSL item type
CSL_TYPES = {
    "article": "article-journal",
    "inproceedings": "paper-conference",
    "conference": "paper-conference",
    "proceedings": "book",
    "book": "book",
    "inbook": "chapter",
    "incollection": "chapter",
    "phdthesis": "thesis",
    "mastersthesis": "thesis",
    "thesis": "thesis",
    "techreport": "report",
    "report": "report",
    "manual": "report",
    "online": "webpage",
    "software": "software",
    "dataset": "dataset",
    "patent": "patent",
    "unpublished": "manuscript",
}


def bibtex_file(papers: Sequence[Paper]) -> str:
    """All entries, one after the other, as a .bib file."""
    return "\n".join(p.bibtex.rstrip() + "\n" for p in papers if p.bibtex)


def csl_type(paper: Paper) -> str:
    if paper.arxiv_id and paper.venue_kind in ("preprint", ""):
        return "article"  # CSL's type for preprints, with genre "preprint"
    return CSL_TYPES.get(paper.entry_type, "article")


def csl_name(name: PersonName) -> dict[str, str]:
    if not name.given and not name.von and not name.jr:
        return {"literal": name.family}
    out = {"family": name.family, "given": name.given}
    if name.von:
        out["non-dropping-particle"] = name.von
    if name.jr:
        out["suffix"] = name.jr
    return {k: v for k, v in out.items() if v}


def csl_item(paper: Paper) -> dict[str, Any]:
    """One CSL-JSON item; only variables the paper has are present."""
    item: dict[str, Any] = {"id": paper.key, "type": csl_type(paper), "title": latex.to_plain(paper.title)}
    if paper.authors:
        item["author"] = [csl_name(ref.name) for ref in paper.authors]
    if paper.date.year is not None:
        parts = [x for x in (paper.date.year, paper.date.month, paper.date.day) if x is not None]
        item["issued"] = {"date-parts": [parts]}
    if paper.venue and paper.venue_kind != "preprint":
        item["container-title"] = latex.to_plain(paper.venue)
    if paper.abstract:
        item["abstract"] = latex.to_plain(paper.abstract)
    if paper.doi:
        item["DOI"] = paper.doi
    if paper.arxiv_id:
        item["number"] = f"arXiv:{paper.arxiv_id}"
        item["publisher"] = "arXiv"
        if item["type"] == "article":
            item["genre"] = "preprint"
    url = next((link.url for link in paper.links if link.kind in ("html", "arxiv", "doi", "pdf")), "")
    if url.startswith(("http://", "https://")):
        item["URL"] = url
    if paper.categories:
        item["keyword"] = ", ".join(paper.categories)
    return item


def csl_json(papers: Sequence[Paper]) -> str:
    return json.dumps([csl_item(p) for p in papers], ensure_ascii=False, indent=2) + "\n"


def citation_text(paper: Paper) -> str:
    """One formatted reference in APA style, as plain text.

    Wei, T., Zhao, L., & Zhang, L. et al. (2023). Skywork: A more open... arXiv. https://doi.org/...
    """
    names = [_apa_name(ref.name) for ref in paper.authors]
    if len(names) > 20:
        names = [*names[:19], "…", names[-1]]
    if paper.more_authors:
        people = ", ".join(names) + (", et al." if names else "")
    elif len(names) > 1:
        people = ", ".join(names[:-1]) + ", & " + names[-1]
    else:
        people = names[0] if names else ""
    year = str(paper.date.year) if paper.date.year else "n.d."
    title = latex.to_plain(paper.title).rstrip(".")
    parts = [f"{people} ({year}). {title}." if people else f"{title}. ({year})."]
    if paper.venue:
        parts.append(latex.to_plain(paper.venue) + ".")
    if paper.doi:
        parts.append(f"https://doi.org/{paper.doi}")
    elif paper.arxiv_id:
        parts.append(f"https://arxiv.org/abs/{paper.arxiv_id}")
    return " ".join(parts)


def _apa_name(name: PersonName) -> str:
    family = " ".join(p for p in (name.von, name.family) if p)
    if not name.given:
        return family
    initials = " ".join(
        f"{part[0]}." for part in name.given.replace("-", " -").split() if part and part[0] != "-"
    )
    return f"{family}, {initials}" + (f", {name.jr}" if name.jr else "")
