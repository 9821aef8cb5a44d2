"""The one place where site-relative paths become URLs.

Pages link to each other with *relative* URLs ("../../papers/x/") so a built
site works unchanged at a domain root, under a sub-path such as
``https://user.github.io/repo/`` and when opened from disk. Only canonical
links and feeds need absolute URLs, built from ``base_url``.

A site-relative path has no leading slash: ``""`` is the home page,
``"papers/x/"`` a page (a folder holding index.html), ``"assets/style.css"`` a
file. A path may carry ``?query`` and ``#fragment``. External URLs
(``https://...``, ``mailto:...``, ``//host/...``) pass through unchanged.
"""

from __future__ import annotations

import functools
import posixpath
import re
from urllib.parse import quote, urlsplit

from generator.safeurl import safe_url

# Safe in a URL path: RFC 3986 sub-delims, ":" and "@", plus "%" so that an
# already-encoded path is not encoded twice.
_PATH_SAFE = "/:@!$&'()*+,;=-._~%"
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def is_external(url: str) -> bool:
    """True for URLs with a scheme (``https:``, ``mailto:``) or a host (``//host``)."""
    return url.startswith("//") or bool(_SCHEME.match(url))


def safe_href(url: str) -> str | None:
    """``url`` when a link to it cannot run code, else None.

    Content (BibTeX, YAML) is untrusted: autoescaping does not stop
    ``javascript:`` or ``data:`` URLs, so every href from content goes through
    here; the rule itself lives in :func:`generator.safeurl.safe_url`.
    """
    return safe_url(url)


def _split_suffix(path: str) -> tuple[str, str]:
    """``"papers/x/#bibtex"`` -> ``("papers/x/", "#bibtex")``."""
    cut = min((i for i in (path.find("?"), path.find("#")) if i >= 0), default=len(path))
    return path[:cut], path[cut:]


def _segments(path: str) -> list[str]:
    """Normalised segments of a site-relative path; the last one is a file name or ""."""
    path = path.lstrip("/")
    if not path:
        return [""]
    is_dir = path.endswith("/")
    norm = posixpath.normpath(path)
    parts = [p for p in norm.split("/") if p not in ("", ".", "..")]
    return [*parts, ""] if is_dir or not parts else parts


@functools.lru_cache(maxsize=8192)
def relative_url(from_path: str, to_path: str) -> str:
    """A URL that leads from the page at ``from_path`` to ``to_path``.
    (Kept: a page links to the same few paths again and again, the pages of a long
    list each to all the others.)

    >>> relative_url("papers/x/", "papers/y/")
    '../y/'
    >>> relative_url("papers/x/", "")
    '../../'
    >>> relative_url("", "")
    './'
    """
    if is_external(to_path):
        return to_path
    target, suffix = _split_suffix(to_path)
    if not target and suffix.startswith("#"):
        return suffix  # a fragment of the current page
    from_dir = _segments(_split_suffix(from_path)[0])[:-1]
    to_parts = _segments(target)
    to_dir, to_file = to_parts[:-1], to_parts[-1]
    common = 0
    while common < min(len(from_dir), len(to_dir)) and from_dir[common] == to_dir[common]:
        common += 1
    rest = to_dir[common:]
    rel = "../" * (len(from_dir) - common) + "".join(f"{p}/" for p in rest) + to_file
    if not rel:
        if suffix.startswith("#"):
            return suffix
        rel = "./"
    elif ":" in rel.split("/", 1)[0]:
        rel = "./" + rel  # "a:b/" would be read as a URL with scheme "a"
    return quote(rel, safe=_PATH_SAFE) + suffix


def absolute_url(base_url: str, path: str) -> str:
    """``base_url`` joined with a site-relative ``path``, for canonical links and feeds.

    >>> absolute_url("https://user.github.io/repo", "papers/x/")
    'https://user.github.io/repo/papers/x/'

    With the default ``base_url`` "/" the result is root-relative ("/papers/x/"),
    the best that can be done without knowing the host.
    """
    if is_external(path):
        return path
    base = base_url.strip() or "/"
    if not base.endswith("/"):
        base += "/"
    target, suffix = _split_suffix(path.lstrip("/"))
    return base + quote(target, safe=_PATH_SAFE) + suffix


def root_relative_url(base_url: str, path: str) -> str:
    """``path`` as a URL from the host's root ("/repo/papers/x/").

    For pages served at any URL, like 404.html, where a relative URL would
    resolve against whatever address the reader mistyped.
    """
    if is_external(path):
        return path
    base_path = urlsplit(base_url.strip() or "/").path or "/"
    return absolute_url(base_path, path)
