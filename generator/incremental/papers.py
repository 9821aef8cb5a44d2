"""Papers from BibTeX records, rebuilt only for the entries that changed.

``papers_from_bib`` resolves macros, crossrefs and duplicate keys across all
files, then builds every paper. When no file defines ``@string`` macros, no
entry has a ``crossref`` and no key repeats, each paper depends on its own
entry alone: then only new entries are built (in one batch) and every other
paper, with its diagnostics, is taken from the previous build. Otherwise the
whole stage runs as usual.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass

from generator.diagnostics import Diagnostic
from generator.model import Paper
from generator.sources.bibtex import BibResult, ParsedBib, RawEntry, papers_from_bib


@dataclass(frozen=True, slots=True)
class _Built:
    entry: RawEntry  # kept so that its id() is not reused
    paper: Paper | None
    diagnostics: tuple[Diagnostic, ...]


class PaperCache:
    """``papers_from_bib`` with a memory of the papers built from each entry."""

    def __init__(self) -> None:
        self._built: dict[tuple[str, int], _Built] = {}
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
        built = self._built
        missing = [
            (bib.display, e) for bib in parsed for e in bib.entries if (bib.display, id(e)) not in built
        ]
        if any(_has_crossref(e) for _, e in missing):
            return self._whole(parsed)
        if missing:
            fresh = _build_batch(missing)
            if fresh is None:
                return self._whole(parsed)
            built = {**built, **fresh}
        # in file order; entries that are gone are forgotten
        self._built = {(b.display, id(e)): built[(b.display, id(e))] for b in parsed for e in b.entries}
        values = self._built.values()
        papers = tuple(b.paper for b in values if b.paper is not None)
        diags = [d for bib in parsed for d in bib.diagnostics]
        diags += [d for b in values for d in b.diagnostics]
        return BibResult(papers, tuple(diags))

    def _whole(self, parsed: Sequence[ParsedBib]) -> BibResult:
        self._built = {}
        return papers_from_bib(parsed)

    def __getstate__(self) -> object:
        return [(display, built) for (display, _), built in self._built.items()], self._last

    def __setstate__(self, state: tuple[list[tuple[str, _Built]], object]) -> None:
        """Identities change in a new process: key the entries afresh."""
        built, last = state
        self._built = {(display, id(b.entry)): b for display, b in built}
        self._last = last  # type: ignore[assignment]


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
