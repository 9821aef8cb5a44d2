"""Citation counts kept beside the BibTeX: every ``*.yaml`` file in ``content/papers/``.

A script that fetches counts from Google Scholar or Semantic Scholar writes them
into such a file (``citations.yaml`` by convention) rather than into the
researcher's own ``.bib`` files, so its counts are the fresher ones: they win
over a ``citations`` field of the entry. A file maps BibTeX keys (matched
ignoring case, as BibTeX does) to a count, or to ``citations`` and
``citations_by_year``::

    lovelace2023graphs:
      citations: 120
      citations_by_year: {2022: 10, 2023: 40}
    turing1950: 35

Reading a file (:func:`read_citations`) needs that file only, so it is cached
like any other; matching its keys to papers (:func:`apply_citations`) needs the
papers of every ``.bib`` file. Bad values are reported and left out, never raised.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from generator.diagnostics import Diagnostic, SourceLocation, error, warning
from generator.model import Paper
from generator.sources.files import SourceFile
from generator.sources.schema import describe, did_you_mean
from generator.sources.yaml_source import KeyPath, YamlDoc, load_yaml

ByYear = tuple[tuple[int, int], ...]
FIELDS = ("citations", "citations_by_year")
_YEAR = re.compile(r"[1-9][0-9]{3}")


@dataclass(frozen=True, slots=True)
class CitationCounts:
    """What a citations file says about one BibTeX key."""

    key: str  # as written in the file
    source: SourceLocation
    citations: int | None = None
    by_year: ByYear = ()  # (year, citations received that year), oldest first

    @property
    def values(self) -> tuple[int | None, ByYear]:
        """What the counts change in a paper: the same wherever in the file they are written."""
        return self.citations, self.by_year


@dataclass(frozen=True, slots=True)
class CitationsFile:
    """One citations file, read and checked, not yet matched to papers."""

    display: str
    counts: tuple[CitationCounts, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()


def read_citations(file: SourceFile) -> CitationsFile:
    doc = load_yaml(file)
    if any(d.level == "error" for d in doc.diagnostics):
        return CitationsFile(file.display, (), doc.diagnostics)
    counts, diags = citations_from_yaml(doc)
    return CitationsFile(file.display, counts, (*doc.diagnostics, *diags))


def citations_from_yaml(doc: YamlDoc) -> tuple[tuple[CitationCounts, ...], list[Diagnostic]]:
    """Every key's counts; an empty value (``key:``) means nothing is known."""
    if doc.data is None:
        return (), []
    if not isinstance(doc.data, dict):
        return (), [
            error(
                f"a citations file must map BibTeX keys to counts, not {describe(doc.data, numbers=True)}",
                doc.loc(),
                "write `key: 120` lines, or `key:` with `citations:` and `citations_by_year:` under it",
            )
        ]
    out: list[CitationCounts] = []
    diags: list[Diagnostic] = []
    for key, value in doc.data.items():
        counts, counts_diags = _counts(doc, key, value)
        diags += counts_diags
        if counts is not None:
            out.append(counts)
    return tuple(out), diags


def _counts(doc: YamlDoc, key: str, value: Any) -> tuple[CitationCounts | None, list[Diagnostic]]:
    if value is None:
        return None, []
    if not isinstance(value, dict):
        citations, diags = _count(
            doc,
            value,
            (key,),
            f"the citations of '{key}'",
            f"`{key}: 120`, or `citations:` and `citations_by_year:` under `{key}:`",
        )
        return CitationCounts(key, doc.loc(key), citations), diags
    diags = [
        warning(f"unknown key '{name}'", doc.loc(key, name), did_you_mean(name, list(FIELDS)))
        for name in value
        if name not in FIELDS
    ]
    citations, count_diags = _count(
        doc, value.get("citations"), (key, "citations"), f"'citations' of '{key}'", "`citations: 120`"
    )
    raw = value.get("citations_by_year")
    if raw is not None and not isinstance(raw, dict):
        shown = describe(raw, numbers=True)
        count_diags.append(
            error(
                f"'citations_by_year' of '{key}' must be a mapping of years to counts, not {shown}",
                doc.loc(key, "citations_by_year"),
                "for example: `citations_by_year: {2022: 10, 2023: 40}`",
            )
        )
    by_year, year_diags = read_by_year(doc, raw, (key, "citations_by_year"), f" of '{key}'")
    return CitationCounts(key, doc.loc(key), citations, by_year), diags + count_diags + year_diags


def read_by_year(doc: YamlDoc, value: Any, path: KeyPath, of: str = "") -> tuple[ByYear, list[Diagnostic]]:
    """A ``citations_by_year`` mapping (year: count) as pairs, oldest first.

    Shared by citations files and author profiles. Keys that are not years and
    counts that are not whole numbers of 0 or more are reported and left out;
    a value that is not a mapping gives nothing (its reader reports it).
    """
    if not isinstance(value, dict):
        return (), []
    pairs: list[tuple[int, int]] = []
    diags: list[Diagnostic] = []
    for year, raw in value.items():
        if not _YEAR.fullmatch(year):
            diags.append(
                error(
                    f"'{year}' in citations_by_year{of} is not a year",
                    doc.loc(*path, year),
                    "write four-digit years, e.g. `2023: 40`",
                )
            )
            continue
        count, count_diags = _count(
            doc, raw, (*path, year), f"the count for {year} in citations_by_year{of}", f"`{year}: 40`"
        )
        diags += count_diags
        if count is not None:
            pairs.append((int(year), count))
    return tuple(sorted(pairs)), diags


def _count(
    doc: YamlDoc, value: Any, path: KeyPath, subject: str, example: str
) -> tuple[int | None, list[Diagnostic]]:
    """A count: a whole number of 0 or more; None (reported) otherwise, None when empty."""
    if value is None:
        return None, []
    if isinstance(value, int) and not isinstance(value, bool):
        if value >= 0:
            return value, []
        return None, [
            error(f"{subject} must be 0 or more, not {value}", doc.loc(*path), "a count cannot be negative")
        ]
    return None, [
        error(
            f"{subject} must be a whole number, not {describe(value, numbers=True)}",
            doc.loc(*path),
            f"for example: {example}",
        )
    ]


# --------------------------------------------------------------------------- matching


def index_citations(files: Iterable[CitationsFile]) -> tuple[dict[str, CitationCounts], list[Diagnostic]]:
    """Counts by lower-case key; a key given again (in any file, in any case) keeps its first counts."""
    index: dict[str, CitationCounts] = {}
    diags: list[Diagnostic] = []
    for file in files:
        for counts in file.counts:
            first = index.setdefault(counts.key.lower(), counts)
            if first is not counts:
                diags.append(
                    warning(
                        f"citations of '{counts.key}' are given twice (first at {first.source}); "
                        "the first are used",
                        counts.source,
                        "remove one of them",
                    )
                )
    return index, diags


def unknown_keys(index: Mapping[str, CitationCounts], papers: Sequence[Paper]) -> list[Diagnostic]:
    """Counts for keys that no paper has: a typo, or an entry since removed."""
    keys = {p.key.lower(): p.key for p in papers}
    diags = []
    for lower, counts in index.items():
        if lower in keys:
            continue
        close = difflib.get_close_matches(lower, list(keys), n=1, cutoff=0.6)
        diags.append(
            warning(
                f"no BibTeX entry has the key '{counts.key}'; its citations are not used",
                counts.source,
                f"did you mean '{keys[close[0]]}'?" if close else "check the key against your .bib files",
            )
        )
    return diags


def with_counts(paper: Paper, counts: CitationCounts | None) -> Paper:
    """``paper`` with the file's counts: they win over the entry's ``citations`` field;
    with only yearly counts, the paper's count is their sum."""
    if counts is None:
        return paper
    citations = counts.citations
    if citations is None:
        citations = sum(c for _, c in counts.by_year) if counts.by_year else paper.citations
    by_year = counts.by_year or paper.citations_by_year
    if citations == paper.citations and by_year == paper.citations_by_year:
        return paper
    return dataclasses.replace(paper, citations=citations, citations_by_year=by_year)


def apply_citations(
    papers: Sequence[Paper], files: Sequence[CitationsFile]
) -> tuple[tuple[Paper, ...], list[Diagnostic]]:
    """The papers with the counts of the citations files (in the order of their paths)."""
    index, diags = index_citations(files)
    if not index:
        return tuple(papers), diags
    diags += unknown_keys(index, papers)
    return tuple(with_counts(p, index.get(p.key.lower())) for p in papers), diags
