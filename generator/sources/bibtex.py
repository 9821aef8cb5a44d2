"""BibTeX/biblatex files -> :class:`~generator.model.Paper` records, in two phases.

:func:`parse_bib_file` reads one file into plain, picklable records (no
bibtexparser objects) so a build can cache it by content hash. It only splits
the file; ``@string`` macros stay unresolved because a macro may be defined in
another file of the site. :func:`papers_from_bib` then resolves macros, duplicate
keys and ``crossref`` across all files and builds the papers.

Both phases report problems as diagnostics and never raise: a broken entry
costs that entry, not the build.
"""

from __future__ import annotations

import codecs
import logging
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import NamedTuple
from urllib.parse import quote

from bibtexparser import model as bp
from bibtexparser.entrypoint import parse_string, write_string
from bibtexparser.library import Library
from bibtexparser.writer import BibtexFormat

from generator import dates, latex, names, safeurl
from generator.diagnostics import Diagnostic, SourceLocation, error, warning
from generator.gcpause import gc_paused
from generator.model import AuthorRef, Link, Paper, PaperDate
from generator.sources.files import SourceFile

# bibtexparser logs each syntax error at WARNING with 0-based lines; they are reported
# here as diagnostics instead, so its log records would only be confusing duplicates.
logging.getLogger("bibtexparser.splitter").addHandler(logging.NullHandler())
logging.getLogger("bibtexparser.splitter").propagate = False


# =========================================================================== records


class RawField(NamedTuple):
    """One field as written: ``value`` has its enclosing braces/quotes removed, or is
    the raw expression (``acl # { 2020}``, ``oct``) when ``expr`` is set.

    Raw records are named tuples: a large file has ~100,000 fields, and tuples are
    several times cheaper than dataclasses to create and to (un)pickle from a cache.
    """

    name: str  # lower case
    value: str
    line: int
    expr: bool = False


class RawEntry(NamedTuple):
    key: str
    entry_type: str  # lower case, as written
    line: int
    fields: tuple[RawField, ...]


@dataclass(frozen=True, slots=True)
class ParsedBib:
    """One .bib file, split but not interpreted. ``strings`` are ``(name, raw value
    expression, line)`` with lower-case names, in file order."""

    display: str
    entries: tuple[RawEntry, ...] = ()
    strings: tuple[tuple[str, str, int], ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()


@dataclass(frozen=True, slots=True)
class BibResult:
    papers: tuple[Paper, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()


# =========================================================================== phase 1: one file

_FIELD_NAME = re.compile(r"[^\s\"#%'(),={}]+")
_BAD_KEY_CHARS = re.compile(r"[\s\"#%'(),={}]")
_STRAY_FIELDS = re.compile(r"^\s*,?\s*[A-Za-z][\w\-]*\s*=\s*[{\"\d]")
_BLOCK_HEAD = re.compile(r"@(\w*)\s*[{(]\s*([^,\s{}()=]*)\s*(=)?")
_INTERNAL = "internal"


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


def _word_list(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# Twice the size of 10,000 arXiv entries with abstracts; bigger files are almost
# always an export gone wrong, and would stall the preview server.
MAX_BIB_BYTES = 32 * 1024 * 1024


def parse_bib_file(file: SourceFile) -> ParsedBib:
    """Split one .bib file into raw entries and ``@string`` definitions."""
    if len(file.data) > MAX_BIB_BYTES:
        diag = error(
            f"file is {len(file.data) / 2**20:.0f} MB; "
            f"BibTeX files over {MAX_BIB_BYTES // 2**20} MB are not read",
            SourceLocation(file.display),
            "split it into several .bib files in content/papers/",
        )
        return ParsedBib(file.display, diagnostics=(diag,))
    try:
        with gc_paused():
            return _parse_bib_file(file)
    except Exception as exc:  # a last resort: this function must never raise
        diag = error(
            f"could not read this BibTeX file ({type(exc).__name__}: {exc})",
            SourceLocation(file.display),
            "this is a bug in scholarpages; please report it with the file",
            code=_INTERNAL,
        )
        return ParsedBib(file.display, diagnostics=(diag,))


def _parse_bib_file(file: SourceFile) -> ParsedBib:
    text, diags = _decode_bytes(file)
    library = _split(_prepass(text), file.display, diags)
    collector = _Collector(file.display, diags)
    for block in library.blocks:
        collector.add(block)
    diags += _macros_used_early(file.display, collector.entries, collector.strings)
    if not collector.entries and not collector.strings and not diags:
        diags.append(
            warning(
                "no BibTeX entries in this file",
                SourceLocation(file.display, 1),
                "add entries such as @article{key, title = {...}, author = {...}} or delete the file",
            )
        )
    return ParsedBib(file.display, tuple(collector.entries), tuple(collector.strings), tuple(diags))


def _macros_used_early(
    display: str, entries: Sequence[RawEntry], strings: Sequence[tuple[str, str, int]]
) -> list[Diagnostic]:
    """BibTeX itself rejects a macro used above its @string; we resolve it anyway, but say so."""
    defined_at: dict[str, int] = {}
    for name, _value, line in strings:
        defined_at.setdefault(name.lower(), line)
    if not defined_at:
        return []
    diags = []
    for entry in entries:
        for field in entry.fields:
            if not field.expr:
                continue
            for piece, is_macro in _expression_pieces(field.value):
                defined = defined_at.get(piece.strip().lower()) if is_macro else None
                if defined is not None and defined > field.line:
                    diags.append(
                        warning(
                            f"macro '{piece.strip()}' is used before its @string definition (line {defined})",
                            SourceLocation(display, field.line),
                            "move the @string above its first use; other BibTeX tools reject this order",
                        )
                    )
    return diags


# C0 control characters other than tab and line ends: invalid in HTML and XML output.
_CONTROL_BYTES = bytes([*range(0, 9), 11, 12, *range(14, 32), 127])
_CONTROL_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _decode_bytes(file: SourceFile) -> tuple[str, list[Diagnostic]]:
    """Bytes -> text with ``\\n`` line ends; invalid UTF-8 is read as Windows-1252."""
    data = file.data
    diags: list[Diagnostic] = []
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        try:
            text, encoding = data.decode("cp1252"), "Windows-1252"
        except UnicodeDecodeError:
            text, encoding = data.decode("latin-1"), "Latin-1"
        diags.append(
            warning(
                f"{file.display} is not valid UTF-8 (first bad byte on line {line}); read it as {encoding}",
                SourceLocation(file.display, line),
                "save the file as UTF-8",
            )
        )
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if len(data.translate(None, _CONTROL_BYTES)) != len(data):  # a fast check on bytes first
        text = _drop_control_characters(text, file.display, diags)
    return text, diags


def _drop_control_characters(text: str, display: str, diags: list[Diagnostic]) -> str:
    first = _CONTROL_CHARS.search(text)
    if first is None:
        return text
    line = text.count("\n", 0, first.start()) + 1
    diags.append(
        warning(
            f"{display} contains control characters (first on line {line}); they are ignored",
            SourceLocation(display, line),
            "check that this is a text file; remove the stray characters",
        )
    )
    return _CONTROL_CHARS.sub("", text)


# --------------------------------------------------------------------------- pre-pass

_COMMENT_BLOCK = re.compile(r"@comment", re.IGNORECASE)
_NOT_NEWLINE = re.compile(r"[^\n]")
_BLOCK_START = re.compile(r"@\w*[ \t]*[{(]")
# Plain character classes: the regex engine skips to them fast (an alternation would not).
_SCAN = re.compile(r"[@{}\"%]")
_SCAN_PAREN = re.compile(r"[@{}\"%)]")


def _prepass(text: str) -> str:
    """Blank out what bibtexparser would misread, keeping every line in place:
    ``%`` comments outside values, whole ``@comment{...}`` blocks (they may hold
    braces or commented-out entries) and ``@`` in free text between entries."""
    if not _prepass_needed(text):
        return text
    spans = _Scanner(text).spans()
    if not spans:
        return text
    out: list[str] = []
    last = 0
    for start, end in sorted(spans):
        start = max(start, last)
        out.append(text[last:start])
        out.append(_NOT_NEWLINE.sub(" ", text[start:end]))
        last = max(last, end)
    out.append(text[last:])
    return "".join(out)


def _prepass_needed(text: str) -> bool:
    """Cheap checks first: a large file usually needs no pre-pass at all."""
    if text.count("%") != text.count("\\%") or _COMMENT_BLOCK.search(text):
        return True
    return any(not _at_line_start(text, m.start()) for m in _BLOCK_START.finditer(text))


def _at_line_start(text: str, pos: int) -> bool:
    """Only spaces or tabs between the previous line end and ``pos`` (cheap on long lines)."""
    pos -= 1
    while pos >= 0 and text[pos] in " \t":
        pos -= 1
    return pos < 0 or text[pos] == "\n"


class _Scanner:
    """Tracks blocks and brace depth just well enough to find the spans to blank."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.depth = 0
        self.closer = "}"
        self.in_quotes = False
        self.comment_start = -1  # start of the current @comment block, else -1
        self.last_block_end = 0
        self.blank: list[tuple[int, int]] = []

    def spans(self) -> list[tuple[int, int]]:
        pos = 0
        text = self.text
        while True:
            pattern = _SCAN_PAREN if self.depth == 1 and self.closer == ")" else _SCAN
            m = pattern.search(text, pos)
            if m is None:
                break
            start = m.start()
            token = m.group()
            end = start + 1
            if token == "@":
                block = _BLOCK_START.match(text, start)
                if block is None:
                    pos = end
                    continue
                token, end = block.group(), block.end()
            elif start and text[start - 1] == "\\":  # \{ \} \" \% are text
                pos = end
                continue
            pos = self.step(token, start, end)
        if self.comment_start >= 0:  # an unclosed @comment: BibTeX ignores only the word
            word = _ENTRY_WORD.match(text, self.comment_start)
            self.blank.append((self.comment_start, word.end() if word else self.comment_start + 1))
        return self.blank

    def step(self, token: str, start: int, end: int) -> int:
        """Handle one token; return where to continue scanning."""
        if token == "%":
            if self.depth == 0 or (self.depth == 1 and not self.in_quotes and self.comment_start < 0):
                eol = self.text.find("\n", start)
                eol = len(self.text) if eol < 0 else eol
                self.blank.append((start, eol))
                return eol
            return end
        if token.startswith("@"):
            return self.block_start(token, start, end)
        if self.depth == 0:
            return end
        if token == "{":
            self.depth += 1
        elif token == "}":
            self.close_brace(end)
        elif token == ")" and self.depth == 1 and not self.in_quotes:
            self.end_block(end)
        elif token == '"' and self.depth == 1 and self.comment_start < 0:
            self.in_quotes = not self.in_quotes
        return end

    def block_start(self, token: str, start: int, end: int) -> int:
        at_line_start = _at_line_start(self.text, start)
        if self.depth > 0 and (self.comment_start >= 0 or not at_line_start):
            if token.endswith("{"):  # just an "@" inside a value or comment, then a brace
                self.depth += 1
            return end
        if self.depth == 0 and not at_line_start and self._after_words(start):
            self.blank.append((start, start + 1))  # free text such as "mail me@home (evenings)"
            return start + 1
        self.depth = 1
        self.closer = ")" if token.endswith("(") else "}"
        self.in_quotes = False
        kind = token[1:].rstrip("{( \t").lower()
        self.comment_start = start if kind == "comment" else -1
        return end

    def close_brace(self, end: int) -> None:
        if self.depth > 1:
            self.depth -= 1
        elif self.closer == "}":
            self.end_block(end)

    def end_block(self, end: int) -> None:
        if self.comment_start >= 0:
            self.blank.append((self.comment_start, end))
        self.depth = 0
        self.comment_start = -1
        self.in_quotes = False
        self.last_block_end = end

    def _after_words(self, pos: int) -> bool:
        """Whether words precede ``pos`` on its line since the last block ("}, @misc{" is
        a new entry; "me@home (evenings)" is not)."""
        line_start = self.text.rfind("\n", self.last_block_end, pos) + 1
        return _WORD_CHAR.search(self.text, max(line_start, self.last_block_end), pos) is not None


_ENTRY_WORD = re.compile(r"@\w*")
_WORD_CHAR = re.compile(r"\w")


# --------------------------------------------------------------------------- splitting


def _split(text: str, display: str, diags: list[Diagnostic]) -> Library:
    """bibtexparser's splitter without its middlewares (no LaTeX decoding: that is done
    selectively later). Should the splitter itself fail, each block is split alone."""
    try:
        return parse_string(text, parse_stack=[])
    except Exception:
        library = Library()
        offset = 0
        for chunk in re.split(r"(?m)^(?=[ \t]*@)", text):
            try:
                part = parse_string("\n" * offset + chunk, parse_stack=[])
                library.add(part.blocks, fail_on_duplicate_key=False)
            except Exception:
                diags.append(
                    error(
                        "this part of the file could not be read",
                        SourceLocation(display, offset + 1),
                        "check the entry for unbalanced braces or quotes",
                    )
                )
            offset += chunk.count("\n")
        return library


class _Collector:
    """Turns bibtexparser blocks into raw records, reporting syntax problems."""

    def __init__(self, display: str, diags: list[Diagnostic]) -> None:
        self.display = display
        self.diags = diags
        self.entries: list[RawEntry] = []
        self.strings: list[tuple[str, str, int]] = []
        self.keys: dict[str, int] = {}  # lower-case key -> line of first definition
        self.previous_entry = ""

    def loc(self, line: int | None) -> SourceLocation:
        return SourceLocation(self.display, line)

    def add(self, block: bp.Block) -> None:
        line = (block.start_line or 0) + 1
        if isinstance(block, bp.DuplicateBlockKeyBlock):
            inner = block.ignore_error_block
            if isinstance(inner, bp.String):
                self.add_string(inner)
            elif isinstance(inner, bp.Entry):
                self.add_entry(inner)
        elif isinstance(block, bp.DuplicateFieldKeyBlock):
            inner = block.ignore_error_block
            if isinstance(inner, bp.Entry):
                self.add_entry(inner)
        elif isinstance(block, bp.ParsingFailedBlock):
            self.failed(block, line)
        elif isinstance(block, bp.Entry):
            self.add_entry(block)
        elif isinstance(block, bp.String):
            self.add_string(block)
        elif isinstance(block, bp.ImplicitComment):
            self.stray_text(block, line)
        if not isinstance(block, bp.ImplicitComment):
            self.previous_entry = block.key if isinstance(block, bp.Entry) else ""

    def failed(self, block: bp.ParsingFailedBlock, line: int) -> None:
        raw = block.raw or ""
        if raw.lstrip().lower().startswith("@comment"):
            return
        reason = str(getattr(block.error, "abort_reason", "") or block.error)
        head = _BLOCK_HEAD.match(raw.lstrip())
        kind = head.group(1).lower() if head else ""
        if head and head.group(3) and kind not in ("string", "preamble"):  # "@article{title = ..."
            self.diags.append(
                error("entry has no key", self.loc(line), "write it as @article{key, title = {...}}")
            )
            return
        name = head.group(2) if head and head.group(2) else ""
        what = (
            f"@{kind} '{name}'" if kind in ("string", "preamble") else f"entry '{name}'" if name else "entry"
        )
        message, hint = _explain_failure(reason)
        self.diags.append(error(f"{what} could not be read: {message}", self.loc(line), hint))

    def stray_text(self, block: bp.ImplicitComment, line: int) -> None:
        if self.previous_entry and _STRAY_FIELDS.match(block.comment):
            self.diags.append(
                error(
                    f"fields after the end of entry '{self.previous_entry}' are ignored",
                    self.loc(line),
                    "an extra '}' closes the entry too early; remove it",
                )
            )

    def add_string(self, block: bp.String) -> None:
        line = (block.start_line or 0) + 1
        name = block.key.strip().lower()
        if not _FIELD_NAME.fullmatch(name):
            self.diags.append(
                error(f"@string name '{block.key.strip()}' is not valid", self.loc(line), "use letters only")
            )
            return
        value = _parse_value(block.value)
        if value.problem:
            self.diags.append(error(f"@string '{name}': {value.problem}", self.loc(line), value.hint))
            return
        self.strings.append((name, block.value.strip(), line))

    def add_entry(self, block: bp.Entry) -> None:
        line = (block.start_line or 0) + 1
        key = block.key.strip()
        if not key:
            self.diags.append(error("entry has no key", self.loc(line), "write it as @article{key, ...}"))
            return
        if _BAD_KEY_CHARS.search(key):
            self.diags.append(
                warning(f"key '{key}' contains spaces or special characters", self.loc(line), "rename it")
            )
        first = self.keys.get(key.lower())
        if first is not None:
            self.diags.append(
                error(
                    f"duplicate key '{key}'",
                    self.loc(line),
                    f"first defined at {self.loc(first)}; rename one of them",
                )
            )
            return
        self.keys[key.lower()] = line
        fields = self.fields(block, key)
        self.entries.append(RawEntry(key, block.entry_type.strip().lower(), line, tuple(fields)))

    def fields(self, block: bp.Entry, key: str) -> list[RawField]:
        out: list[RawField] = []
        seen: set[str] = set()
        for field in block.fields:
            line = (field.start_line or block.start_line or 0) + 1
            for raw in self.field(field.key, str(field.value), line, key):
                if raw.name in seen:
                    self.diags.append(
                        warning(
                            f"field '{raw.name}' is given twice in entry '{key}'; the first one is used",
                            self.loc(raw.line),
                            "remove one of them",
                        )
                    )
                    continue
                seen.add(raw.name)
                out.append(raw)
        return out

    def field(self, name: str, raw_value: str, line: int, key: str) -> list[RawField]:
        """One split field -> raw fields; a missing comma is reported and recovered from."""
        name = name.strip()
        if not _FIELD_NAME.fullmatch(name):
            self.diags.append(
                error(
                    f"'{_short(name)}' in entry '{key}' is not a field name",
                    self.loc(line),
                    "check for a missing comma or a stray character before it",
                )
            )
            return []
        value = _parse_value(raw_value)
        if value.problem:
            problem = f"field '{name}' of entry '{key}': {value.problem}"
            self.diags.append(error(problem, self.loc(line), value.hint))
        out = [RawField(name.lower(), value.text, line, value.expr)]
        if value.rest:
            rest_line = line + raw_value[: len(raw_value) - len(value.rest)].count("\n")
            rest_name, _, rest_value = value.rest.partition("=")
            out.extend(self.field(rest_name, rest_value.strip(), rest_line, key))
        return out


def _explain_failure(reason: str) -> tuple[str, str]:
    """bibtexparser's abort reason -> (what is wrong, how to fix it)."""
    if "field-value closing `}`" in reason:
        return "a '{' in a value is not closed before the next entry", "add the missing '}'"
    if "closing `,` or" in reason or "closing bracket" in reason:
        return "it is not closed before the next entry", "add the missing '}', or a ',' between fields"
    if 'closing `"`' in reason:
        return "a '\"' is not closed before the next entry", "add the missing '\"'"
    if "Expected comma after entry key" in reason:
        return "missing comma after the entry key", "write it as @article{key, field = {...}, ...}"
    if "end of file" in reason:
        return "the entry is not closed at the end of the file", "add the missing '}'"
    if "Expected a `=`" in reason:
        return "a field has no '=' (or there is an extra comma)", "write fields as name = {value},"
    return reason.strip() or "syntax error", "check the entry's braces, quotes and commas"


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 40 else text[:37] + "..."


# --------------------------------------------------------------------------- field values

_NUMBER = re.compile(r"\d+")
_BRACE_TOKEN = re.compile(r"(?<!\\)[{}]")
_QUOTE_OR_BRACE = re.compile(r'(?<!\\)[{}"]')
_WORD = re.compile(r"[^\s#{}\",=]+")
_REST_FIELD = re.compile(r"[^\s\"#%'(),={}]+\s*=")


class _Value(NamedTuple):
    text: str
    expr: bool = False
    problem: str = ""
    hint: str = ""
    rest: str = ""  # text after a missing comma, to be read as the next field


def _parse_value(raw: str) -> _Value:
    """A raw field value -> its text without enclosing, or an expression to resolve later."""
    value = raw.strip()
    if len(value) >= 2 and value[0] == "{" and value[-1] == "}":
        inner = value[1:-1]
        if ("{" not in inner and "}" not in inner and not inner.endswith("\\")) or _closing_brace(
            value, 0
        ) == len(value) - 1:
            return _Value(inner)
    elif (
        len(value) >= 2
        and value[0] == '"'
        and value[-1] == '"'
        and _closing_quote(value, 0) == len(value) - 1
    ):
        return _Value(value[1:-1])
    elif _NUMBER.fullmatch(value):
        return _Value(value)
    return _parse_expression(value)


def _parse_expression(value: str) -> _Value:
    """``a # {b} # "c"``: validated here, resolved in phase 2 when all macros are known."""
    if not value:
        return _Value("", problem="the value is empty", hint="write name = {value}")
    pos = 0
    end_of_last = 0
    while True:
        end = _piece_end(value, pos)
        if end < 0:
            return _Value(value, expr=True, problem="unbalanced braces or quotes", hint="balance them")
        end_of_last = end
        pos = _skip_ws(value, end)
        if pos >= len(value):
            break
        if value[pos] == "#":
            pos = _skip_ws(value, pos + 1)
            continue
        rest = value[pos:]
        text = value[:end_of_last]
        if _REST_FIELD.match(rest):
            single = _parse_value(text)
            return _Value(single.text, single.expr, "missing comma after the value", "add ','", rest)
        return _Value(
            text, True, f"unexpected text '{_short(rest)}' after the value", "use '#' to join parts"
        )
    single_word = _WORD.fullmatch(value) is not None
    if single_word and _NUMBER.fullmatch(value):
        return _Value(value)
    return _Value(value, expr=True)


def _piece_end(value: str, pos: int) -> int:
    """End index of the ``{..}``, ``".."``, number or macro name at ``pos``, or -1."""
    if pos >= len(value):
        return -1
    char = value[pos]
    if char == "{":
        close = _closing_brace(value, pos)
        return close + 1 if close >= 0 else -1
    if char == '"':
        close = _closing_quote(value, pos)
        return close + 1 if close >= 0 else -1
    m = _WORD.match(value, pos)
    return m.end() if m else -1


def _skip_ws(value: str, pos: int) -> int:
    while pos < len(value) and value[pos].isspace():
        pos += 1
    return pos


def _closing_brace(value: str, start: int) -> int:
    depth = 0
    for m in _BRACE_TOKEN.finditer(value, start):
        depth += 1 if m.group() == "{" else -1
        if depth == 0:
            return m.start()
    return -1


def _closing_quote(value: str, start: int) -> int:
    depth = 0
    for m in _QUOTE_OR_BRACE.finditer(value, start + 1):
        char = m.group()
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth < 0:
                return -1
        elif depth == 0:
            return m.start()
    return -1


def _expression_pieces(expr: str) -> Iterable[tuple[str, bool]]:
    """(text, is_macro_name) for each part of a validated expression."""
    pos = _skip_ws(expr, 0)
    while pos < len(expr):
        end = _piece_end(expr, pos)
        if end < 0:
            yield expr[pos:], False
            return
        piece = expr[pos:end]
        if piece[0] in '{"':
            yield piece[1:-1], False
        else:
            yield piece, not piece.isdigit()
        pos = _skip_ws(expr, end)
        if pos < len(expr) and expr[pos] == "#":
            pos = _skip_ws(expr, pos + 1)
        elif pos < len(expr):
            return


# =========================================================================== phase 2: the site

_MONTH_MACROS = {
    "jan": "January",
    "feb": "February",
    "mar": "March",
    "apr": "April",
    "may": "May",
    "jun": "June",
    "jul": "July",
    "aug": "August",
    "sep": "September",
    "oct": "October",
    "nov": "November",
    "dec": "December",
}


def papers_from_bib(parsed: Sequence[ParsedBib]) -> BibResult:
    """Resolve macros, duplicate keys and crossrefs across all files; build the papers."""
    diags: list[Diagnostic] = []
    try:
        with gc_paused():
            papers = _Builder(parsed, diags).build()
    except Exception as exc:  # a last resort: this function must never raise
        diags.append(
            error(
                f"could not build papers from the BibTeX files ({type(exc).__name__}: {exc})",
                None,
                "this is a bug in scholarpages; please report it with the files",
                code=_INTERNAL,
            )
        )
        papers = []
    return BibResult(tuple(papers), tuple(diags))


@dataclass(frozen=True, slots=True)
class _Source:
    """A raw entry with the file it came from."""

    entry: RawEntry
    display: str

    def loc(self, line: int | None = None) -> SourceLocation:
        return SourceLocation(self.display, line if line is not None else self.entry.line)


class _Resolved(NamedTuple):
    """A field with macros resolved: still raw TeX."""

    value: str
    line: int
    bare_month: bool = False  # written as a month macro: serialised as ``month = oct``


class _Macros:
    """``@string`` macros of all files; resolved lazily, each once, cycles reported."""

    def __init__(self, parsed: Sequence[ParsedBib], diags: list[Diagnostic]) -> None:
        self.diags = diags
        self.defs: dict[str, tuple[str, SourceLocation]] = {}
        for bib in parsed:
            for name, expr, line in bib.strings:
                self.defs[name] = (expr, SourceLocation(bib.display, line))
        self.values: dict[str, str] = {}
        self.resolving: set[str] = set()

    def resolve(self, expr: str, where: SourceLocation) -> str:
        out: list[str] = []
        for text, is_name in _expression_pieces(expr):
            out.append(self.value(text, where) if is_name else text)
        return "".join(out)

    def value(self, name: str, where: SourceLocation) -> str:
        key = name.lower()
        if key in self.values:
            return self.values[key]
        if key not in self.defs:
            if key in _MONTH_MACROS:
                return _MONTH_MACROS[key]
            self.diags.append(
                warning(
                    f"undefined macro '{name}' is shown as its name",
                    where,
                    f"define it with @string{{{name} = {{...}}}} or put the value in braces",
                )
            )
            return name
        if key in self.resolving:
            self.diags.append(
                error(f"macro '{name}' is defined in terms of itself", self.defs[key][1], "break the cycle")
            )
            return name
        self.resolving.add(key)
        expr, loc = self.defs[key]
        self.values[key] = self.resolve(expr, loc)
        self.resolving.discard(key)
        return self.values[key]


class _Builder:
    def __init__(self, parsed: Sequence[ParsedBib], diags: list[Diagnostic]) -> None:
        self.diags = diags
        self.macros = _Macros(parsed, diags)
        self.sources = self._unique_sources(parsed)
        self.by_key = {s.entry.key.lower(): s for s in self.sources}
        self.resolved: dict[str, dict[str, _Resolved]] = {}
        self.names: dict[str, AuthorRef] = {}  # raw name -> parsed; co-authors repeat across papers

    def _unique_sources(self, parsed: Sequence[ParsedBib]) -> list[_Source]:
        """All entries of all files; a key already seen in another file is an error."""
        first: dict[str, _Source] = {}
        out: list[_Source] = []
        for bib in parsed:
            self.diags.extend(bib.diagnostics)
            for entry in bib.entries:
                source = _Source(entry, bib.display)
                previous = first.get(entry.key.lower())
                if previous is not None:
                    self.diags.append(
                        error(
                            f"duplicate key '{entry.key}'",
                            source.loc(),
                            f"first defined at {previous.loc()}; rename one of them",
                        )
                    )
                    continue
                first[entry.key.lower()] = source
                out.append(source)
        return out

    def build(self) -> list[Paper]:
        containers = self._crossref_containers()
        builders: list[_PaperBuilder] = []
        for source in self.sources:
            if source.entry.entry_type in _SKIPPED_TYPES or source.entry.key.lower() in containers:
                continue
            builder = _PaperBuilder(source, self._with_crossref(source), self.diags, self.names)
            if builder.has_title():
                builders.append(builder)
        texts = _serialise([builder.bibtex_entry() for builder in builders])
        return [builder.build(text) for builder, text in zip(builders, texts, strict=True)]

    def fields_of(self, source: _Source) -> dict[str, _Resolved]:
        """The entry's own fields, macros resolved (cached: a crossref parent is read often)."""
        key = source.entry.key.lower()
        if key not in self.resolved:
            out: dict[str, _Resolved] = {}
            for field in source.entry.fields:
                if field.expr:
                    value = self.macros.resolve(field.value, source.loc(field.line))
                    word = field.value.strip().lower()
                    month = word in _MONTH_MACROS and word not in self.macros.defs
                    out[field.name] = _Resolved(value, field.line, month)
                else:
                    out[field.name] = _Resolved(field.value, field.line)
            self.resolved[key] = out
        return self.resolved[key]

    def _crossref_containers(self) -> set[str]:
        """Keys of @proceedings that other entries crossref: containers, not papers."""
        out: set[str] = set()
        for source in self.sources:
            target = self._crossref_target(source)
            parent = self.by_key.get(target) if target else None
            if parent is not None and parent.entry.entry_type in ("proceedings", "mvproceedings"):
                out.add(target)
        return out

    def _crossref_target(self, source: _Source) -> str:
        for field in source.entry.fields:
            if field.name == "crossref":
                return self.fields_of(source)["crossref"].value.strip().strip("{}").lower()
        return ""

    def _with_crossref(self, source: _Source) -> dict[str, _Resolved]:
        """Own fields plus those inherited from the crossref'd parent (BibTeX semantics)."""
        fields = dict(self.fields_of(source))
        target = self._crossref_target(source)
        if not target:
            return fields
        parent = self.by_key.get(target)
        if parent is None or parent is source:
            self.diags.append(
                warning(
                    f"entry '{source.entry.key}' has crossref '{target}', which is not defined",
                    source.loc(fields["crossref"].line),
                    "add the referenced entry or remove the crossref field",
                )
            )
            return fields
        for name, value in self.fields_of(parent).items():
            if name in _NOT_INHERITED or name.startswith("url_") or name in fields:
                continue
            fields[name] = _Resolved(value.value, fields["crossref"].line, value.bare_month)
        parent_title = self.fields_of(parent).get("title")
        if parent_title and "booktitle" not in fields and parent.entry.entry_type in _CONTAINER_TYPES:
            fields["booktitle"] = _Resolved(parent_title.value, fields["crossref"].line)
        return fields


_NOT_INHERITED = _words(
    "title crossref xref ids key abstract annotation note keywords selected preview award award_name "
    "citations google_scholar_id bibtex_show pdf code github html slides poster video website supp "
    "blog url doi eprint arxiv archiveprefix eprinttype primaryclass eprintclass altmetric dimensions "
    "file pages abbr categories category"
)
_CONTAINER_TYPES = _words(
    "proceedings mvproceedings book mvbook collection mvcollection reference mvreference periodical"
)
_SKIPPED_TYPES = frozenset({"xdata", "set"})
_KNOWN_TYPES = _words(
    "article book booklet conference inbook incollection inproceedings manual mastersthesis misc "
    "phdthesis proceedings techreport unpublished bookinbook collection dataset mvbook mvcollection "
    "mvproceedings mvreference online patent periodical reference inreference report software "
    "suppbook suppcollection suppperiodical thesis artwork audio bibnote commentary image "
    "jurisdiction legislation legal letter movie music performance review standard video electronic "
    "www preprint customa customb customc customd custome customf"
)

# --------------------------------------------------------------------------- one paper

_VERBATIM = _words(
    "url doi eprint file pdf code github html slides poster video website supp blog preview biburl "
    "arxiv urldate isbn issn"
)
_SITE_ONLY = _words(
    "abbr code github selected bibtex_show preview award award_name annotation google_scholar_id "
    "altmetric dimensions citations pdf html slides poster video website supp blog categories "
    "category"
)
# Reference managers' local attachments ("/Users/me/Zotero/storage/..."): private, useless to visitors.
_LOCAL_ONLY = _words("file")
_BIBTEX_ORDER = _word_list(
    "title author editor booktitle journal journaltitle series volume number pages chapter edition "
    "publisher organization institution school address location year month day date note howpublished "
    "type eprint archiveprefix eprinttype primaryclass eprintclass doi url isbn issn keywords "
    "abstract"
)
_BIBTEX_RANK = {name: i for i, name in enumerate(_BIBTEX_ORDER)}
_URL_WRAPPER = re.compile(r"\\(?:url|href|path)\s*\{(.*?)\}(?:\s*\{.*\})?", re.S)
_URL_ESCAPE = re.compile(r"\\([_%#&$~])")
_LINE_BREAK = re.compile(r"\s*\n\s*")
_ARXIV_IN_TEXT = re.compile(
    r"arxiv(?:\.org/(?:abs|pdf)/|\s*:\s*|\s+preprint\s+arxiv\s*:\s*)"
    r"(\d{4}\.\d{4,5}(?:v\d+)?|[a-z\-]+(?:\.[A-Za-z\-]{2,})?/\d{7}(?:v\d+)?)",
    re.IGNORECASE,
)
_ARXIV_ID = re.compile(r"^(?:\d{4}\.\d{4,5}|[a-z\-]+(?:\.[A-Za-z\-]{2,})?/\d{7})(?:v\d+)?$", re.IGNORECASE)
_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
_PREPRINT_VENUE = re.compile(r"^(?:arxiv|corr|preprint|biorxiv|medrxiv|ssrn|techrxiv|chemrxiv)\b", re.I)
_LIST_SPLIT = re.compile(r"\s*[,;]\s*")
_CODE_HOST = re.compile(r"^https?://(?:www\.)?(?:github\.com|gitlab\.com)/", re.IGNORECASE)
_TRUE = frozenset({"true", "yes", "1", "on"})
_KIND_BY_TYPE = {
    **dict.fromkeys(("article", "periodical", "suppperiodical"), "journal"),
    **dict.fromkeys(("inproceedings", "conference", "proceedings", "mvproceedings"), "conference"),
    **dict.fromkeys(
        _words(
            "book mvbook inbook bookinbook incollection collection mvcollection "
            "booklet suppbook suppcollection reference mvreference inreference"
        ),
        "book",
    ),
    **dict.fromkeys(("phdthesis", "mastersthesis", "thesis"), "thesis"),
    **dict.fromkeys(("techreport", "report"), "report"),
}
# (kind, label, fields that may hold it), in the order links are shown.
_LINK_FIELDS = (
    ("code", "Code", ("code", "github", "url_code")),
    ("pdf", "PDF", ("pdf", "url_pdf")),
    ("arxiv", "arXiv", ()),
    ("doi", "DOI", ()),
    ("html", "HTML", ("html",)),
    ("slides", "Slides", ("slides", "url_slides")),
    ("poster", "Poster", ("poster", "url_poster")),
    ("video", "Video", ("video", "url_video")),
    ("website", "Website", ("website", "url_website")),
    ("supp", "Supplement", ("supp", "url_supp")),
    ("blog", "Blog", ("blog", "url_blog")),
)
_LINKED_URL_FIELDS = frozenset(f for _, _, fs in _LINK_FIELDS for f in fs if f.startswith("url_"))


def _verbatim(raw: str) -> str:
    """URL-like fields are not TeX: unwrap ``\\url{}``, unescape ``\\_`` and join broken lines."""
    text = raw.strip()
    m = _URL_WRAPPER.fullmatch(text)
    if m:
        text = m.group(1)
    text = _URL_ESCAPE.sub(r"\1", text)
    if "{" in text or "}" in text:
        text = text.replace("{", "").replace("}", "")
    return _LINE_BREAK.sub("", text).strip()


def _decode_fields(fields: Mapping[str, _Resolved]) -> dict[str, str]:
    decode = latex.decode
    return {
        name: _verbatim(f.value) if name in _VERBATIM or name.startswith("url_") else decode(f.value)
        for name, f in fields.items()
    }


class _PaperBuilder:
    """Builds one Paper from an entry's resolved fields."""

    def __init__(
        self,
        source: _Source,
        fields: dict[str, _Resolved],
        diags: list[Diagnostic],
        name_cache: dict[str, AuthorRef],
    ) -> None:
        self.name_cache = name_cache
        self.source = source
        self.key = source.entry.key
        self.raw = fields
        self.fields = _decode_fields(fields)
        self.diags = diags
        self.type = self._entry_type()

    def loc(self, field: str | None = None) -> SourceLocation:
        f = self.raw.get(field) if field else None
        return self.source.loc(f.line if f else None)

    def warn(self, message: str, field: str | None, hint: str) -> None:
        self.diags.append(warning(message, self.loc(field), hint))

    def get(self, *names: str) -> str:
        """The first of ``names`` that has a value (decoded values are already stripped)."""
        fields = self.fields
        for name in names:
            value = fields.get(name)
            if value:
                return value
        return ""

    def has_title(self) -> bool:
        if self.get("title"):
            return True
        self.warn(f"entry '{self.key}' has no title; it is skipped", None, "add title = {...}")
        return False

    def build(self, bibtex: str) -> Paper:
        entry_type = self.type
        authors, more = self.authors()
        arxiv_id = self.arxiv_id()
        venue, venue_kind = self.venue(entry_type, arxiv_id)
        doi = self.doi()
        return Paper(
            key=self.key,
            entry_type=entry_type,
            title=self.get("title"),
            authors=authors,
            source=self.source.loc(),
            more_authors=more,
            date=self.date(arxiv_id),
            venue=venue,
            venue_kind=venue_kind,
            abstract=self.get("abstract"),
            categories=self.categories(),
            links=self.links(arxiv_id, doi),
            citations=self.citations(),
            selected=self.get("selected").lower() in _TRUE,
            doi=doi,
            arxiv_id=arxiv_id,
            award=self.get("award", "award_name"),
            note=latex.to_plain(self.get("annotation", "note")),
            preview=self.safe_url(self.get("preview"), "preview") or "",
            bibtex=bibtex,
            fields=MappingProxyType(self.fields),
        )

    def _entry_type(self) -> str:
        entry_type = self.source.entry.entry_type
        if entry_type in _KNOWN_TYPES:
            return entry_type
        self.warn(
            f"unknown entry type '@{entry_type}' of '{self.key}' is read as @misc",
            None,
            "use a BibTeX or biblatex type such as @article or @inproceedings",
        )
        return "misc"

    def authors(self) -> tuple[tuple[AuthorRef, ...], bool]:
        field = "author" if self.raw.get("author") and self.raw["author"].value.strip() else "editor"
        raw = self.raw.get(field)
        if raw is None or not raw.value.strip():
            self.warn(
                f"entry '{self.key}' has no author or editor", None, "add author = {First Last and ...}"
            )
            return (), False
        raw_names, more = names.split_authors(raw.value)
        refs: list[AuthorRef] = []
        cache = self.name_cache
        for raw_name in raw_names:
            if raw_name.count(",") > 2 and _top_level_commas(raw_name) > 2:
                self.warn(
                    f"author name '{_short(raw_name)}' in '{self.key}' has too many commas",
                    field,
                    "separate authors with ' and ', not commas",
                )
            ref = cache.get(raw_name)
            if ref is None:  # AuthorRef is immutable, so one instance serves every paper
                ref = cache[raw_name] = AuthorRef(*names.parse_name(raw_name))
            refs.append(ref)
        return tuple(refs), more

    def arxiv_id(self) -> str:
        explicit = self.get("arxiv")
        if explicit:
            return _clean_arxiv(explicit)
        eprint = self.get("eprint")
        prefix = self.get("archiveprefix", "eprinttype").lower()
        if eprint and (prefix == "arxiv" or (not prefix and _ARXIV_ID.match(_clean_arxiv(eprint)))):
            return _clean_arxiv(eprint)
        for name in ("journal", "url", "note", "howpublished", "volume"):
            m = _ARXIV_IN_TEXT.search(self.fields.get(name, ""))
            if m:
                return m.group(1)
        return ""

    def date(self, arxiv_id: str) -> PaperDate:
        date, problems = dates.parse_date(self.fields, arxiv_id)
        for problem in problems:
            first_word = problem.split(" ", 1)[0]
            field = first_word if first_word in self.raw else "date" if "date" in self.raw else None
            self.warn(f"{problem} (entry '{self.key}')", field, "fix the field; only the valid part is used")
        return date

    def venue(self, entry_type: str, arxiv_id: str) -> tuple[str, str]:
        journal = self.get("journal", "journaltitle")
        booktitle = self.get("booktitle")
        if entry_type in ("phdthesis", "mastersthesis", "thesis"):
            venue = journal or booktitle or self.get("school", "institution", "publisher")
        else:
            venue = journal or booktitle or self.get("publisher", "institution", "school", "organization")
        preprint = bool(journal and _PREPRINT_VENUE.match(latex.to_plain(journal))) or (
            bool(arxiv_id)
            and not journal
            and not booktitle
            and _KIND_BY_TYPE.get(entry_type, "journal") in ("journal", "conference")
        )
        if not venue and arxiv_id:
            venue = "arXiv"
        if preprint:
            return venue, "preprint"
        kind = _KIND_BY_TYPE.get(entry_type, "")
        if not kind:
            kind = "journal" if journal else "conference" if booktitle else "other"
        return venue, kind

    def categories(self) -> tuple[str, ...]:
        explicit = self.get("categories", "category")
        if explicit:
            items = _LIST_SPLIT.split(explicit)
        elif self.get("primaryclass", "eprintclass"):
            classes = re.split(r"[\s,;]+", self.get("primaryclass", "eprintclass"))
            items = [c.rsplit(".", 1)[-1] for c in classes]
        elif self.get("keywords"):
            items = _LIST_SPLIT.split(self.get("keywords"))[:3]
        else:
            items = [self.get("abbr")]
        plain = (latex.to_plain(item).strip() for item in items)
        return tuple(dict.fromkeys(item for item in plain if item))

    def doi(self) -> str:
        doi = _DOI_PREFIX.sub("", self.get("doi")).strip()
        if not doi:
            url = self.get("url")
            return _DOI_PREFIX.sub("", url) if _DOI_PREFIX.match(url) and "doi.org" in url.lower() else ""
        if not doi.startswith("10."):
            self.warn(f"doi '{_short(doi)}' of '{self.key}' is not a DOI", "doi", "a DOI starts with 10.")
        return doi

    def links(self, arxiv_id: str, doi: str) -> tuple[Link, ...]:
        out: list[Link] = []
        seen: set[str] = set()
        url = self.get("url")
        url_is_code = bool(_CODE_HOST.match(url))

        def add(kind: str, label: str, value: str, field: str | None) -> None:
            safe = self.safe_url(value, field) if field else value
            if safe and _url_identity(safe) not in seen:
                seen.add(_url_identity(safe))
                out.append(Link(kind, label, safe))

        present = dict.fromkeys(name for name, value in self.fields.items() if value)  # ordered
        for kind, label, field_names in _LINK_FIELDS:
            field = next((f for f in field_names if f in present and self.get(f)), None)
            if kind == "code" and field is None and url_is_code:
                field = "url"
            if kind == "html" and field is None and url and not url_is_code:
                field = "url"
            if field is not None:
                add(kind, label, self.get(field), field)
            elif kind == "arxiv" and arxiv_id:
                add(kind, label, f"https://arxiv.org/abs/{quote(arxiv_id, safe='/.')}", None)
            elif kind == "doi" and doi.startswith("10."):
                add(kind, label, f"https://doi.org/{quote(doi, safe='/:;()._-+[]')}", None)
        for name in present:
            if name.startswith("url_") and name not in _LINKED_URL_FIELDS and self.get(name):
                label = name[4:].replace("_", " ").strip()
                add(name[4:].lower(), label[:1].upper() + label[1:], self.get(name), name)
        return tuple(out)

    def safe_url(self, url: str, field: str) -> str | None:
        """The URL if it is http(s), mailto or relative; otherwise None, with a warning."""
        safe = safeurl.safe_url(url)
        if safe is None and url.strip():
            scheme = safeurl.scheme_of(url) or "malformed"
            self.warn(
                f"{field} of '{self.key}' is a {scheme}: URL; it is not linked",
                field,
                "use an http(s) URL or a path relative to the site",
            )
        return safe

    def citations(self) -> int | None:
        raw = self.get("citations")
        if not raw:
            return None
        digits = re.sub(r"[,\s_'’\u00a0]", "", raw)
        if digits.isdigit() and digits.isascii():
            return int(digits)
        self.warn(
            f"citations '{_short(raw)}' of '{self.key}' is not a number", "citations", "write e.g. 1234"
        )
        return None

    def bibtex_entry(self) -> bp.Entry:
        """The entry for visitors to copy: macros and crossref resolved, site-only
        fields removed, fields in a fixed order."""
        kept = [
            (name, f)
            for name, f in self.raw.items()
            if name not in _SITE_ONLY
            and name not in _LOCAL_ONLY
            and not name.startswith("url_")
            and name != "crossref"
        ]
        kept.sort(key=lambda item: _BIBTEX_RANK.get(item[0], len(_BIBTEX_RANK)))
        return bp.Entry(self.type, self.key, [bp.Field(name, _bibtex_value(f)) for name, f in kept])


_ENTRY_SEPARATOR = "\n%% scholarpages: next entry %%\n"


def _serialise(entries: list[bp.Entry]) -> list[str]:
    """bibtexparser's writer, run once for all entries (far cheaper than once each)."""
    fmt = BibtexFormat()  # type: ignore[no-untyped-call]
    fmt.indent = "  "
    fmt.value_column = 16
    fmt.block_separator = _ENTRY_SEPARATOR
    texts = _write(entries, fmt).split(_ENTRY_SEPARATOR) if entries else []
    if len(texts) != len(entries):  # a value contained the separator: write one by one
        texts = [_write([entry], fmt) for entry in entries]
    return [text.strip() + "\n" for text in texts]


def _write(entries: list[bp.Entry], fmt: BibtexFormat) -> str:
    library = Library(list(entries), fail_on_duplicate_key=False)
    return write_string(library, unparse_stack=[], bibtex_format=fmt)


def _bibtex_value(field: _Resolved) -> str:
    if field.bare_month:
        return field.value[:3].lower()
    text = field.value
    if "\n" in text or "\t" in text or "  " in text:
        text = " ".join(text.split())
    if ("{" in text or "}" in text) and _closing_brace("{" + text + "}", 0) != len(text) + 1:
        text = text.replace("{", "").replace("}", "")
    if (len(text) - len(text.rstrip("\\"))) % 2:
        text = text[:-1]  # a lone trailing backslash would escape the closing brace
    return "{" + text + "}"


def _url_identity(url: str) -> str:
    return url.split("://", 1)[-1].rstrip("/").lower()


def _clean_arxiv(text: str) -> str:
    text = text.strip()
    m = _ARXIV_IN_TEXT.search(text)
    if m:
        return m.group(1)
    return re.sub(r"^arxiv:\s*", "", text, flags=re.IGNORECASE)


def _top_level_commas(name: str) -> int:
    depth = 0
    commas = 0
    for char in name:
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif char == "," and depth == 0:
            commas += 1
    return commas
