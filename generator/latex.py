"""LaTeX in BibTeX fields: decoding to Unicode, and rendering for HTML or plain text.

:func:`decode` turns a field value into "light TeX": Unicode text in which only
inline math (``$...$``), a few formatting commands (``\\emph{..}``, ``\\textbf{..}``,
...) and four escapes survive. The escapes keep light TeX unambiguous: ``\\$``,
``\\{``, ``\\}`` and ``\\\\`` stand for a literal dollar, brace and backslash, so a
price such as ``\\$5`` is never mistaken for the start of math. :func:`to_plain` and
:func:`to_html` are the only readers of light TeX; both undo those escapes.

Decoding is a hand-written scanner rather than pylatexenc's full LaTeX walker:
most field values need nothing (fast path) and the rest only need accents and
braces, which is 40x cheaper than a general LaTeX parse.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from xml.etree.ElementTree import Element

# --------------------------------------------------------------------------- decode

_WS = re.compile(r"[ \t\n\r\f\v]+")
# Tokens start at one of a few characters: find those with a plain character class
# (fast), then match the token there; an alternation regex would try every position.
_TOKEN_START = re.compile(r"[\\$}{~\-`']")
_TOKEN = re.compile(r"\\(?:[A-Za-z]+|[^A-Za-z])|\$\$|[{}$~]|---?|``|''")
_LEADING_WS = re.compile(r"^[ \t\n\r\f\v]+")

NBSP = "\u00a0"


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_COMBINING = {
    "'": "\u0301",
    "`": "\u0300",
    "^": "\u0302",
    '"': "\u0308",
    "~": "\u0303",
    "=": "\u0304",
    ".": "\u0307",
    "u": "\u0306",
    "v": "\u030c",
    "H": "\u030b",
    "c": "\u0327",
    "d": "\u0323",
    "b": "\u0331",
    "k": "\u0328",
    "r": "\u030a",
    "t": "\u0361",
}
# What an accent with an empty argument prints (``\~{}`` is a common way to write "~").
_SPACING_ACCENT = {
    "'": "´",
    "`": "`",
    "^": "^",
    '"': "¨",
    "~": "~",
    "=": "¯",
    ".": "˙",
    "u": "˘",
    "v": "ˇ",
    "H": "˝",
    "c": "¸",
    "k": "˛",
    "r": "˚",
}

_SYMBOLS = {
    "ss": "ß",
    "SS": "SS",
    "ae": "æ",
    "AE": "Æ",
    "oe": "œ",
    "OE": "Œ",
    "o": "ø",
    "O": "Ø",
    "aa": "å",
    "AA": "Å",
    "l": "ł",
    "L": "Ł",
    "i": "ı",
    "j": "ȷ",
    "dh": "ð",
    "DH": "Ð",
    "th": "þ",
    "TH": "Þ",
    "ng": "ŋ",
    "NG": "Ŋ",
    "dj": "đ",
    "DJ": "Đ",
    "dag": "†",
    "ddag": "‡",
    "textdagger": "†",
    "textdaggerdbl": "‡",
    "S": "§",
    "P": "¶",
    "textsection": "§",
    "textparagraph": "¶",
    "copyright": "©",
    "textcopyright": "©",
    "textregistered": "®",
    "texttrademark": "™",
    "textdegree": "°",
    "ldots": "…",
    "dots": "…",
    "textellipsis": "…",
    "textendash": "–",
    "textemdash": "—",
    "textquoteleft": "‘",
    "textquoteright": "’",
    "textquotedblleft": "“",
    "textquotedblright": "”",
    "guillemotleft": "«",
    "guillemotright": "»",
    "guillemetleft": "«",
    "guillemetright": "»",
    "euro": "€",
    "texteuro": "€",
    "pounds": "£",
    "textsterling": "£",
    "textasciitilde": "~",
    "textasciicircum": "^",
    "textunderscore": "_",
    "textbar": "|",
    "textless": "<",
    "textgreater": ">",
    "textbullet": "•",
    "textbackslash": "\\\\",
    "textdollar": "\\$",
    "textbraceleft": "\\{",
    "textbraceright": "\\}",
    "LaTeX": "LaTeX",
    "LaTeXe": "LaTeX2ε",
    "TeX": "TeX",
    "BibTeX": "BibTeX",
    "relax": "",
    "protect": "",
    "noindent": "",
    "unskip": "",
    "par": " ",
    "newline": " ",
    "linebreak": " ",
    "quad": " ",
    "qquad": " ",
    "space": " ",
    "enspace": " ",
    "thinspace": " ",
    "nobreakspace": NBSP,
}
_CONTROL_SYMBOLS = {
    "&": "&",
    "%": "%",
    "#": "#",
    "_": "_",
    "$": "\\$",
    "{": "\\{",
    "}": "\\}",
    " ": " ",
    "\n": " ",
    "\t": " ",
    ",": " ",
    ";": " ",
    ":": " ",
    "!": "",
    "-": "",
    "/": "",
    "@": "",
    "\\": " ",
    "|": "|",
}
KEPT_COMMANDS = frozenset({"emph", "textit", "textbf", "texttt", "textsc", "underline"})
_ALIASED_COMMANDS = {
    "textsl": "textit",
    "textmd": "",
    "textup": "",
    "textrm": "",
    "textsf": "",
    "textnormal": "",
}
_DECLARATIONS = {
    "em": "emph",
    "it": "textit",
    "itshape": "textit",
    "sl": "textit",
    "slshape": "textit",
    "bf": "textbf",
    "bfseries": "textbf",
    "tt": "texttt",
    "ttfamily": "texttt",
    "sc": "textsc",
    "scshape": "textsc",
    "rm": "",
    "sf": "",
    "normalfont": "",
    "upshape": "",
    "mdseries": "",
    "rmfamily": "",
    "sffamily": "",
}
# Commands whose first argument is not text (a colour, a language, a target).
_DROP_FIRST_ARG = frozenset({"textcolor", "colorbox", "foreignlanguage", "hyperlink", "href"})
_URL_ESCAPE = re.compile(r"\\([_%#&$~])")  # \url{a\_b} is a_b
_MAX_DEPTH = 64
_MATH_CLOSERS = {"$": "$", "$$": "$$", "\\(": "\\)", "\\[": "\\]"}
# latex2mathml expands macro definitions: a few nested \def's would blow up exponentially.
_FORBIDDEN_MATH = re.compile(r"\\(?:def|newcommand|renewcommand|providecommand|let|[gex]def)(?![A-Za-z])")


def decode(raw: str) -> str:
    """A BibTeX field value -> "light TeX" (Unicode text; $math$ and \\emph{..} kept)."""
    if not _needs_decoding(raw):
        return _collapse(raw)
    text = raw
    if "$" not in raw and "\\(" not in raw and "\\[" not in raw:
        # Outside math, the common cases (accented letters, protective braces) are
        # plain substitutions; only what remains needs the token-by-token decoder.
        if "\\" in text:
            text = _SIMPLE_ACCENT.sub(_simple_accent, text)
        for _ in range(8):
            text, count = _PROTECTED.subn(_unprotect, text)
            if not count:
                break
        if not _needs_decoding(text):
            return _collapse(text)
    return _collapse(_Decoder(text).run())


def _needs_decoding(text: str) -> bool:
    """Whether ``text`` has anything :func:`decode` changes besides whitespace."""
    return (
        "\\" in text
        or "{" in text
        or "}" in text
        or "$" in text
        or "~" in text
        or "--" in text
        or "``" in text
        or "''" in text
    )


def _tokenize(raw: str) -> list[str]:
    """Text runs at even indexes, tokens at odd ones (like re.split with one group)."""
    items: list[str] = []
    last = 0
    for start in _TOKEN_START.finditer(raw):
        pos = start.start()
        if pos < last:
            continue
        token = _TOKEN.match(raw, pos)
        if token is None:
            continue
        items.append(raw[last:pos])
        items.append(token.group())
        last = token.end()
    items.append(raw[last:])
    return items


def _collapse(text: str) -> str:
    """Whitespace runs -> one space; a no-break space is content and stays."""
    if "  " in text or "\n" in text or "\t" in text or "\r" in text or "\f" in text or "\v" in text:
        text = _WS.sub(" ", text)
    return text.strip(" ")


def _escape_light(text: str) -> str:
    """Literal text -> light TeX, escaping the characters light TeX gives a meaning to."""
    if not any(c in text for c in "\\{}$"):
        return text
    return text.replace("\\", "\\\\").replace("{", "\\{").replace("}", "\\}").replace("$", "\\$")


def _accent(mark: str, text: str) -> str:
    """Put the combining ``mark`` on the first letter of ``text`` (``\\"{\\i}`` -> ï)."""
    if not text:
        return _SPACING_ACCENT.get(mark, "")
    first = {"ı": "i", "ȷ": "j"}.get(text[0], text[0])
    if not first.isalpha():
        return text
    return unicodedata.normalize("NFC", first + _COMBINING[mark]) + text[1:]


# ``{\\"u}``, ``\\"{u}``, ``\\'e``, ``\\c{c}``, ``\\v s``, ``\\'{\\i}``: one accent on one letter.
_ACCENT_LETTER = r"(?:\{\s*([A-Za-z]|\\[ij](?![A-Za-z]))\s*\}|([A-Za-z]|\\[ij](?![A-Za-z])))"
_ACCENT_BODY = (
    rf"""(?<!\\)\\(?:([\"'`^~=.])\s*{_ACCENT_LETTER}|([cvuHkrdb])(?:\{{\s*([A-Za-z])\s*\}}|\s+([A-Za-z])))"""
)
_SIMPLE_ACCENT = re.compile(rf"\{{{_ACCENT_BODY}\}}|{_ACCENT_BODY}")
# A brace group without commands, math or nested braces; the first branch matches
# (and keeps) a command with its argument, so that argument is never unwrapped.
_PROTECTED = re.compile(r"\\(?:[A-Za-z]+|[^A-Za-z])\s*\{[^{}\\$]*\}|\{([^{}\\$]*)\}")
_ACCENTED = {
    (mark, letter): _accent(mark, letter)
    for mark in _COMBINING
    for letter in "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZıȷ"
}


def _accent_spellings() -> dict[str, str]:
    """The usual spellings of every simple accent (``{\\"u}``, ``\\"{u}``, ``\\"u``,
    ``{\\"{u}}``), precomputed so most matches are one dict lookup."""
    table: dict[str, str] = {}
    for (mark, letter), accented in _ACCENTED.items():
        if letter in "ıȷ":
            letter = "\\" + {"ı": "i", "ȷ": "j"}[letter]
        elif not mark.isalpha():
            table["\\" + mark + letter] = accented
        table["\\" + mark + "{" + letter + "}"] = accented
        table["{\\" + mark + "{" + letter + "}}"] = accented
        if not mark.isalpha() and not letter.startswith("\\"):
            table["{\\" + mark + letter + "}"] = accented
    return table


_ACCENT_SPELLINGS = _accent_spellings()


def _simple_accent(m: re.Match[str]) -> str:
    known = _ACCENT_SPELLINGS.get(m.group())
    if known is not None:
        return known
    groups = [g for g in m.groups() if g]
    mark, letter = groups[0], groups[1]
    letter = {"\\i": "ı", "\\j": "ȷ"}.get(letter, letter)
    return _ACCENTED[(mark, letter)]


def _unprotect(m: re.Match[str]) -> str:
    """``{BERT}`` -> ``BERT``; a command's argument (``\\emph{x}``) is left alone."""
    inner = m.group(1)
    return m.group(0) if inner is None else inner


@cache
def _pylatexenc_symbol(name: str) -> str:
    """The text of an argument-less macro pylatexenc knows (``\\textohm`` -> Ω), else ""."""
    from pylatexenc.latex2text import get_default_latex_context_db

    spec = get_default_latex_context_db().get_macro_spec(name)
    repl = getattr(spec, "simplify_repl", None) if getattr(spec, "macroname", None) == name else None
    if isinstance(repl, str) and "%" not in repl and "<" not in repl:
        return _escape_light(repl)
    return ""


class _Decoder:
    """One pass over the tokens of one value; an instance per call, so no shared state."""

    def __init__(self, raw: str) -> None:
        # Even indexes are text runs, odd indexes are tokens (re.split with one group).
        self.items = _tokenize(raw)
        self.pos = 0
        self.depth = 0  # group nesting, bounded so hostile input cannot exhaust the stack
        self.unclosed: set[str] = set()  # math closers known to be absent from here on

    def run(self) -> str:
        return self.seq(in_group=False)

    def seq(self, in_group: bool) -> str:
        """Decode up to the ``}`` closing the current group (or the end)."""
        out: list[str] = []
        items = self.items
        while self.pos < len(items):
            item = items[self.pos]
            if self.pos % 2 == 0:
                out.append(item)
                self.pos += 1
                continue
            self.pos += 1
            if item == "}":
                if in_group:
                    break
                continue
            if item.startswith("\\") and item[1:] in _DECLARATIONS:
                self.skip_space()
                rest = self.seq(in_group)
                out.append(_wrap(_DECLARATIONS[item[1:]], rest))
                return "".join(out)
            out.append(self.token(item))
        return "".join(out)

    def token(self, item: str) -> str:
        if item == "{":
            if self.depth >= _MAX_DEPTH:
                return ""  # flatten: the text stays, only the grouping is lost
            self.depth += 1
            text = self.seq(in_group=True)
            self.depth -= 1
            return text
        if item in _MATH_CLOSERS:
            return self.math(item)
        if item.startswith("\\"):
            return self.command(item[1:])
        return {"~": NBSP, "--": "–", "---": "—", "``": "“", "''": "”"}.get(item, "")

    def math(self, opener: str) -> str:
        """``$..$``, ``$$..$$``, ``\\(..\\)``, ``\\[..\\]`` -> ``$..$`` kept verbatim."""
        closer = _MATH_CLOSERS[opener]
        if closer not in self.unclosed:
            for end in range(self.pos, len(self.items)):
                if end % 2 == 1 and self.items[end] == closer:
                    src = _collapse("".join(self.items[self.pos : end]))
                    self.pos = end + 1
                    return f"${src}$" if src else ""
            self.unclosed.add(closer)  # no later opener of this kind can be closed either
        return _escape_light(opener) if opener.startswith("$") else ""

    def skip_space(self) -> None:
        if self.pos < len(self.items) and self.pos % 2 == 0:
            self.items[self.pos] = _LEADING_WS.sub("", self.items[self.pos])

    def next_is_group(self) -> bool:
        """Whether the next token (after spaces) opens a ``{`` group."""
        self.skip_space()
        pos = self.pos
        if pos % 2 == 0 and pos < len(self.items) and not self.items[pos]:
            pos += 1
        return pos < len(self.items) and pos % 2 == 1 and self.items[pos] == "{"

    def arg(self) -> str:
        """One decoded argument: a ``{group}``, a single character, or one command."""
        self.skip_space()
        items = self.items
        while self.pos < len(items):
            item = items[self.pos]
            if self.pos % 2 == 0:
                if item:
                    items[self.pos] = item[1:]
                    return item[0]
                self.pos += 1
                continue
            self.pos += 1
            if item == "}":
                self.pos -= 1
                return ""
            return self.token(item)
        return ""

    def raw_arg(self) -> str:
        """The undecoded text of the next ``{group}`` (for \\url), or ""."""
        if not self.next_is_group():
            return ""
        if self.pos % 2 == 0:
            self.pos += 1
        self.pos += 1
        depth = 1
        out: list[str] = []
        while self.pos < len(self.items):
            item = self.items[self.pos]
            if self.pos % 2 == 1:
                depth += {"{": 1, "}": -1}.get(item, 0)
                if depth == 0:
                    self.pos += 1
                    break
            out.append(item)
            self.pos += 1
        return "".join(out)

    def command(self, name: str) -> str:
        if not name.isalpha():
            if name in _COMBINING:
                return _accent(name, self.arg())
            if "\\" + name in _MATH_CLOSERS:
                return self.math("\\" + name)
            return _CONTROL_SYMBOLS.get(name, name)
        self.skip_space()
        return self.word_command(name)

    def word_command(self, name: str) -> str:
        if name in _COMBINING:
            return _accent(name, self.arg())
        if name in _SYMBOLS:
            return _SYMBOLS[name]
        if name in KEPT_COMMANDS or name in _ALIASED_COMMANDS:
            kept = _ALIASED_COMMANDS.get(name, name)
            return _wrap(kept, self.arg() if self.next_is_group() else "")
        if name in ("url", "doi", "nolinkurl"):
            return _escape_light(_URL_ESCAPE.sub(r"\1", _collapse(self.raw_arg())))
        if name == "ensuremath":
            src = _collapse(self.raw_arg())
            return f"${src}$" if src else ""
        if name in _DROP_FIRST_ARG:
            self.raw_arg()
        if self.next_is_group():
            return self.arg()
        return _pylatexenc_symbol(name)


def _wrap(command: str, text: str) -> str:
    if not command or not text.strip():
        return text
    return f"\\{command}{{{text}}}"


# --------------------------------------------------------------------------- light TeX reader

_LIGHT_SPECIAL = re.compile(r"[\\$}]")
_LIGHT = re.compile(r"\\(emph|textit|textbf|texttt|textsc|underline)\{|\\([$\\{}])|(\$)|(\})")
_MATH_END = re.compile(r"(?:[^\\$]|\\.)*\$", re.S)


@dataclass(frozen=True, slots=True)
class _Math:
    src: str


@dataclass(frozen=True, slots=True)
class _Format:
    command: str
    children: list[_Node]


_Node = str | _Math | _Format


def _parse_light(light: str) -> list[_Node]:
    """Light TeX -> a small tree of text, math and formatting nodes; never fails."""
    root: list[_Node] = []
    stack = [root]
    pos = 0
    while (m := _LIGHT.search(light, pos)) is not None:
        current = stack[-1]
        if m.start() > pos:
            current.append(light[pos : m.start()])
        pos = m.end()
        if m.group(1):
            if len(stack) > _MAX_DEPTH:  # too deep: keep the text, drop this formatting
                stack.append(current)
                continue
            children: list[_Node] = []
            current.append(_Format(m.group(1), children))
            stack.append(children)
        elif m.group(2):
            current.append(m.group(2))
        elif m.group(3):
            end = _MATH_END.match(light, pos)
            if end is None:
                current.append("$")
            else:
                current.append(_Math(light[pos : end.end() - 1]))
                pos = end.end()
        elif len(stack) > 1:
            stack.pop()
        else:
            current.append("}")
    if pos < len(light):
        stack[-1].append(light[pos:])
    return root


# --------------------------------------------------------------------------- plain text


def to_plain(light: str) -> str:
    """Light TeX -> plain text for meta tags, feeds and sorting."""
    if _LIGHT_SPECIAL.search(light) is None:
        return light
    return _collapse(_plain_nodes(_parse_light(light)))


def _plain_nodes(nodes: list[_Node]) -> str:
    out: list[str] = []
    for node in nodes:
        if isinstance(node, str):
            out.append(node)
        elif isinstance(node, _Math):
            out.append(math_to_plain(node.src))
        else:
            out.append(_plain_nodes(node.children))
    return "".join(out)


_MATH_TOKEN = re.compile(r"\\[A-Za-z]+|\\.|\s+|.", re.S)
_SUPERSCRIPTS = dict(zip("0123456789+-=()niT*⊤", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱᵀ*ᵀ", strict=True))
_SUBSCRIPTS = dict(zip("0123456789+-=()aeoxhklmnpstijruv", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₒₓₕₖₗₘₙₚₛₜᵢⱼᵣᵤᵥ", strict=True))
_MATH_SYMBOLS = {
    "sim": "∼",
    "cdot": "·",
    "times": "×",
    "prime": "′",
    "colon": ":",
    "{": "{",
    "}": "}",
    "%": "%",
    "$": "$",
    "&": "&",
    "#": "#",
    "_": "_",
    ",": " ",
    ";": " ",
    ":": " ",
    " ": " ",
    "!": "",
    "quad": " ",
    "qquad": " ",
    "left": "",
    "right": "",
    "bigl": "",
    "bigr": "",
    "big": "",
    "Big": "",
}
_MATH_WORDS = _words(
    "log ln exp sin cos tan sec csc cot sinh cosh tanh arcsin arccos arctan max min sup inf lim det "
    "dim ker deg gcd arg Pr mod bmod"
)
_MATH_WRAPPERS = _words(
    "mathrm mathbf mathit mathsf mathtt mathnormal text textrm textbf textit textsf texttt "
    "operatorname boldsymbol bm mbox emph"
)
_BLACKBOARD = dict(zip("RNZQCPEH", "ℝℕℤℚℂℙ𝔼ℍ", strict=True))


class _NotSimple(Exception):
    """Math too complex for a Unicode rendering; the TeX source is shown instead."""


def math_to_plain(src: str) -> str:
    """Simple math -> Unicode (``2\\times`` -> 2×, ``x^2`` -> x²); otherwise the TeX source."""
    tokens = _MATH_TOKEN.findall(src)
    tokens.reverse()
    try:
        out = _math_seq(tokens, until="")
    except (_NotSimple, IndexError, RecursionError):
        return _collapse(src)
    if tokens:
        return _collapse(src)
    return _collapse(out)


def _math_seq(tokens: list[str], until: str) -> str:
    """Unicode for tokens (reversed, consumed from the end) up to ``until``."""
    out: list[str] = []
    while tokens:
        tok = tokens.pop()
        if tok == until:
            return "".join(out)
        if tok in ("^", "_"):
            table = _SUPERSCRIPTS if tok == "^" else _SUBSCRIPTS
            out.append(_script(_math_atom(tokens), table))
        else:
            out.append(_math_token(tok, tokens))
    if until:
        raise _NotSimple
    return "".join(out)


def _math_atom(tokens: list[str]) -> str:
    while tokens and tokens[-1].isspace():
        tokens.pop()
    tok = tokens.pop()
    if tok in ("^", "_", "}"):
        raise _NotSimple
    return _math_token(tok, tokens)


def _math_token(tok: str, tokens: list[str]) -> str:
    if tok == "{":
        return _math_seq(tokens, until="}")
    if tok == "}":
        raise _NotSimple
    if tok.isspace():
        return " "
    if tok == "~":
        return " "
    if not tok.startswith("\\"):
        return tok
    return _math_command(tok[1:], tokens)


def _math_command(name: str, tokens: list[str]) -> str:
    if name in _MATH_SYMBOLS:
        return _MATH_SYMBOLS[name]
    if name in _MATH_WORDS:
        return name
    if name in _MATH_WRAPPERS:
        return _math_atom(tokens)
    if name == "mathbb":
        text = _math_atom(tokens)
        if all(c in _BLACKBOARD for c in text):
            return "".join(_BLACKBOARD[c] for c in text)
        raise _NotSimple
    from latex2mathml.symbols_parser import convert_symbol

    code = convert_symbol("\\" + name)
    if code is None:
        raise _NotSimple
    return chr(int(code, 16))


def _script(text: str, table: dict[str, str]) -> str:
    if len(text) == 1 and text in "*′†":
        return text
    if not text or any(c not in table for c in text):
        raise _NotSimple
    return "".join(table[c] for c in text)


# --------------------------------------------------------------------------- HTML

_TAGS = {
    "emph": ("<em>", "</em>"),
    "textit": ("<em>", "</em>"),
    "textbf": ("<strong>", "</strong>"),
    "texttt": ("<code>", "</code>"),
    "textsc": ('<span class="smallcaps">', "</span>"),
    "underline": ("<u>", "</u>"),
}
MATHML_NS = "http://www.w3.org/1998/Math/MathML"
MATHML_ELEMENTS = _words(
    "math semantics annotation mrow mi mn mo ms mtext mspace msup msub msubsup mfrac msqrt mroot "
    "mover munder munderover mstyle mtable mtr mtd mlabeledtr mpadded mphantom menclose merror "
    "mmultiscripts mprescripts none maction"
)
MATHML_ATTRIBUTES = _words(
    "display mathvariant stretchy fence separator lspace rspace minsize maxsize symmetric "
    "movablelimits largeop accent accentunder linethickness displaystyle scriptlevel columnalign "
    "columnlines columnspacing rowalign rowlines rowspacing frame framespacing width height depth "
    "voffset notation form mathsize columnspan rowspan equalrows equalcolumns align"
)
_ENTITY = re.compile(r"&#x([0-9A-Fa-f]{1,6});")
_HTML_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff]")
_MAX_MATH = 2000


def to_html(light: str) -> str:
    """Light TeX -> safe HTML (escaped text, <em>/<strong>/<code>, MathML for math)."""
    if _LIGHT_SPECIAL.search(light) is None:
        return _escape(light)
    return _html_nodes(_parse_light(light))


def _escape(text: str) -> str:
    """HTML-escaped text without the control characters HTML forbids."""
    return html.escape(_HTML_CONTROL.sub("", text))


def _html_nodes(nodes: list[_Node]) -> str:
    out: list[str] = []
    for node in nodes:
        if isinstance(node, str):
            out.append(_escape(node))
        elif isinstance(node, _Math):
            out.append(math_to_html(node.src))
        else:
            start, end = _TAGS[node.command]
            out.append(f"{start}{_html_nodes(node.children)}{end}")
    return "".join(out)


def math_to_html(src: str) -> str:
    """TeX math -> inline MathML with the source as annotation, or ``<code>`` if it cannot.

    latex2mathml's string output un-escapes ``&lt;`` (``\\text{<b>}`` would become
    markup) and passes ``\\href`` and ``\\style`` through, so its element tree is
    re-serialised here against an allowlist of MathML elements and attributes.
    """
    fallback = f'<code class="tex">${_escape(src)}$</code>'
    if len(src) > _MAX_MATH or _FORBIDDEN_MATH.search(src):
        return fallback
    try:
        from latex2mathml.converter import convert_to_element

        root = convert_to_element(src, display="inline")
        body = "".join(_mathml(child, in_row=True) for child in root)
    except Exception:  # latex2mathml raises many types on malformed TeX; any of them means "cannot"
        return fallback
    if len(root) != 1:
        body = f"<mrow>{body}</mrow>"
    return (
        f'<math xmlns="{MATHML_NS}" display="inline"><semantics>{body}'
        f'<annotation encoding="application/x-tex">{_escape(src)}</annotation></semantics></math>'
    )


class _UnsafeMathML(Exception):
    """latex2mathml produced an element outside the allowlist."""


# Operator names that TeX sets upright with a thin space before their argument.
_FUNCTION_NAMES = _words(
    "arccos arcsin arctan arg cos cosh cot coth csc deg det dim exp gcd hom inf ker lg lim ln log "
    "max min Pr sec sin sinh sup tan tanh"
)
# latex2mathml spells a few relations as identifiers; they are operators with their own glyphs.
_OPERATOR_FIXES = {"~": "\u223c"}
_APPLY_FUNCTION = '<mo>\u2061</mo><mspace width="0.1667em"></mspace>'


# Elements whose children are positional arguments (base, script, numerator ...):
# inserting a sibling there would change the meaning and is invalid MathML.
_FIXED_ARITY = _words("mfrac mroot msub msup msubsup munder mover munderover mmultiscripts")


def _mathml(element: Element, in_row: bool) -> str:
    tag = element.tag
    if not isinstance(tag, str) or tag not in MATHML_ELEMENTS or tag in ("math", "semantics", "annotation"):
        raise _UnsafeMathML(str(tag))
    text = _entities(element.text or "")
    if tag == "mi" and text in _OPERATOR_FIXES and not len(element):
        return f"<mo>{_OPERATOR_FIXES[text]}</mo>" + _escape(_entities(element.tail or ""))
    if tag == "mi" and text in _FUNCTION_NAMES and not len(element) and in_row:
        return f"<mi>{text}</mi>{_APPLY_FUNCTION}" + _escape(_entities(element.tail or ""))
    attrs = "".join(
        f' {name}="{_escape(_entities(str(value)))}"'
        for name, value in element.attrib.items()
        if name in MATHML_ATTRIBUTES
    )
    row = tag not in _FIXED_ARITY
    inner = _escape(_entities(element.text or "")) + "".join(_mathml(child, row) for child in element)
    tail = _escape(_entities(element.tail or ""))
    applied = in_row and tag in ("msub", "msup", "msubsup") and _is_function(element)
    return f"<{tag}{attrs}>{inner}</{tag}>{_APPLY_FUNCTION if applied else ''}{tail}"


def _is_function(element: Element) -> bool:
    """``\\log_2`` is an msub whose base is an operator name."""
    base = element[0] if len(element) else None
    return base is not None and base.tag == "mi" and _entities(base.text or "") in _FUNCTION_NAMES


def _entities(text: str) -> str:
    """latex2mathml writes symbols as ``&#x...;`` text; turn them into characters."""
    if "&#x" not in text:
        return text
    return _ENTITY.sub(lambda m: _char(int(m.group(1), 16)), text)


def _char(code: int) -> str:
    if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return "\ufffd"
    return chr(code)
