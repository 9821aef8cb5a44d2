"""Which template files a page's template uses, and a digest of their contents.

A page must be rendered again when its template, or a template that one
extends, includes or imports, changes. The references are read from each
template's syntax tree (``jinja2.meta``); a template that names another only
at run time (``{% include name %}``) is taken to use every template. A
template that calls ``card_html()`` uses the card template.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import jinja2
from jinja2 import meta

from generator.render import CARD_TEMPLATE, Theme


class TemplateSet:
    """The templates a theme offers, first folder first, as read now."""

    def __init__(self, theme: Theme, env: jinja2.Environment) -> None:
        self.files = _template_files(theme)
        self._env = env
        self._digests: dict[str, str] = {}
        self._refs: dict[str, frozenset[str] | None] = {}
        self._closures: dict[str, str] = {}

    def digest(self, name: str) -> str:
        """A digest of ``name`` and every template it uses, transitively."""
        if name not in self._closures:
            used = sorted(self._closure(name))
            h = hashlib.sha1()
            for item in used:
                h.update(f"{item}\0{self._digest(item)}\0".encode())
            self._closures[name] = h.hexdigest()
        return self._closures[name]

    def _closure(self, name: str) -> set[str]:
        seen: set[str] = set()
        todo = [name]
        while todo:
            current = todo.pop()
            if current in seen:
                continue
            seen.add(current)
            refs = self._references(current)
            todo.extend(self.files if refs is None else refs)
        return seen

    def _digest(self, name: str) -> str:
        if name not in self._digests:
            path = self.files.get(name)
            data = path.read_bytes() if path is not None and path.is_file() else b"\0missing"
            self._digests[name] = hashlib.sha1(data).hexdigest()
        return self._digests[name]

    def _references(self, name: str) -> frozenset[str] | None:
        if name not in self._refs:
            self._refs[name] = self._read_references(name)
        return self._refs[name]

    def _read_references(self, name: str) -> frozenset[str] | None:
        path = self.files.get(name)
        if path is None:
            return frozenset()
        try:
            source = path.read_text("utf-8")
            found = list(meta.find_referenced_templates(self._env.parse(source)))
        except (OSError, UnicodeDecodeError, jinja2.TemplateSyntaxError):
            return frozenset()  # rendering reports it
        if any(ref is None for ref in found):
            return None
        refs = {str(ref) for ref in found}
        if "card_html" in source:
            refs.add(CARD_TEMPLATE)
        return frozenset(refs)


def signature(theme: Theme) -> tuple[tuple[str, str, str], ...]:
    """Template names, files and content digests: when this changes, templates must
    be read again. (Templates are few and small; reading them is cheaper than
    being fooled by a coarse mtime.)"""
    out = []
    for name, path in sorted(_template_files(theme).items()):
        try:
            out.append((name, str(path), hashlib.sha1(path.read_bytes()).hexdigest()))
        except OSError:
            continue
    return tuple(out)


def _template_files(theme: Theme) -> dict[str, Path]:
    files: dict[str, Path] = {}
    for folder in theme.template_dirs:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and not any(p.startswith(".") for p in path.relative_to(folder).parts):
                files.setdefault(path.relative_to(folder).as_posix(), path)
    return files
