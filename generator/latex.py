"""LaTeX in BibTeX fields: decoding to Unicode, and rendering for HTML or plain text.

STUB: owned by the BibTeX-reader work; these signatures are the contract.
"""

from __future__ import annotations

import html


def decode(raw: str) -> str:
    """A BibTeX field value -> "light TeX" (Unicode text; $math$ and \\emph{..} kept)."""
    return raw.replace("{", "").replace("}", "")


def to_plain(light: str) -> str:
    """Light TeX -> plain text for meta tags, feeds and sorting."""
    return light


def to_html(light: str) -> str:
    """Light TeX -> safe HTML (escaped text, <em>/<strong>/<code>, MathML for math)."""
    return html.escape(light)
