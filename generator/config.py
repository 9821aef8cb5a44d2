"""The typed site configuration read from ``content/site.yaml``."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any
from urllib.parse import urlsplit

from generator.diagnostics import Diagnostic, error
from generator.sources.schema import as_text, check_keys, is_type, root_mapping
from generator.sources.yaml_source import YamlDoc


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
    search: bool = True  # a search page and box, with a static index of papers and people

    @classmethod
    def keys(cls) -> list[str]:
        return [f.name for f in fields(cls)]

    @property
    def base_path(self) -> str:
        """The URL path the site lives under: "/" or "/repo/"."""
        path = urlsplit(self.base_url).path or "/"
        return path if path.endswith("/") else path + "/"


_SCHEMA: dict[str, type | tuple[type, ...]] = {
    "title": str,
    "base_url": str,
    "language": str,
    "theme": str,
    "author": str,
    "description": str,
    "domain": str,
    "group": str,
    "authors_shown": int,
    "abstract_collapse": int,
    "selected_first": bool,
    "footer": str,
    "nav": list,
    "search": bool,
}


def load_config(doc: YamlDoc) -> tuple[SiteConfig, list[Diagnostic]]:
    """site.yaml -> SiteConfig; bad values are reported and replaced by defaults."""
    data, diags = root_mapping(doc, "site.yaml")
    diags += check_keys(doc, data, _SCHEMA)
    values: dict[str, Any] = {}
    for key, expected in _SCHEMA.items():
        value = data.get(key)
        if value is None or expected is list or not is_type(value, expected):
            continue
        values[key] = as_text(value) if expected is str else value
    nav, nav_diags = _nav(doc, data.get("nav"))
    values["nav"] = nav
    diags += nav_diags
    base_url = values.get("base_url", "/")
    scheme = urlsplit(base_url).scheme
    if scheme not in ("", "http", "https"):
        diags.append(
            error(f"base_url '{base_url}' must start with https://, http:// or /", doc.loc("base_url"))
        )
        values.pop("base_url")
    elif base_url and not base_url.endswith("/"):
        values["base_url"] = base_url + "/"
    if values.get("authors_shown", 3) < 1:
        diags.append(error("authors_shown must be at least 1", doc.loc("authors_shown")))
        values.pop("authors_shown")
    return SiteConfig(**values), diags


def _nav(doc: YamlDoc, value: Any) -> tuple[tuple[tuple[str, str], ...], list[Diagnostic]]:
    if not isinstance(value, list):
        return (), []
    items: list[tuple[str, str]] = []
    diags: list[Diagnostic] = []
    for i, item in enumerate(value):
        if isinstance(item, dict) and item.get("label") and item.get("url"):
            items.append((as_text(item["label"]), as_text(item["url"])))
        else:
            diags.append(
                error(
                    "each nav item needs a label and a url",
                    doc.loc("nav", i),
                    "e.g. `- {label: CV, url: cv/}`",
                )
            )
    return tuple(items), diags
