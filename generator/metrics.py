"""Bibliometrics computed from papers, merged with a profile's own figures."""

from __future__ import annotations

from collections.abc import Sequence

from babel.numbers import format_decimal

from generator.model import Author, Metric, Paper

# normalised override key -> (metric key, label shown)
STANDARD = {
    "hindex": ("h_index", "h-index"),
    "papers": ("papers", "papers"),
    "citations": ("citations", "citations"),
    "i10index": ("i10_index", "i10-index"),
}


def h_index(citations: Sequence[int]) -> int:
    """The largest h such that h papers have at least h citations each."""
    ranked = sorted(citations, reverse=True)
    return sum(1 for i, c in enumerate(ranked, start=1) if c >= i)


def i10_index(citations: Sequence[int]) -> int:
    return sum(1 for c in citations if c >= 10)


def _normalise(label: str) -> str:
    return "".join(ch for ch in label.lower() if ch.isalnum())


def metrics_for(author: Author, papers: Sequence[Paper], language: str = "en") -> tuple[Metric, ...]:
    """The metrics strip: h-index, papers, citations, i10-index, then custom metrics in YAML order.

    A figure from the profile wins over the computed one. Citation-based figures
    are shown only when some paper carries a citation count or the profile gives them.
    """
    overrides: dict[str, str] = {}
    custom: list[Metric] = []
    for label, given in author.metric_overrides:
        std = STANDARD.get(_normalise(label))
        if std:
            overrides[std[0]] = given
        else:
            custom.append(Metric(label=label, value=given))
    counts = [p.citations for p in papers if p.citations is not None]
    computed: dict[str, int | None] = {
        "h_index": h_index(counts) if counts else None,
        "papers": len(papers),
        "citations": sum(counts) if counts else None,
        "i10_index": i10_index(counts) if counts else None,
    }
    strip: list[Metric] = []
    for key, label in STANDARD.values():
        value = overrides.get(key)
        number = computed[key]
        if value is None and number is not None:
            value = str(format_decimal(number, locale=language))
        if value is not None:
            strip.append(Metric(label=label, value=value, key=key))
    return (*strip, *custom)
