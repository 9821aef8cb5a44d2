"""Machine-readable companions of the site: Atom feeds, sitemap.xml, robots.txt.

Output depends only on the content (no build timestamps), so an unchanged
site rebuilds to identical bytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlsplit
from xml.etree import ElementTree as ET

from generator import latex, paths
from generator.model import Paper, PaperDate, Site
from generator.urls import absolute_url

ATOM = "http://www.w3.org/2005/Atom"
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
EPOCH = "1970-01-01T00:00:00Z"


def has_host(base_url: str) -> bool:
    """Feeds and sitemaps need absolute URLs, which need a host in base_url."""
    parts = urlsplit(base_url)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def timestamp(date: PaperDate) -> str:
    """An RFC 3339 time for a paper date; unknown parts become the first month/day."""
    if date.year is None:
        return EPOCH
    return f"{date.year:04d}-{date.month or 1:02d}-{date.day or 1:02d}T00:00:00Z"


def atom_feed(site: Site, papers: Sequence[Paper], feed_path: str, home_path: str, title: str) -> bytes:
    """An Atom feed of ``papers`` (already newest first)."""
    base = site.config.base_url
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    _sub(feed, "title", title)
    _sub(feed, "id", _iri(base, home_path, "site"))
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", href=absolute_url(base, feed_path))
    ET.SubElement(
        feed, f"{{{ATOM}}}link", rel="alternate", type="text/html", href=absolute_url(base, home_path)
    )
    _sub(feed, "updated", max((timestamp(p.date) for p in papers), default=EPOCH))
    owner = site.owner
    _person(feed, owner.name if owner else site.config.title)
    ET.SubElement(
        feed, f"{{{ATOM}}}generator", uri="https://pypi.org/project/scholarpages/"
    ).text = "scholarpages"
    for paper in papers:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        path = paths.paper_path(paper)
        _sub(entry, "title", latex.to_plain(paper.title))
        _sub(entry, "id", _iri(base, path, f"paper:{paper.key}"))
        ET.SubElement(
            entry, f"{{{ATOM}}}link", rel="alternate", type="text/html", href=absolute_url(base, path)
        )
        _sub(entry, "updated", timestamp(paper.date))
        for ref in paper.authors:
            _person(entry, ref.display)
        if not paper.authors:
            _person(entry, owner.name if owner else site.config.title)
        for category in paper.categories:
            ET.SubElement(entry, f"{{{ATOM}}}category", term=category)
        if paper.abstract:
            _sub(entry, "summary", latex.to_plain(paper.abstract))
    ET.indent(feed)
    return bytes(ET.tostring(feed, encoding="utf-8", xml_declaration=True)) + b"\n"


def sitemap(site: Site, pages: Sequence[tuple[str, str]]) -> bytes:
    """``pages`` are (site-relative path, lastmod or "") pairs."""
    ET.register_namespace("", SITEMAP)
    root = ET.Element(f"{{{SITEMAP}}}urlset")
    for path, lastmod in pages:
        url = ET.SubElement(root, f"{{{SITEMAP}}}url")
        ET.SubElement(url, f"{{{SITEMAP}}}loc").text = absolute_url(site.config.base_url, path)
        if lastmod:
            ET.SubElement(url, f"{{{SITEMAP}}}lastmod").text = lastmod
    ET.indent(root)
    return bytes(ET.tostring(root, encoding="utf-8", xml_declaration=True)) + b"\n"


def robots(site: Site) -> bytes:
    lines = ["User-agent: *", "Allow: /"]
    if has_host(site.config.base_url):
        lines.append(f"Sitemap: {absolute_url(site.config.base_url, 'sitemap.xml')}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def _sub(parent: ET.Element, tag: str, text: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}")
    element.text = _xml_safe(text)
    return element


def _person(parent: ET.Element, name: str) -> None:
    author = ET.SubElement(parent, f"{{{ATOM}}}author")
    _sub(author, "name", name)


def _iri(base_url: str, path: str, tag: str) -> str:
    """Absolute URL when the host is known, else a stable tag: URI (Atom ids must be absolute)."""
    if has_host(base_url):
        return absolute_url(base_url, path)
    return f"tag:scholarpages,2026:{tag}"


def _xml_safe(text: str) -> str:
    """XML 1.0 forbids most control characters even when escaped."""
    return "".join(ch for ch in text if ch in "\t\n\r" or ord(ch) >= 0x20)
