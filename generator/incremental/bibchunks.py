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
from dataclasses import dataclass, field
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
    """One piece of a file: ``parsed`` has line numbers relative to the chunk (its
    first line is line 1); ``absolute`` the same records at the chunk's place."""

    data: bytes
    sentinel: bytes  # the next chunk's opening ``@type{``, or b"" for the last chunk
    lines: int  # line breaks in data
    parsed: ParsedBib
    offset: int = 0
    absolute: ParsedBib | None = None


@dataclass(slots=True)
class _FileState:
    data: bytes
    result: ParsedBib
    chunks: list[Chunk] = field(default_factory=list)  # empty: parsed whole


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
        chunks = None
        if _chunkable(data):
            chunks = _rechunk(display, data, old.chunks if old is not None else [])
        result = _join(display, chunks) if chunks is not None else None
        if result is None:
            result = bibtex.parse_bib_file(SourceFile.from_bytes(display, data, path))
        self._files[display] = _FileState(data, result, chunks or [])
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


def _rechunk(display: str, data: bytes, old: list[Chunk]) -> list[Chunk] | None:
    """The file's chunks: unchanged ones from ``old``, the changed middle parsed again."""
    first, pos = _common_prefix(data, old)
    last, end = _common_suffix(data, old, first, pos)
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
    chunks = [*old[:first], *middle, *old[last:]]
    return _place(display, chunks)


def _common_prefix(data: bytes, old: list[Chunk]) -> tuple[int, int]:
    pos = 0
    for i, chunk in enumerate(old):
        if not data.startswith(chunk.data, pos):
            return i, pos
        pos += len(chunk.data)
    return len(old), pos


def _common_suffix(data: bytes, old: list[Chunk], first: int, pos: int) -> tuple[int, int]:
    end = len(data)
    last = len(old)
    while (
        last > first and end - len(old[last - 1].data) >= pos and data.endswith(old[last - 1].data, pos, end)
    ):
        end -= len(old[last - 1].data)
        last -= 1
    return last, end


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


def _place(display: str, chunks: list[Chunk]) -> list[Chunk]:
    """Give every chunk its line offset and shifted records (kept when unmoved)."""
    out = []
    offset = 0
    for chunk in chunks:
        if chunk.absolute is None or chunk.offset != offset:
            chunk = dataclasses.replace(chunk, offset=offset, absolute=shift(display, chunk.parsed, offset))
        out.append(chunk)
        offset += chunk.lines
    return out


def _join(display: str, chunks: list[Chunk]) -> ParsedBib | None:
    """The chunks as one file, or None when a file-wide rule applies."""
    parts = [c.absolute for c in chunks if c.absolute is not None]
    entries = tuple(e for p in parts for e in p.entries)
    if not entries or any(p.strings for p in parts):
        return None  # no entries at all, or @string macros: file-wide checks apply
    if len({e.key.lower() for e in entries}) != len(entries):
        return None  # duplicate keys: the file's reader reports and drops them
    diags = [d for p in parts[:-1] for d in p.diagnostics]
    diags += _without_empty_file_warning(display, chunks[-1])
    return ParsedBib(display=display, entries=entries, strings=(), diagnostics=tuple(diags))


def _without_empty_file_warning(display: str, last: Chunk) -> list[Diagnostic]:
    """A last chunk without entries (a trailing @comment, say) read alone is an
    "empty file"; the whole file is not."""
    assert last.absolute is not None
    if last.parsed.entries or last.parsed.strings:
        return list(last.absolute.diagnostics)
    probe = bibtex.parse_bib_file(SourceFile.from_bytes(display, b"")).diagnostics
    empty = {shift_diagnostic(display, d, last.offset) for d in probe}
    return [d for d in last.absolute.diagnostics if d not in empty]


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
