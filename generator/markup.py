"""Markdown from content (bios, pages, the footer) turned into safe HTML.

Markdown lets authors write raw HTML, and profiles may come from people other
than the site's owner, so the HTML is sanitised with nh3 (an allow-list) unless
the caller opts out for the site's own pages.
"""

from __future__ import annotations

import functools
import re

import markdown
import nh3

EXTENSIONS = ("extra", "sane_lists", "smarty")

TAGS = frozenset(
    {
        *("p", "br", "hr", "blockquote", "pre", "code", "kbd", "samp", "var"),
        *("h1", "h2", "h3", "h4", "h5", "h6"),
        *("em", "strong", "b", "i", "u", "s", "del", "ins", "mark", "small", "sub", "sup", "abbr", "q"),
        *("cite", "dfn", "time", "span", "div", "figure", "figcaption", "details", "summary"),
        *("ul", "ol", "li", "dl", "dt", "dd"),
        *("a", "img"),
        *("table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td", "colgroup", "col"),
    }
)
ATTRIBUTES: dict[str, set[str]] = {
    "*": {"id", "title", "lang", "dir"},
    "a": {"href", "class"},
    "img": {"src", "alt", "width", "height", "loading"},
    "abbr": {"title"},
    "ol": {"start", "reversed", "type"},
    "li": {"value"},
    "time": {"datetime"},
    "code": {"class"},
    "pre": {"class"},
    "div": {"class"},
    "span": {"class"},
    "sup": {"class"},
    "th": {"style", "colspan", "rowspan", "scope"},
    "td": {"style", "colspan", "rowspan"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
# Ids from content get a prefix so they cannot clash with the theme's own
# ("content", "bibtex", ...); in-page links are rewritten to match.
ID_PREFIX = "md-"

_HEADING_TAG = re.compile(r"<(/?)h([1-6])(?=[\s>])", re.IGNORECASE)
# nh3 drops a ``data:`` src but keeps the <img>; an img without src is invalid HTML.
_IMG_WITHOUT_SRC = re.compile(r"<img(?![^>]*\ssrc=)[^>]*>", re.IGNORECASE)
# ...and a link whose unsafe href was dropped keeps nh3's rel, which is only valid with an href.
_REL_WITHOUT_HREF = re.compile(r"<a(?![^>]*\shref=)([^>]*?)\srel=\"[^\"]*\"", re.IGNORECASE)


def _prefix_fragment(tag: str, attr: str, value: str) -> str | None:
    if tag == "a" and attr == "href" and value.startswith("#") and len(value) > 1:
        return "#" + ID_PREFIX + value[1:]
    return value


def sanitize(html: str) -> str:
    """HTML with everything outside the allow-list removed (scripts, styles, frames,
    ``on*`` handlers, ``javascript:``/``data:`` URLs); links get rel="noopener noreferrer"."""
    cleaned: str = nh3.clean(
        html,
        tags=set(TAGS),
        clean_content_tags={"script", "style"},
        attributes={tag: set(attrs) for tag, attrs in ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        filter_style_properties={"text-align"},
        attribute_filter=_prefix_fragment,
        id_prefix=ID_PREFIX,
    )
    return _REL_WITHOUT_HREF.sub(r"<a\1", _IMG_WITHOUT_SRC.sub("", cleaned))


def shift_headings(html: str, top: int) -> str:
    """Headings renumbered so the highest-ranking one becomes ``h<top>`` (capped at h6).

    A page already has its h1; a bio's "# Research" must not add a second one,
    and keeping the relative levels keeps the heading order valid.
    """
    levels = [int(m.group(2)) for m in _HEADING_TAG.finditer(html)]
    if not levels:
        return html
    offset = top - min(levels)
    return _HEADING_TAG.sub(lambda m: f"<{m.group(1)}h{min(6, int(m.group(2)) + offset)}", html)


@functools.lru_cache(maxsize=512)
def render_markdown(text: str, allow_html: bool = False, *, heading_top: int | None = None) -> str:
    """Markdown -> HTML, sanitised unless ``allow_html`` (for a site's own trusted pages).

    ``heading_top`` renumbers headings so the outermost one is ``h<heading_top>``.
    Kept for the same text: a profile's pages and the footer of every page render the
    same Markdown again and again, and a converter costs a millisecond to set up (and
    leaves hundreds of objects in reference cycles for the garbage collector).
    """
    if not text.strip():
        return ""
    converter = markdown.Markdown(extensions=list(EXTENSIONS), output_format="html")
    html = converter.convert(text)
    if not allow_html:
        html = sanitize(html)
    if heading_top is not None:
        html = shift_headings(html, heading_top)
    return html
