"""A BibTeX file read entry by entry, so an edit re-reads only the entries it touched.

:func:`~generator.sources.bibtex.parse_bib_file` reads a whole file; a 10,000-entry
file takes seconds. Both bibtexparser's splitter and our pre-pass start afresh
at a line that begins a block (``@article{``), so a file cut at such lines can
be read chunk by chunk: each chunk is parsed on its own, with the next chunk's
first line appended (so an unclosed entry is reported exactly as in the whole
file), and the results are joined with their line numbers shifted.

A few rules span the whole file: its encoding, ``@string`` macros (used before
their definition?), duplicate keys, "no entries at all". Whenever one of them
could matter, the whole file is parsed instead: the result is always what
``parse_bib_file`` returns for the file.
"""

from __future__ import annotations

import dataclasses
import re
from array import array
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate, chain, repeat
from operator import add, attrgetter
from pathlib import Path

from generator.diagnostics import Diagnostic
from generator.sources import bibtex
from generator.sources.bibtex import ParsedBib, RawEntry
from generator.sources.files import SourceFile

# A line that starts a block: where a chunk may begin.
_BLOCK_LINE = re.compile(rb"[ \t]*@\w*[ \t]*[{(]")
_BOUNDARY = re.compile(rb"\n(?=[ \t]*@\w*[ \t]*[{(])")
_COMMENT = re.compile(rb"[ \t]*@comment[ \t]*([{(])", re.IGNORECASE)
_BRACE = re.compile(rb"[{}]")
_CONTROL = bytes([*range(0, 9), 11, 12, *range(14, 32), 127])
_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True, slots=True)
class Chunk:
    """One piece of a file: ``parsed`` holds its records with the line numbers they have
    when the chunk starts after line ``offset`` of the file (read alone, a chunk is at
    offset 0: its first line is line 1). One copy of the records only: a moved chunk
    is shifted by the lines it moved."""

    data: bytes
    sentinel: bytes  # the next chunk's opening ``@type{``, or b"" for the last chunk
    lines: int  # line breaks in data
    parsed: ParsedBib
    offset: int = 0


@dataclass(slots=True)
class _Chunks:
    """A file cut into chunks, with what finding the changed ones and joining them needs.
    The next version of the file updates it in place (an array and updated containers
    cost the garbage collector nothing, new lists of 10,000 items cost it a millisecond)."""

    chunks: list[Chunk]
    starts: array[int]  # byte offset of each chunk in the file, then the file's length
    keys: Counter[str]  # lower-cased keys of the entries of all chunks (none at zero)


@dataclass(slots=True)
class _FileState:
    data: bytes
    result: ParsedBib
    cut: _Chunks | None = None  # None: parsed whole


class ChunkedBibReader:
    """Parses BibTeX files like ``parse_bib_file``, reusing unchanged chunks of the
    previous version of each file."""

    def __init__(self) -> None:
        self._files: dict[str, _FileState] = {}

    def parse(self, file: SourceFile) -> ParsedBib:
        return self.parse_bytes(file.display, file.data, file.path)

    def parse_bytes(self, display: str, data: bytes, path: Path | None = None) -> ParsedBib:
        """The file ``display`` with content ``data`` (a SourceFile is made, and hashed,
        only when the whole file must be read)."""
        old = self._files.get(display)
        if old is not None and old.data == data:
            return old.result
        self._files.pop(display, None)  # the old state is updated in place: gone if this fails
        cut = None
        if _chunkable(data):
            cut = _rechunk(display, data, old.data, old.cut) if old else _rechunk(display, data, b"", None)
        result = _join(display, cut) if cut is not None else None
        if result is None:
            result = bibtex.parse_bib_file(SourceFile.from_bytes(display, data, path))
        self._files[display] = _FileState(data, result, cut)
        return result

    def forget_others(self, displays: set[str]) -> None:
        """Drop the caches of files that are gone."""
        for display in set(self._files) - displays:
            del self._files[display]


def _chunkable(data: bytes) -> bool:
    """File-wide properties under which chunks read alone read as in the whole file."""
    limit = getattr(bibtex, "MAX_BIB_BYTES", None)
    if limit is not None and len(data) > limit:
        return False
    return not data.startswith(_BOM) and b"\r" not in data


def _rechunk(display: str, data: bytes, old_data: bytes, old_cut: _Chunks | None) -> _Chunks | None:
    """The file's chunks: unchanged ones from ``old_cut`` (of ``old_data``), the
    changed middle parsed again. ``old_cut`` is updated and returned."""
    if old_cut is None:
        old_cut, old_data = _Chunks([], array("q", [0]), Counter()), b""
    old = old_cut.chunks
    first, pos = _common_prefix(data, old_data, old_cut.starts)
    last, end = _common_suffix(data, old_data, old_cut.starts, first, pos)
    while True:  # widen the middle until both of its ends are real chunk starts
        if first > 0 and (not _starts_chunk(data, pos) or old[first - 1].sentinel != _mark(data, pos)):
            first -= 1
            pos -= len(old[first].data)
        elif last < len(old) and end < len(data) and not _starts_chunk(data, end):
            end += len(old[last].data)
            last += 1
        else:
            break
    middle = _split(display, data, pos, end)
    if middle is None:
        return None
    keys = old_cut.keys
    for chunk in old[first:last]:
        for entry in chunk.parsed.entries:
            key = entry.key.lower()
            keys[key] -= 1
            if not keys[key]:
                del keys[key]
    keys.update(e.key.lower() for chunk in middle for e in chunk.parsed.entries)
    starts = old_cut.starts
    tail = array("q", map(add, starts[last:], repeat(end - starts[last])))
    del starts[first:]
    starts.extend(accumulate((len(c.data) for c in middle), initial=pos))
    starts.pop()  # the middle's end: where the kept tail starts
    starts.extend(tail)
    old[first:last] = middle
    _place(display, old, first, len(middle))
    return old_cut


def _common_prefix(data: bytes, old_data: bytes, starts: Sequence[int]) -> tuple[int, int]:
    """How many chunks at the start of ``old_data`` (cut at ``starts``) ``data`` begins
    with, and where they end. A binary search over chunks: memcmp does the comparing."""
    view = memoryview(old_data)
    good, bad = 0, len(starts)  # the first ``good`` chunks match; ``bad`` is out of reach
    while bad - good > 1:
        mid = (good + bad) // 2
        if data.startswith(view[starts[good] : starts[mid]], starts[good]):
            good = mid
        else:
            bad = mid
    return good, starts[good]


def _common_suffix(
    data: bytes, old_data: bytes, starts: Sequence[int], first: int, pos: int
) -> tuple[int, int]:
    """The first of the chunks at the end of ``old_data`` that ``data`` ends with, after
    ``first`` and ``pos`` (the common start), and where they begin in ``data``."""
    view = memoryview(old_data)
    shift = len(data) - len(old_data)
    bad, good = first - 1, len(starts) - 1  # the chunks from ``good`` on match
    while good - bad > 1:
        mid = (good + bad) // 2
        at = starts[mid] + shift
        if at >= pos and data.startswith(view[starts[mid] : starts[good]], at):
            good = mid
        else:
            bad = mid
    return good, starts[good] + shift


def _starts_chunk(data: bytes, pos: int) -> bool:
    """A chunk may start at the end of the file or at a line that opens a block."""
    if pos == len(data):
        return True
    return data[pos - 1 : pos] == b"\n" and _BLOCK_LINE.match(data, pos) is not None


def _mark(data: bytes, pos: int) -> bytes:
    """The opening ``@type{`` of the chunk at ``pos`` (b"" at the end of the file)."""
    m = _BLOCK_LINE.match(data, pos)
    return m.group() if m else b""


def _split(display: str, data: bytes, pos: int, end: int) -> list[Chunk] | None:
    """Parse ``data[pos:end]`` cut at every line that starts a block."""
    starts = [pos, *(m.end() for m in _BOUNDARY.finditer(data, pos, end))]
    starts = [s for i, s in enumerate(starts) if i == 0 or s < end]
    chunks = []
    for i, start in enumerate(starts):
        stop = starts[i + 1] if i + 1 < len(starts) else end
        piece = data[start:stop]
        if not piece:
            continue
        sentinel = _mark(data, stop) if stop < len(data) else b""
        chunk = _parse_chunk(display, piece, sentinel)
        if chunk is None:
            return None
        chunks.append(chunk)
    return chunks


def _parse_chunk(display: str, data: bytes, sentinel: bytes) -> Chunk | None:
    """One chunk read alone; None when it needs the whole file (encoding problems,
    an @comment that may run on into the next chunk)."""
    if data.translate(None, _CONTROL) != data or not _comment_closes(data):
        return None
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    lines = data.count(b"\n")
    parsed = bibtex.parse_bib_file(SourceFile.from_bytes(display, data + sentinel))
    if sentinel:  # the sentinel is a block of its own that ends the file unclosed: drop it
        diags = tuple(d for d in parsed.diagnostics if not _after(d, lines))
        parsed = dataclasses.replace(parsed, diagnostics=diags)
    return Chunk(data, sentinel, lines, parsed)


def _comment_closes(data: bytes) -> bool:
    """An @comment block hides every line up to its closing brace, even one that
    starts a block: a chunk that opens one must also close it."""
    m = _COMMENT.match(data)
    if m is None:
        return True
    if m.group(1) != b"{" or b"\\" in data:
        return False  # parenthesised or with escapes: leave it to the whole-file reader
    depth = 0
    for brace in _BRACE.finditer(data, m.start(1)):
        depth += 1 if brace.group() == b"{" else -1
        if depth == 0:
            return True
    return False


def _after(diag: Diagnostic, line: int) -> bool:
    loc = diag.location
    return loc is not None and loc.line is not None and loc.line > line


def _place(display: str, chunks: list[Chunk], first: int, count: int) -> None:
    """Give every chunk its line offset and shifted records: the first ``first`` chunks
    are in place, the ``count`` after them are new (at offset 0), the rest are moved
    (if at all) by as many lines as the new ones differ from those they replace."""
    offset = chunks[first - 1].offset + chunks[first - 1].lines if first else 0
    for i in range(first, len(chunks)):
        chunk = chunks[i]
        if chunk.offset != offset:
            moved = shift(display, chunk.parsed, offset - chunk.offset)
            chunks[i] = dataclasses.replace(chunk, offset=offset, parsed=moved)
        elif i >= first + count:
            break  # this one and all after it are where they were
        offset += chunk.lines


def _join(display: str, cut: _Chunks) -> ParsedBib | None:
    """The chunks as one file, or None when a file-wide rule applies. (Loops over all
    chunks are C loops: a big file has tens of thousands.)"""
    chunks = cut.chunks
    parts = list(map(_parsed, chunks))
    entries = tuple(chain.from_iterable(map(_entries, parts)))
    if not entries or any(map(_strings, parts)):
        return None  # no entries at all, or @string macros: file-wide checks apply
    if len(cut.keys) != len(entries):
        return None  # duplicate keys: the file's reader reports and drops them
    diags = list(chain.from_iterable(map(_diagnostics, parts[:-1])))
    diags += _without_empty_file_warning(display, chunks[-1])
    return ParsedBib(display=display, entries=entries, strings=(), diagnostics=tuple(diags))


_parsed = attrgetter("parsed")
_entries = attrgetter("entries")
_strings = attrgetter("strings")
_diagnostics = attrgetter("diagnostics")


def _without_empty_file_warning(display: str, last: Chunk) -> list[Diagnostic]:
    """A last chunk without entries (a trailing @comment, say) read alone is an
    "empty file"; the whole file is not."""
    if last.parsed.entries or last.parsed.strings:
        return list(last.parsed.diagnostics)
    probe = bibtex.parse_bib_file(SourceFile.from_bytes(display, b"")).diagnostics
    empty = {shift_diagnostic(display, d, last.offset) for d in probe}
    return [d for d in last.parsed.diagnostics if d not in empty]


def shift(display: str, parsed: ParsedBib, by: int) -> ParsedBib:
    """``parsed`` with every line number of ``display`` moved down by ``by`` lines."""
    if by == 0:
        return parsed
    return dataclasses.replace(
        parsed,
        entries=tuple(_shift_entry(e, by) for e in parsed.entries),
        strings=tuple((name, value, line + by) for name, value, line in parsed.strings),
        diagnostics=tuple(shift_diagnostic(display, d, by) for d in parsed.diagnostics),
    )


def _shift_entry(entry: RawEntry, by: int) -> RawEntry:
    fields = tuple(f._replace(line=f.line + by) for f in entry.fields)
    return entry._replace(line=entry.line + by, fields=fields)


def shift_diagnostic(display: str, diag: Diagnostic, by: int) -> Diagnostic:
    loc = diag.location
    if loc is None or loc.line is None or loc.path != display:
        return diag
    return dataclasses.replace(diag, location=dataclasses.replace(loc, line=loc.line + by))
