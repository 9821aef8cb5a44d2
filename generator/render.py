"""Themes and rendering: view + template -> HTML text. Pure apart from reading templates.

A theme is a folder ``<name>/`` with ``theme.yaml``, ``templates/`` and
``static/``. It is looked up in the site's ``themes/`` folder first, then among
the built-in themes. A site overrides any single template by putting a file of
the same name in ``<site_root>/templates/`` or ``<site_root>/themes/<name>/templates/``;
the built-in theme of the same name fills in the rest.
"""

from __future__ import annotations

import re
from collections.abc import Callable, MutableMapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import yaml
from markupsafe import Markup

from generator import paths
from generator.stamps import builtin_themes_dir
from generator.urls import absolute_url, relative_url, root_relative_url
from generator.views import NOT_FOUND_PATH, SiteView

_THEME_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


class ThemeError(Exception):
    """A theme or template that cannot be used: unknown name, missing or broken template."""


@dataclass(frozen=True, slots=True)
class Theme:
    """Where a theme's files are. Both tuples are in lookup order: the first match wins."""

    name: str
    template_dirs: tuple[Path, ...]
    static_dirs: tuple[Path, ...]
    description: str = ""
    version: str = ""


def available_themes(site_root: Path) -> list[str]:
    """Names of every theme a site can use, for error messages."""
    found = {
        p.name
        for base in (site_root / "themes", builtin_themes_dir())
        if base.is_dir()
        for p in base.iterdir()
    }
    return sorted(name for name in found if _THEME_NAME.match(name))


def _read_meta(theme_dirs: list[Path]) -> dict[str, str]:
    """theme.yaml of the first folder that has one; a theme may do without."""
    for folder in theme_dirs:
        meta_file = folder / "theme.yaml"
        if meta_file.is_file():
            try:
                data = yaml.safe_load(meta_file.read_text(encoding="utf-8")) or {}
            except (yaml.YAMLError, UnicodeDecodeError) as exc:
                raise ThemeError(f"{meta_file}: not valid YAML: {exc}") from exc
            if not isinstance(data, dict):
                raise ThemeError(f"{meta_file}: expected a mapping with name, description and version")
            return {str(k): str(v) for k, v in data.items() if v is not None}
    return {}


def load_theme(name: str, site_root: Path) -> Theme:
    """The theme called ``name``, with the site's own overrides searched first.

    Raises ThemeError when no such theme exists.
    """
    if not _THEME_NAME.match(name):
        raise ThemeError(f"theme name {name!r} is not a folder name (letters, digits, '.', '_', '-')")
    theme_dirs = [d for d in (site_root / "themes" / name, builtin_themes_dir() / name) if d.is_dir()]
    if not theme_dirs:
        known = ", ".join(available_themes(site_root)) or "none"
        raise ThemeError(
            f"unknown theme {name!r}: no folder {site_root / 'themes' / name} "
            f"nor a built-in theme of that name (available: {known})"
        )
    template_dirs = [site_root / "templates", *(d / "templates" for d in theme_dirs)]
    meta = _read_meta(theme_dirs)
    return Theme(
        name=name,
        template_dirs=tuple(d for d in template_dirs if d.is_dir()),
        static_dirs=tuple(d / "static" for d in theme_dirs if (d / "static").is_dir()),
        description=meta.get("description", ""),
        version=meta.get("version", ""),
    )


def theme_assets(theme: Theme) -> dict[str, Path]:
    """Every static file of the theme by its name under assets/ ("style.css"); overrides win."""
    assets: dict[str, Path] = {}
    for folder in theme.static_dirs:
        for file in sorted(folder.rglob("*")):
            if file.is_file() and not any(part.startswith(".") for part in file.relative_to(folder).parts):
                assets.setdefault(file.relative_to(folder).as_posix(), file)
    return dict(sorted(assets.items()))


def make_environment(theme: Theme) -> jinja2.Environment:
    """A Jinja environment for ``theme``: strict about undefined names, escaping HTML/XML."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in theme.template_dirs]),
        autoescape=jinja2.select_autoescape(["html", "htm", "xml", "svg"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _searched(env: jinja2.Environment) -> str:
    loader = env.loader
    dirs = loader.searchpath if isinstance(loader, jinja2.FileSystemLoader) else []
    return ", ".join(str(d) for d in dirs) or "no template folder"


def _template_line(exc: BaseException) -> str:
    """``file:line`` of the innermost template frame of a rendering error (Jinja
    rewrites tracebacks so template frames carry the template's file name)."""
    where = ""
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith((".html", ".htm", ".xml", ".svg")):
            where = f"{filename}:{tb.tb_lineno}"
        tb = tb.tb_next
    return where


def _url_function(path: str, base_url: str) -> Callable[[str], str]:
    """``url()`` for the page at ``path``: relative URLs, except on the 404 page,
    which hosts serve at any address, where only root-relative URLs work."""
    if path == NOT_FOUND_PATH:
        return lambda target: root_relative_url(base_url, target)
    return lambda target: relative_url(path, target)


CARD_TEMPLATE = "_paper_card.html"
# Rendered paper cards kept between builds: (id(card), page path) -> (card, html). Cards
# are immutable and the id is only trusted for the very same object; whoever keeps the
# memo must empty it when a template or anything shared by every page changes.
CardFragments = MutableMapping[tuple[int, str], tuple[object, Markup]]


def render_page(
    env: jinja2.Environment,
    template_name: str,
    view: object,
    site: SiteView,
    path: str,
    base_url: str,
    fragments: CardFragments | None = None,
) -> str:
    """The HTML of one page: ``template_name`` rendered with ``view`` and ``site``.

    Templates get ``view``, ``site``, ``page_path`` and the functions ``url(path)``,
    ``abs_url(path)``, ``asset_url(name)`` and ``card_html(card)`` (a paper card
    rendered with ``_paper_card.html``, taken from ``fragments`` when there, so long
    lists are joined from cards rendered before). Raises ThemeError for a missing,
    broken or failing template, naming the template and line.
    """
    url = _url_function(path, base_url)
    shared: dict[str, Any] = {
        "site": site,
        "page_path": path,
        "url": url,
        "abs_url": lambda target: absolute_url(base_url, target),
        "asset_url": lambda name: url(paths.asset_path(name)),
    }

    def card_html(card: object) -> Markup:
        key = (id(card), path)
        known = fragments.get(key) if fragments is not None else None
        if known is not None and known[0] is card:
            return known[1]
        html = Markup(env.get_template(CARD_TEMPLATE).render(card=card, **shared))
        if fragments is not None:
            fragments[key] = (card, html)
        return html

    try:
        template = env.get_template(template_name)
        return template.render(view=view, card_html=card_html, **shared)
    except jinja2.TemplateNotFound as exc:
        raise ThemeError(f"template {exc.name!r} not found (searched: {_searched(env)})") from exc
    except jinja2.TemplateSyntaxError as exc:
        raise ThemeError(
            f"{exc.filename or exc.name}:{exc.lineno}: template syntax error: {exc.message}"
        ) from exc
    except jinja2.UndefinedError as exc:
        where = _template_line(exc) or repr(template_name)
        raise ThemeError(f"{where}: {exc.message} (rendering page {path or '/'})") from exc
