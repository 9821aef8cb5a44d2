"""The typed site configuration read from ``content/site.yaml``."""

from __future__ import annotations

from dataclasses import dataclass, field, fields


@dataclass(frozen=True, slots=True)
class SiteConfig:
    """Settings of one site. Every key of site.yaml is a field here."""

    title: str = "Research profile"
    base_url: str = "/"  # "https://name.github.io/repo/" or "/" for root-relative
    language: str = "en"  # BCP 47: dates and the <html lang> follow it
    theme: str = "default"
    author: str = ""  # slug of the site's owner; empty on a group site
    description: str = ""
    domain: str = ""  # custom domain written to CNAME
    group: str = ""  # title of a group/lab site (home lists the people)
    authors_shown: int = 3  # names shown on a paper card before "et al."
    abstract_collapse: int = 600  # abstracts longer than this many characters are folded
    selected_first: bool = False  # show `selected` papers first on profiles
    footer: str = ""  # Markdown shown in every page's footer
    nav: tuple[tuple[str, str], ...] = field(default_factory=tuple)  # extra (label, url) items

    @classmethod
    def keys(cls) -> list[str]:
        return [f.name for f in fields(cls)]

    @property
    def base_path(self) -> str:
        """The URL path the site lives under: "/" or "/repo/"."""
        from urllib.parse import urlsplit

        path = urlsplit(self.base_url).path or "/"
        return path if path.endswith("/") else path + "/"
