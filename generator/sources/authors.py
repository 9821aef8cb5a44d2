"""Author profiles: ``content/authors/<slug>.yaml`` -> :class:`Author`."""

from __future__ import annotations

from typing import Any

from generator.diagnostics import Diagnostic, error, warning
from generator.model import Author, ProfileLink
from generator.safeurl import email_url, safe_url
from generator.sources.citations import read_by_year
from generator.sources.schema import as_text, check_keys, is_type, root_mapping
from generator.sources.yaml_source import YamlDoc

SCHEMA: dict[str, type | tuple[type, ...]] = {
    "name": str,
    "aliases": (list, str),
    "affiliation": str,
    "role": str,
    "category": str,
    "avatar": str,
    "bio": str,
    "links": (dict, list),
    "metrics": dict,
    "papers": (list, str),
    "citations_by_year": dict,
}

LINK_LABELS = {
    "homepage": "Homepage",
    "website": "Website",
    "github": "GitHub",
    "gitlab": "GitLab",
    "scholar": "Google Scholar",
    "google_scholar": "Google Scholar",
    "orcid": "ORCID",
    "email": "Email",
    "twitter": "Twitter",
    "x": "X",
    "bluesky": "Bluesky",
    "mastodon": "Mastodon",
    "linkedin": "LinkedIn",
    "dblp": "DBLP",
    "semantic_scholar": "Semantic Scholar",
    "researchgate": "ResearchGate",
    "arxiv": "arXiv",
    "cv": "CV",
}


def read_author(doc: YamlDoc, slug: str) -> tuple[Author | None, list[Diagnostic]]:
    """One profile; None when it cannot be used (no name, not a mapping)."""
    data, diags = root_mapping(doc, "an author profile")
    if not data and diags:
        return None, diags
    diags += check_keys(doc, data, SCHEMA)
    name = as_text(data.get("name")) if is_type(data.get("name"), str) else ""
    if not name:
        diags.append(
            error("author profile has no 'name'", doc.loc("name"), "add a line like `name: Ada Lovelace`")
        )
        return None, diags
    links, link_diags = _links(doc, data.get("links"))
    metrics, metric_diags = _metrics(doc, data.get("metrics"))
    by_year, by_year_diags = read_by_year(doc, data.get("citations_by_year"), ("citations_by_year",))
    author = Author(
        slug=slug,
        name=name,
        source=doc.loc(),
        aliases=_text_list(data.get("aliases")),
        affiliation=_text(data, "affiliation"),
        role=_text(data, "role"),
        category=_text(data, "category"),
        avatar=_text(data, "avatar").lstrip("/"),
        bio_markdown=_text(data, "bio"),
        links=links,
        metric_overrides=metrics,
        paper_keys=_text_list(data.get("papers")),
        citations_by_year=by_year,
    )
    return author, diags + link_diags + metric_diags + by_year_diags


def _text(data: dict[str, Any], key: str) -> str:
    value = data.get(key)
    return as_text(value) if is_type(value, str) else ""


def _text_list(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value.strip(),) if value.strip() else ()
    if isinstance(value, list):
        return tuple(as_text(v) for v in value if as_text(v) and not isinstance(v, dict | list))
    return ()


def _links(doc: YamlDoc, value: Any) -> tuple[tuple[ProfileLink, ...], list[Diagnostic]]:
    """``links:`` as a mapping (kind: url) or a list of {label, url} mappings."""
    pairs: list[tuple[str, Any, tuple[str | int, ...]]] = []
    if isinstance(value, dict):
        pairs = [(k, v, ("links", k)) for k, v in value.items()]
    elif isinstance(value, list):
        for i, item in enumerate(value):
            if isinstance(item, dict) and "url" in item:
                pairs.append((as_text(item.get("label", "Link")), item["url"], ("links", i)))
    out: list[ProfileLink] = []
    diags: list[Diagnostic] = []
    for kind, raw, path in pairs:
        text = as_text(raw)
        if not text or isinstance(raw, dict | list):
            continue
        key = kind.strip().lower().replace("-", "_").replace(" ", "_")
        url = email_url(text) if key == "email" else safe_url(text)
        if url is None:
            diags.append(
                warning(
                    f"link '{kind}' is not an http(s), mailto or relative URL; it is left out",
                    doc.loc(*path),
                    "use a full address such as https://example.org/",
                )
            )
            continue
        out.append(ProfileLink(key, LINK_LABELS.get(key, kind), url))
    return tuple(out), diags


def _metrics(doc: YamlDoc, value: Any) -> tuple[tuple[tuple[str, str], ...], list[Diagnostic]]:
    if not isinstance(value, dict):
        return (), []
    out: list[tuple[str, str]] = []
    diags: list[Diagnostic] = []
    for label, raw in value.items():
        if isinstance(raw, dict | list) or raw is None:
            diags.append(
                error(
                    f"metric '{label}' must be a single value",
                    doc.loc("metrics", label),
                    f"e.g. `{label}: 42`",
                )
            )
            continue
        out.append((str(label), as_text(raw)))
    return tuple(out), diags
