"""Papers from BibTeX records, rebuilt only for the entries that changed.

``papers_from_bib`` resolves macros, crossrefs and duplicate keys across all
files, then builds every paper. When no file defines ``@string`` macros, no
entry has a ``crossref`` and no key repeats, each paper depends on its own
entry alone: then only new entries are built (in one batch) and every other
paper, with its diagnostics, is taken from the previous build. Otherwise the
whole stage runs as usual.

The counts of the citations files are then applied (:class:`CitationsCache`),
again making anew only the papers whose entry or counts changed.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from itertools import chain
from operator import attrgetter, is_not

from generator.diagnostics import Diagnostic
from generator.model import Paper
from generator.paperindex import changed_stretch
from generator.sources.bibtex import BibResult, ParsedBib, RawEntry, papers_from_bib
from generator.sources.citations import (
    ByYear,
    CitationCounts,
    CitationsFile,
    index_citations,
    unknown_keys,
    with_counts,
)


@dataclass(frozen=True, slots=True)
class _Built:
    entry: RawEntry
    paper: Paper | None
    diagnostics: tuple[Diagnostic, ...]


@dataclass(frozen=True, slots=True)
class _FileBuilt:
    """A file's entries as last built, and what each gave."""

    entries: tuple[RawEntry, ...]
    built: tuple[_Built, ...]  # in the same order


class PaperCache:
    """``papers_from_bib`` with a memory of the papers built from each entry."""

    def __init__(self) -> None:
        self._files: dict[str, _FileBuilt] = {}
        self._last: tuple[tuple[ParsedBib, ...], BibResult] | None = None

    def build(self, parsed: Sequence[ParsedBib]) -> BibResult:
        """Like ``papers_from_bib(parsed)``; the same result object when no file changed."""
        last = self._last
        if (
            last is not None
            and len(last[0]) == len(parsed)
            and all(a is b for a, b in zip(last[0], parsed, strict=True))
        ):
            return last[1]
        result = self._build(parsed)
        self._last = (tuple(parsed), result)
        return result

    def _build(self, parsed: Sequence[ParsedBib]) -> BibResult:
        # One file has unique keys (its reader drops repeats); several may repeat them.
        if any(bib.strings for bib in parsed) or (len(parsed) > 1 and _repeated_keys(parsed)):
            return self._whole(parsed)
        # An edit leaves the records of the untouched entries as they were (the chunked
        # reader keeps them): only the stretch between the unchanged ends is looked at.
        stretches = []
        missing: list[tuple[str, RawEntry]] = []
        for bib in parsed:
            old = self._files.get(bib.display, _NOTHING)
            first, tail = changed_stretch(old.entries, bib.entries)
            known = {id(b.entry): b for b in old.built[first : len(old.built) - tail]}
            middle = bib.entries[first : len(bib.entries) - tail]
            missing += [(bib.display, e) for e in middle if id(e) not in known]
            stretches.append((old, first, tail, middle, known))
        if any(_has_crossref(e) for _, e in missing):
            return self._whole(parsed)
        fresh = _build_batch(missing) if missing else {}
        if fresh is None:
            return self._whole(parsed)
        files = {}
        for bib, (old, first, tail, middle, known) in zip(parsed, stretches, strict=True):
            made = tuple(known.get(id(e)) or fresh[(bib.display, id(e))] for e in middle)
            files[bib.display] = _FileBuilt(
                bib.entries, old.built[:first] + made + old.built[len(old.built) - tail :]
            )
        self._files = files  # in file order; files that are gone are forgotten
        built = [f.built for f in files.values()]
        papers = tuple(filter(_is_paper, map(_paper, chain.from_iterable(built))))
        diags = [d for bib in parsed for d in bib.diagnostics]
        diags += chain.from_iterable(map(_diagnostics, chain.from_iterable(built)))
        return BibResult(papers, tuple(diags))

    def _whole(self, parsed: Sequence[ParsedBib]) -> BibResult:
        self._files = {}
        return papers_from_bib(parsed)


_NOTHING = _FileBuilt((), ())
_paper = attrgetter("paper")
_diagnostics = attrgetter("diagnostics")
_is_paper = partial(is_not, None)


def _repeated_keys(parsed: Sequence[ParsedBib]) -> bool:
    keys = [e.key.lower() for bib in parsed for e in bib.entries]
    return len(set(keys)) != len(keys)


def _has_crossref(entry: RawEntry) -> bool:
    """An entry with a crossref depends on its parent (cached entries never have one)."""
    return any(f.name == "crossref" for f in entry.fields)


def _build_batch(missing: list[tuple[str, RawEntry]]) -> dict[tuple[str, int], _Built] | None:
    """Build the papers of ``missing`` in one run and give each entry its own
    diagnostics (by file and line); None if a diagnostic belongs to no entry."""
    by_file: dict[str, list[RawEntry]] = {}
    for display, entry in missing:
        by_file.setdefault(display, []).append(entry)
    result = papers_from_bib([ParsedBib(display=d, entries=tuple(es)) for d, es in by_file.items()])
    papers = {p.key: p for p in result.papers}
    diags: dict[tuple[str, int], list[Diagnostic]] = {(d, id(e)): [] for d, e in missing}
    starts = {d: [e.line for e in es] for d, es in by_file.items()}
    for diag in result.diagnostics:
        loc = diag.location
        if loc is None or loc.line is None or loc.path not in by_file:
            return None
        index = bisect.bisect_right(starts[loc.path], loc.line) - 1
        if index < 0:
            return None
        diags[(loc.path, id(by_file[loc.path][index]))].append(diag)
    return {(d, id(e)): _Built(e, papers.get(e.key), tuple(diags[(d, id(e))])) for d, e in missing}


class CitationsCache:
    """``apply_citations`` that keeps the papers it made: a paper whose entry and counts
    did not change is the very object of the last run, so the site patch and the page
    fingerprints see only the papers a citations-file edit touched."""

    def __init__(self) -> None:
        self._last: tuple[Sequence[Paper], tuple[CitationsFile, ...], tuple[Paper, ...]] | None = None
        self._last_diags: tuple[Diagnostic, ...] = ()
        # key -> (paper from the BibTeX stage, the counts applied to it, the result)
        self._made: dict[str, tuple[Paper, tuple[int | None, ByYear] | None, Paper]] = {}

    def apply(
        self, papers: Sequence[Paper], files: Sequence[CitationsFile]
    ) -> tuple[tuple[Paper, ...], list[Diagnostic]]:
        """Like ``apply_citations(papers, files)``; the same tuple when no paper changed."""
        last = self._last
        if (
            last is not None
            and last[0] is papers
            and len(last[1]) == len(files)
            and all(a is b for a, b in zip(last[1], files, strict=True))
        ):
            return last[2], list(self._last_diags)
        index, diags = index_citations(files)
        if not index:  # no counts (the usual site): the papers as the BibTeX stage made them
            self._made = {}
            result_papers = tuple(papers)
        else:
            diags += unknown_keys(index, papers)
            result_papers = self._with_counts(papers, index)
            same = last is not None and len(last[2]) == len(result_papers)
            if last is not None and same and all(a is b for a, b in zip(last[2], result_papers, strict=True)):
                result_papers = last[2]  # nothing changed: later stages may take their shortcuts
        self._last = (papers, tuple(files), result_papers)
        self._last_diags = tuple(diags)
        return result_papers, diags

    def _with_counts(self, papers: Sequence[Paper], index: dict[str, CitationCounts]) -> tuple[Paper, ...]:
        """``with_counts`` for each paper, reusing last run's result when paper and counts are the same."""
        made: dict[str, tuple[Paper, tuple[int | None, ByYear] | None, Paper]] = {}
        out: list[Paper] = []
        for paper in papers:
            counts = index.get(paper.key.lower())
            values = counts.values if counts is not None else None
            known = self._made.get(paper.key)
            if known is not None and known[0] is paper and known[1] == values:
                result = known[2]
            else:
                result = with_counts(paper, counts)
            made[paper.key] = (paper, values, result)
            out.append(result)
        self._made = made
        return tuple(out)
