"""Which URLs from untrusted content may become links."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
_CONTROL = re.compile(r"[\x00-\x20\x7f]")
_EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+=?^_`{|}~-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")


def safe_url(url: str) -> str | None:
    """``url`` if it is http(s), mailto or relative; None for anything else.

    Browsers ignore tabs and newlines inside a scheme (``java\\tscript:``), so
    control characters and spaces are removed before the scheme is read.
    """
    cleaned = url.strip()
    if not cleaned or "\x00" in cleaned:
        return None
    probe = _CONTROL.sub("", cleaned)
    if probe.startswith("//"):
        return cleaned if _has_host(probe) else None  # protocol-relative: https on an https site
    try:
        scheme = urlsplit(probe).scheme.lower()
    except ValueError:
        return None
    if scheme == "" and ":" in probe.split("/", 1)[0]:
        return None  # "javascript&colon;..." style tricks that urlsplit leaves schemeless
    if scheme in SAFE_SCHEMES or scheme == "":
        return cleaned.replace(" ", "%20")
    return None


def scheme_of(url: str) -> str:
    """The scheme a browser would see (control characters removed), lower case; "" if none."""
    probe = _CONTROL.sub("", url.strip())
    head = probe.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    return head.split(":", 1)[0].lower() if ":" in head else ""


def email_url(value: str) -> str | None:
    """A bare address becomes ``mailto:``; anything that is not an address is refused."""
    value = value.strip()
    if value.lower().startswith("mailto:"):
        value = value[7:]
    return f"mailto:{value}" if _EMAIL.match(value) else None


def _has_host(url: str) -> bool:
    try:
        return bool(urlsplit(url).netloc)
    except ValueError:
        return False
