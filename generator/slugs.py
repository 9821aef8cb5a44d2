"""Slugs: the only way a BibTeX key or YAML name becomes part of a file name.

A slug is lower-case ASCII letters, digits and single hyphens, never empty,
never a Windows reserved device name, at most ``MAX_LEN`` characters, so it
cannot climb out of output/ or collide on a case-insensitive file system.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

MAX_LEN = 80
_WINDOWS_RESERVED = {"con", "prn", "aux", "nul"} | {f"{p}{i}" for p in ("com", "lpt") for i in range(10)}
_NON_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(text: str, fallback: str = "item") -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    slug = _NON_SLUG.sub("-", folded).strip("-")[:MAX_LEN].strip("-")
    if not slug:
        slug = fallback
    if slug in _WINDOWS_RESERVED:
        slug += "-"
    return slug


def unique_slugs(texts: Iterable[str], fallback: str = "item") -> list[str]:
    """Slugs for ``texts`` in order, made unique with -2, -3 ... suffixes."""
    taken: set[str] = set()
    out: list[str] = []
    for text in texts:
        base = slugify(text, fallback)
        slug, n = base, 1
        while slug in taken:
            n += 1
            slug = f"{base[: MAX_LEN - len(str(n)) - 1]}-{n}"
        taken.add(slug)
        out.append(slug)
    return out
