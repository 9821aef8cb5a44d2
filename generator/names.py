"""Person names in BibTeX author lists, and matching them against profiles.

Splitting follows BibTeX's rules (``and`` at brace depth 0; ``First von Last``,
``von Last, First``, ``von Last, Jr, First``; a brace-protected name is one
word) so that corporate names and particles come out as BibTeX would show them.
Matching is deliberately conservative: when two profiles fit a name equally
well, no profile gets the paper rather than the wrong one.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from generator import latex
from generator.model import PersonName

_AND = re.compile(r"(?<!\S)and(?!\S)", re.IGNORECASE)  # "and" as a word of its own
_AND_OR_BRACE = re.compile(r"(?<!\\)[{}]|(?<!\S)and(?!\S)", re.IGNORECASE)
_ET_AL = re.compile(r"(?:^|\s+)(?:et\.?\s*al\.?|others)$", re.IGNORECASE)
_TIE = re.compile(r"(?<!\\)~")
_WS = re.compile(r"\s+")
# Anything latex.decode would change (besides spaces), or a mark: plain names skip both.
_NAME_SPECIAL = re.compile(r"[\\{}$~*†‡§^]|-(?=-)|`(?=`)|'(?=')")
_PROTECTED_GROUP = re.compile(r"\{(?!\\)[^{}]*\}")
_JR = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"})

_MARK = re.compile(
    r"""
      \$\s*\^\s*\{?\s*(?P<sup>\*|\\ast|\\star|\\dagger|\\dag|\\ddagger|\\ddag|\\S|\\sharp|\\\#|\#)\s*\}?\s*\$
    | \$\s*(?P<math>\*|\\ast|\\star|\\dagger|\\ddagger)\s*\$
    | \\textsuperscript\s*\{\s*(?P<textsup>[^{}]*)\}
    | \^\s*\{?\s*(?P<caret>\*|\\dagger|\\ddagger)\s*\}?
    | \\(?P<cmd>dag|ddag|textdagger|textdaggerdbl|textsection|S)(?![A-Za-z])(?:\s*\{\})?
    | (?P<char>[*†‡§])
    """,
    re.VERBOSE,
)
_MARK_CHARS = {
    "*": "*",
    "\\ast": "*",
    "\\star": "*",
    "\\dagger": "†",
    "\\dag": "†",
    "dag": "†",
    "textdagger": "†",
    "†": "†",
    "\\ddagger": "‡",
    "\\ddag": "‡",
    "ddag": "‡",
    "textdaggerdbl": "‡",
    "‡": "‡",
    "\\S": "§",
    "S": "§",
    "textsection": "§",
    "§": "§",
    "\\sharp": "#",
    "\\#": "#",
    "#": "#",
}
_MARK_HINT = re.compile(
    r"[*†‡§^]|\\(?:dag|ddag|ast|star|textdagger|textsection|textsuperscript|S(?![A-Za-z]))"
)
_MARK_LEFTOVERS = re.compile(r"\{\s*\}|\$\s*\$")


# --------------------------------------------------------------------------- splitting


def split_authors(raw: str) -> tuple[list[str], bool]:
    """A raw author/editor field -> (raw names, whether the list ended in "and others")."""
    text = raw.strip()
    parts = _AND.split(text)
    if "{" in text and not all(_balanced(p) for p in parts):
        parts = _split_top_level_and(text)  # an " and " inside braces: {Barnes and Noble}
    names: list[str] = []
    more = False
    for part in parts:
        name = _WS.sub(" ", part).strip()
        if not name:
            continue
        if name.lower() in ("others", "{others}", "et al.", "et al", "et. al."):
            more = True
            continue
        stripped = _ET_AL.sub("", name)
        if stripped != name:
            more = True
            name = stripped.strip().rstrip(",").strip()
            if not name:
                continue
        names.append(name)
    return names, more


def _split_top_level_and(text: str) -> list[str]:
    parts: list[str] = []
    depth = 0
    start = 0
    for m in _AND_OR_BRACE.finditer(text):
        token = m.group()
        if token == "{":
            depth += 1
        elif token == "}":
            depth = max(depth - 1, 0)
        elif depth == 0:
            parts.append(text[start : m.start()])
            start = m.end()
    parts.append(text[start:])
    return parts


def _balanced(text: str) -> bool:
    return text.count("{") == text.count("}")


def _split_top_level(text: str, separators: str) -> list[str]:
    """Split at commas (``separators=","``) or whitespace (``" "``) outside braces."""
    quick = text.split(",") if separators == "," else text.split()
    if "{" not in text or all(_balanced(p) for p in quick):
        return quick
    parts: list[str] = []
    depth = 0
    current: list[str] = []
    for char in text:
        if char == "{":
            depth += 1
        elif char == "}":
            depth = max(depth - 1, 0)
        elif depth == 0 and (char in separators or (separators == " " and char.isspace())):
            parts.append("".join(current))
            current = []
            continue
        current.append(char)
    parts.append("".join(current))
    if separators == " ":
        return [p for p in parts if p]
    return parts


# --------------------------------------------------------------------------- parsing one name


def parse_name(raw_name: str) -> tuple[PersonName, str]:
    """One raw BibTeX name -> (its parts, decoded; equal-contribution marks such as "*†")."""
    if _NAME_SPECIAL.search(raw_name) is None:
        words = raw_name.split()
        if len(words) == 2 and "," not in raw_name and not _is_lower(words[0]):  # the common case
            return PersonName(given=words[0], family=words[1]), ""
        given, von, family, jr = _split_name(raw_name)
        return PersonName(given=given, von=von, family=family, jr=jr), ""
    text, marks = _extract_marks(raw_name) if _MARK_HINT.search(raw_name) else (raw_name, "")
    given, von, family, jr = _split_name(_TIE.sub(" ", text))
    name = PersonName(given=_decode(given), von=_decode(von), family=_decode(family), jr=_decode(jr))
    return name, marks


def _split_name(text: str) -> tuple[str, str, str, str]:
    """(given, von, family, jr), still raw TeX, by BibTeX's comma and case rules."""
    parts = [p.strip() for p in _split_top_level(text, ",")]
    if len(parts) == 1:
        return _first_von_last(_split_top_level(parts[0], " "))
    von, family = _von_last(_split_top_level(parts[0], " "))
    jr = parts[1] if len(parts) >= 3 else ""
    given = ", ".join(parts[2:]) if len(parts) >= 3 else parts[1]
    return " ".join(given.split()), von, family, jr


def _extract_marks(raw: str) -> tuple[str, str]:
    marks: list[str] = []

    def take(m: re.Match[str]) -> str:
        for group in ("sup", "math", "caret", "cmd", "char"):
            value = m.group(group)
            if value:
                marks.append(_MARK_CHARS.get(value, "*"))
                return " "
        content = (m.group("textsup") or "").strip()
        if content in _MARK_CHARS:
            marks.append(_MARK_CHARS[content])
        else:
            _MARK.sub(take, content)
        return " "

    text = _MARK_LEFTOVERS.sub("", _MARK.sub(take, raw))
    return text, "".join(dict.fromkeys(marks))


def _first_von_last(words: list[str]) -> tuple[str, str, str, str]:
    """``First von Last`` (no comma) -> (given, von, family, jr)."""
    jr = ""
    if len(words) >= 3 and words[-1].lower() in _JR:
        jr = words.pop()
    if not words:
        return "", "", "", jr
    if len(words) == 1:
        return "", "", words[0], jr
    if len(words) == 2 and not _is_lower(words[0]):
        return words[0], "", words[1], jr
    lower = [_is_lower(w) for w in words[:-1]]
    if True not in lower:
        return " ".join(words[:-1]), "", words[-1], jr
    start = lower.index(True)
    end = len(lower) - 1 - lower[::-1].index(True)
    return " ".join(words[:start]), " ".join(words[start : end + 1]), " ".join(words[end + 1 :]), jr


def _von_last(words: list[str]) -> tuple[str, str]:
    """``von Last`` (before the first comma) -> (von, family); the last word is never von."""
    if len(words) <= 1:
        return "", " ".join(words)
    lower = [_is_lower(w) for w in words[:-1]]
    if True not in lower:
        return "", " ".join(words)
    end = len(lower) - 1 - lower[::-1].index(True)
    return " ".join(words[: end + 1]), " ".join(words[end + 1 :])


def _is_lower(word: str) -> bool:
    """BibTeX's case test: the first letter outside protective braces (accents count)."""
    if word[:1].isalpha():
        return word[0].islower()
    if "{" in word or "\\" in word:
        word = latex.decode(_PROTECTED_GROUP.sub("", word))
    for char in word:
        if char.isalpha():
            return char.islower()
    return False


def _decode(part: str) -> str:
    text = latex.decode(part)
    if "\\" in text or "$" in text:
        text = latex.to_plain(text)
    return text


# --------------------------------------------------------------------------- matching

_FOLD = str.maketrans(
    {
        "ø": "o",
        "Ø": "o",
        "ł": "l",
        "Ł": "l",
        "đ": "d",
        "Đ": "d",
        "ð": "d",
        "Ð": "d",
        "ß": "ss",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "ı": "i",
        "þ": "th",
        "Þ": "th",
        "ŋ": "ng",
    }
)
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_INITIALS_RUN = re.compile(r"^[A-Z]{2,3}$")
_GIVEN_SPLIT = re.compile(r"[\s.\-‐‑–]+")


def fold(text: str) -> str:
    """Case-, accent- and punctuation-insensitive form: "Zoë Müller-Lé" -> "zoe muller le"."""
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text.translate(_FOLD))
        text = "".join(c for c in text if not unicodedata.combining(c))
    return _NON_ALNUM.sub(" ", text.casefold()).strip()


def _family_key(name: PersonName) -> str:
    text = f"{name.von}{name.family}"
    if text.isascii() and text.isalnum():  # the common case, without regex or Unicode work
        return text.lower()
    return fold(f"{name.von} {name.family}").replace(" ", "")


def _given_tokens(given: str) -> tuple[tuple[str, ...], ...]:
    """Token variants of a given name: split at spaces, dots and hyphens ("JH" is two
    initials); a hyphenated full name also as one word, so "Jian-Hao" ~ "Jianhao"."""
    if given.isascii() and given.isalpha() and not _INITIALS_RUN.match(given):  # "Jianhao"
        return ((given.lower(),),)
    words: list[str] = []
    for word in given.split():
        words.extend(word if _INITIALS_RUN.match(word) else [word])
    split = _fold_tokens(" ".join(words))
    if not any("-" in w or "‐" in w for w in words):
        return (split,)
    joined: list[str] = []
    for word in words:
        parts = _fold_tokens(word)
        if len(parts) > 1 and all(len(p) > 1 for p in parts):
            joined.append("".join(parts))
        else:
            joined.extend(parts)
    return (split, tuple(joined)) if tuple(joined) != split else (split,)


def _fold_tokens(text: str) -> tuple[str, ...]:
    return tuple(t for t in (fold(p).replace(" ", "") for p in _GIVEN_SPLIT.split(text)) if t)


def match_key(name: PersonName) -> str:
    """``family|given`` folded, spaces and hyphens removed: equal keys are the same spelling."""
    given = "".join(_given_tokens(name.given)[0])
    return f"{_family_key(name)}|{given}"


def _compatible(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Same number of given-name tokens, each equal or an initial of the other."""
    if len(a) != len(b) or not a:
        return False
    for x, y in zip(a, b, strict=True):
        if x == y:
            continue
        if len(x) == 1 and y.startswith(x):
            continue
        if len(y) == 1 and x.startswith(y):
            continue
        return False
    return True


@dataclass(frozen=True, slots=True)
class _Alias:
    slug: str
    given: str  # joined folded given name, for exact matches
    variants: tuple[tuple[str, ...], ...]


class NameMatcher:
    """Finds the profile a paper's author name belongs to, or None when unsure.

    Built once per site: aliases are indexed by folded family name, so a match is
    one dict lookup plus a comparison with the few aliases sharing that family name.
    """

    def __init__(self, profiles: Sequence[tuple[str, Sequence[str]]]) -> None:
        self._by_family: dict[str, list[_Alias]] = {}
        for slug, names in profiles:
            for text in names:
                name, _ = parse_name(text)
                family = _family_key(name)
                if not family:
                    continue
                key = match_key(name).partition("|")[2]
                alias = _Alias(slug, key, _given_tokens(name.given))
                self._by_family.setdefault(family, []).append(alias)

    def match(self, name: PersonName) -> str | None:
        """The slug of the one profile that fits ``name`` best, or None (no or several fits)."""
        aliases = self._by_family.get(_family_key(name))
        if not aliases:
            return None
        variants = _given_tokens(name.given)
        key = "".join(variants[0])
        exact = {a.slug for a in aliases if a.given == key}
        if exact:
            return exact.pop() if len(exact) == 1 else None
        loose = {a.slug for a in aliases if any(_compatible(v, w) for v in variants for w in a.variants)}
        return loose.pop() if len(loose) == 1 else None
