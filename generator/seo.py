"""Metadata for search engines, Google Scholar and link previews, computed from the model.

A personal page should be indexed like a publisher's: Google Scholar reads Highwire Press
``citation_*`` tags, search engines read schema.org JSON-LD, and chat apps and social sites
read Open Graph and Twitter cards. The views call these pure functions and hand the results
to the templates as plain values; nothing here knows about HTML except :func:`json_ld`, which
must make untrusted text safe inside a ``<script>`` element.
"""

from __future__ import annotations

import datetime
import html
import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

from generator import latex
from generator.model import Author, Paper, PaperDate, PersonName
from generator.urls import absolute_url, is_external, safe_href

SCHEMA_CONTEXT = "https://schema.org"
HEADLINE_LEN = 110  # Google shows at most this many characters of an article's headline
_PAGES_SPLIT = re.compile(r"\s*(?:-{1,3}|–|—)\s*")
_BLOCK_TAG = re.compile(r"</?(?:p|li|h[1-6]|br|div|ul|ol|dl|dt|dd|tr|td|th|table|blockquote|pre)\b[^>]*>")
_TAG = re.compile(r"<[^>]+>")
_FIRST_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.DOTALL)
_DOCUMENT = re.compile(r"\.(?:pdf|docx?|txt)(?:[?#]|$)", re.IGNORECASE)
# In JSON, these may all be written as \u escapes; written so, no text can close the
# <script> element, open a comment or start an entity, and the JSON still parses the same.
_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
_JSON_UNSAFE = re.compile("[<>&\u2028\u2029]")


def json_ld(data: Mapping[str, Any]) -> str:
    """``data`` as JSON for a ``<script type="application/ld+json">``: ``<``, ``>`` and ``&`` escaped."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return _JSON_UNSAFE.sub(lambda m: _JSON_ESCAPES[m.group(0)], text)


def absolute(base_url: str, path_or_url: str | None) -> str | None:
    """An absolute http(s) URL for a site path or URL, or None when there is none to give.

    Open Graph, JSON-LD and Google Scholar need absolute URLs; with a root-relative
    ``base_url`` ("/") the host is unknown, so those values are left out.
    """
    if path_or_url is None:
        return None
    url = path_or_url if is_external(path_or_url) else absolute_url(base_url, path_or_url)
    return url if url.startswith(("https://", "http://")) else None


def html_to_text(markup: str) -> str:
    """Plain text of a small safe HTML fragment (a rendered bio), whitespace collapsed."""
    spaced = _BLOCK_TAG.sub(" ", markup)  # blocks end words; inline tags (<strong>) do not
    return " ".join(html.unescape(_TAG.sub("", spaced)).split())


def lead_text(markup: str) -> str:
    """Plain text of the first paragraph of rendered Markdown: a bio's summary, without its lists."""
    match = _FIRST_PARAGRAPH.search(markup)
    return html_to_text(match.group(1) if match else markup)


def same_as(urls: Iterable[str]) -> list[str]:
    """The person's pages elsewhere for ``sameAs``: http(s) links that are not documents (a CV PDF)."""
    pages = (u for u in urls if u.startswith(("https://", "http://")) and not _DOCUMENT.search(u))
    return list(dict.fromkeys(pages))


def _compact(data: Mapping[str, Any]) -> dict[str, Any]:
    """``data`` without empty values, so JSON-LD states only what is known."""
    return {k: v for k, v in data.items() if v not in (None, "", [], {})}


# --------------------------------------------------------------------------- Highwire Press


def citation_author(name: PersonName) -> str:
    """``Last, First`` (with ``von`` and ``Jr``), the order Google Scholar parses best."""
    family = " ".join(p for p in (name.von, name.family) if p)
    given = ", ".join(p for p in (name.given, name.jr) if p) if family else name.given
    return f"{family}, {given}" if family and given else family or given


def citation_date(date: PaperDate) -> str:
    """``YYYY/MM/DD`` for a valid full date, else ``YYYY``; empty when undated."""
    if date.year is None or date.year < 1:
        return ""
    if date.month and date.day:
        try:
            return datetime.date(date.year, date.month, date.day).strftime("%Y/%m/%d")
        except ValueError:
            pass
    return f"{date.year:04d}"


def pdf_url(paper: Paper, base_url: str) -> str | None:
    """The paper's PDF as an absolute URL: its `pdf` link, else arXiv's PDF of its eprint."""
    link = paper.link("pdf")
    if link is not None and (href := safe_href(link.url)) is not None:
        return absolute(base_url, href)
    return f"https://arxiv.org/pdf/{paper.arxiv_id}" if paper.arxiv_id else None


def _field(paper: Paper, *names: str) -> str:
    """The first non-empty BibTeX field of ``names``, as plain text."""
    return next((latex.to_plain(paper.fields[n]) for n in names if paper.fields.get(n, "").strip()), "")


def _venue_tags(paper: Paper) -> list[tuple[str, str]]:
    """Where the paper appeared, in the tag Google Scholar expects for its kind."""
    venue = latex.to_plain(paper.venue)
    kind = paper.venue_kind
    if kind == "journal" and venue:
        return [("citation_journal_title", venue)]
    if kind == "conference" and venue:
        return [("citation_conference_title", venue)]
    if kind == "book":
        return [("citation_inbook_title", title)] if (title := _field(paper, "booktitle")) else []
    if kind == "thesis" and (school := _field(paper, "school", "institution")):
        return [("citation_dissertation_institution", school)]
    if kind == "report" and (institution := _field(paper, "institution", "publisher")):
        number = _field(paper, "number")
        tags = [("citation_technical_report_institution", institution)]
        return tags + ([("citation_technical_report_number", number)] if number else [])
    return []


def _page_tags(paper: Paper) -> list[tuple[str, str]]:
    """Volume, issue and page range when the entry has them."""
    tags = [("citation_volume", _field(paper, "volume"))]
    if paper.venue_kind != "report":
        tags.append(("citation_issue", _field(paper, "number", "issue")))
    pages = [p for p in _PAGES_SPLIT.split(_field(paper, "pages"), maxsplit=1) if p]
    if pages:
        tags.append(("citation_firstpage", pages[0]))
        tags.append(("citation_lastpage", pages[-1] if len(pages) > 1 else ""))
    tags.append(("citation_publisher", _field(paper, "publisher") if paper.venue_kind != "report" else ""))
    return [(k, v) for k, v in tags if v]


def highwire_tags(paper: Paper, page_url: str | None, base_url: str, language: str) -> list[tuple[str, str]]:
    """Google Scholar's ``citation_*`` tags for a paper page; empty values are left out."""
    tags = [("citation_title", latex.to_plain(paper.title))]
    tags += [("citation_author", citation_author(ref.name)) for ref in paper.authors]
    tags.append(("citation_publication_date", citation_date(paper.date)))
    tags += _venue_tags(paper) + _page_tags(paper)
    tags.append(("citation_doi", paper.doi))
    tags.append(("citation_arxiv_id", paper.arxiv_id))
    tags.append(("citation_pdf_url", pdf_url(paper, base_url) or ""))
    tags.append(("citation_abstract_html_url", page_url or ""))
    tags.append(("citation_public_url", page_url or ""))
    tags.append(("citation_language", language))
    return [(k, v) for k, v in tags if v]


# --------------------------------------------------------------------------- JSON-LD


def person_ld(
    author: Author, page_url: str | None, image_url: str | None, profiles: Iterable[str], description: str
) -> dict[str, Any]:
    """schema.org ``Person`` for a profile; ``sameAs`` are the person's pages elsewhere."""
    affiliation = {"@type": "Organization", "name": author.affiliation} if author.affiliation else None
    return _compact(
        {
            "@context": SCHEMA_CONTEXT,
            "@type": "Person",
            "name": author.name,
            "url": page_url,
            "image": image_url,
            "jobTitle": author.role,
            "affiliation": affiliation,
            "description": description,
            "knowsAbout": author.category,
            "sameAs": same_as(profiles),
        }
    )


def _identifiers(paper: Paper) -> list[dict[str, str]]:
    ids = [("DOI", paper.doi), ("arXiv", paper.arxiv_id)]
    return [{"@type": "PropertyValue", "propertyID": k, "value": v} for k, v in ids if v]


def _is_part_of(paper: Paper) -> dict[str, str] | None:
    venue = latex.to_plain(paper.venue)
    kind = {"journal": "Periodical", "conference": "Book", "book": "Book"}.get(paper.venue_kind)
    return {"@type": kind, "name": venue} if kind and venue else None


def article_ld(
    paper: Paper,
    *,
    page_url: str | None,
    authors: Iterable[tuple[str, str | None]],
    date_iso: str,
    image_url: str | None,
    base_url: str,
    language: str,
) -> dict[str, Any]:
    """schema.org ``ScholarlyArticle`` for a paper page; ``authors`` are (name, profile URL)."""
    title = latex.to_plain(paper.title)
    headline = title if len(title) <= HEADLINE_LEN else title[: HEADLINE_LEN - 1].rstrip() + "…"
    elsewhere = [f"https://doi.org/{paper.doi}" if paper.doi else "", absolute(base_url, _arxiv_url(paper))]
    pdf = pdf_url(paper, base_url)
    return _compact(
        {
            "@context": SCHEMA_CONTEXT,
            "@type": "ScholarlyArticle",
            "headline": headline,
            "name": title,
            "author": [_compact({"@type": "Person", "name": n, "url": u}) for n, u in authors],
            "datePublished": date_iso,
            "abstract": latex.to_plain(paper.abstract),
            "url": page_url,
            "mainEntityOfPage": page_url,
            "isPartOf": _is_part_of(paper),
            "identifier": _identifiers(paper),
            "sameAs": [u for u in elsewhere if u],
            "keywords": list(paper.categories),
            "image": image_url,
            "encoding": {"@type": "MediaObject", "encodingFormat": "application/pdf", "contentUrl": pdf}
            if pdf
            else None,
            "award": paper.award,
            "inLanguage": language,
        }
    )


def _arxiv_url(paper: Paper) -> str | None:
    """The paper's arXiv page: its `arxiv` link, else the abstract page of its eprint."""
    link = paper.link("arxiv")
    if link is not None:
        return safe_href(link.url)
    return f"https://arxiv.org/abs/{paper.arxiv_id}" if paper.arxiv_id else None
