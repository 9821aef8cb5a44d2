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


def asset_path(name: str) -> str:
    """Theme assets (CSS, icons) are copied under assets/."""
    return f"assets/{name}"


def static_path(name: str) -> str:
    """Files of content/static are copied under static/."""
    return f"static/{name.lstrip('/')}"


def feed_path(author_slug: str | None = None) -> str:
    """The site's Atom feed, or one person's (beside their profile)."""
    return f"people/{author_slug}/feed.xml" if author_slug else "feed.xml"
