"""Markdown pages: ``content/pages/*.md`` with YAML front matter."""

from __future__ import annotations

import re

from generator.diagnostics import Diagnostic, SourceLocation, error, warning
from generator.model import Page
from generator.slugs import slugify
from generator.sources.files import SourceFile
from generator.sources.schema import as_text, check_keys, is_type, root_mapping
from generator.sources.yaml_source import decode_text, load_yaml_text

SCHEMA: dict[str, type | tuple[type, ...]] = {
    "title": str,
    "nav_order": int,
    "description": str,
    "slug": str,
    "raw_html": bool,
}
_FENCE = re.compile(r"^---[ \t]*$", re.MULTILINE)
RESERVED_SLUGS = frozenset({"papers", "people", "categories", "publications", "assets", "static", "404"})


def read_page(file: SourceFile) -> tuple[Page | None, list[Diagnostic]]:
    text, diags = decode_text(file)
    front, body, body_line = _split_front_matter(text)
    if front is None and _FENCE.match(text):
        diags.append(
            error(
                "front matter starts with '---' but is never closed",
                SourceLocation(file.display, 1),
                "end the front matter with a line containing only ---",
            )
        )
        return None, diags
    meta: dict[str, object] = {}
    if front is not None:
        # a leading newline keeps YAML's line numbers equal to the file's
        doc = load_yaml_text(file.display, "\n" + front)
        diags += doc.diagnostics
        if any(d.level == "error" for d in doc.diagnostics):
            return None, diags
        meta, root_diags = root_mapping(doc, "front matter")
        diags += root_diags + check_keys(doc, meta, SCHEMA)
        if root_diags:
            return None, diags
    stem = file.path.stem
    title = as_text(meta.get("title")) if is_type(meta.get("title"), str) else ""
    if not title:
        title = stem.replace("-", " ").replace("_", " ").title()
        diags.append(
            warning(
                f"page has no title; using '{title}'",
                SourceLocation(file.display, 1),
                "start the file with front matter: ---, title: My page, ---",
            )
        )
    nav_order = meta.get("nav_order")
    slug_value = meta.get("slug")
    slug = slugify(as_text(slug_value) if is_type(slug_value, str) and slug_value else stem, "page")
    if slug in RESERVED_SLUGS:
        diags.append(
            error(
                f"page slug '{slug}' is used by the generated site",
                SourceLocation(file.display, 1),
                "rename the file or set another `slug:`",
            )
        )
        return None, diags
    description = meta.get("description")
    return Page(
        slug=slug,
        title=title,
        body_markdown=body,
        source=SourceLocation(file.display, body_line),
        nav_order=nav_order if isinstance(nav_order, int) and not isinstance(nav_order, bool) else None,
        description=as_text(description) if is_type(description, str) else "",
        raw_html=meta.get("raw_html") is True,
    ), diags


def _split_front_matter(text: str) -> tuple[str | None, str, int]:
    """(front matter or None, body, line number where the body starts)."""
    if not text.startswith("---"):
        return None, text, 1
    first = _FENCE.match(text)
    if not first:
        return None, text, 1
    closing = _FENCE.search(text, first.end())
    if not closing:
        return None, text, 1
    front = text[first.end() + 1 : closing.start()]
    body = text[closing.end() :].lstrip("\n")
    body_line = text[: len(text) - len(body)].count("\n") + 1
    return front, body, body_line
