"""Where each kind of page lives, as site-relative paths ("papers/x/").

Views and routes both use these, so a link and the file it points at can
never disagree. Templates turn them into URLs with ``url()``.
"""

from __future__ import annotations

from generator.model import Page, Paper, Site
from generator.slugs import slugify


def home_path() -> str:
    return ""


def paper_path(paper: Paper) -> str:
    return f"papers/{paper.slug}/"


def author_path(site: Site, slug: str) -> str:
    """The owner's profile is the home page; other people live under people/."""
    if site.config.author == slug:
        return home_path()
    return f"people/{slug}/"


def category_path(category: str) -> str:
    return f"categories/{slugify(category)}/"


def publications_path() -> str:
    return "publications/"


def people_path() -> str:
    return "people/"


def page_path(page: Page) -> str:
    return f"{page.slug}/"


def search_path() -> str:
    """The search page; its index files live below it (generator.search)."""
    return "search/"


def asset_path(name: str) -> str:
    """Theme assets (CSS, icons) are copied under assets/."""
    return f"assets/{name}"


def static_path(name: str) -> str:
    """Files of content/static are copied under static/."""
    return f"static/{name.lstrip('/')}"


def feed_path(author_slug: str | None = None) -> str:
    """The site's Atom feed, or one person's (beside their profile)."""
    return f"people/{author_slug}/feed.xml" if author_slug else "feed.xml"


def venue_kind_path(kind: str) -> str:
    """The papers of one publication type: ``publications/journal/``."""
    return f"{publications_path()}{slugify(kind)}/"


def paper_export_path(paper: Paper, extension: str) -> str:
    """A paper's BibTeX or CSL-JSON file beside its page: ``papers/x/x.bib``."""
    return f"{paper_path(paper)}{paper.slug}.{extension}"


def person_export_path(slug: str, extension: str) -> str:
    """One person's papers as a file: ``people/<slug>/papers.bib``, for the owner too
    (a file beside the profile's path, never a page, so nothing clashes)."""
    return f"people/{slug}/papers.{extension}"


def site_export_path(extension: str) -> str:
    """Every paper of the site as one file: ``papers.bib``, ``papers.json``."""
    return f"papers.{extension}"
