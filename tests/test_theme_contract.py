"""docs/theme-contract.md is generated from generator/views.py and must never go stale."""

from __future__ import annotations

import re
import typing
from dataclasses import MISSING, fields, is_dataclass
from pathlib import Path

import pytest

from generator import render, views

ROOT = Path(__file__).resolve().parent.parent
CONTRACT = ROOT / "docs" / "theme-contract.md"
REGENERATE = ".venv/bin/python -m generator.views > docs/theme-contract.md"


def test_contract_document_is_up_to_date() -> None:
    expected = views.contract_markdown()
    current = CONTRACT.read_text(encoding="utf-8") if CONTRACT.is_file() else ""
    assert current == expected, (
        f"docs/theme-contract.md is out of date with generator/views.py; run: {REGENERATE}"
    )


@pytest.mark.parametrize("cls", views.VIEW_CLASSES, ids=lambda c: c.__name__)
def test_every_view_and_field_is_documented(cls: type) -> None:
    assert is_dataclass(cls)
    assert vars(cls)["__dataclass_params__"].frozen, f"{cls.__name__} must be frozen"
    assert (cls.__doc__ or "").strip(), f"{cls.__name__} needs a docstring"
    for name, type_name, doc in views.field_docs(cls):
        assert doc.strip(), f"{cls.__name__}.{name} needs a description: Annotated[{type_name}, '...']"
    defaults = [f.name for f in fields(cls) if f.default is not MISSING or f.default_factory is not MISSING]
    assert not defaults, f"{cls.__name__}: every field is given by its builder, so none has a default"


def _nested_classes(cls: type) -> set[type]:
    found: set[type] = set()
    for hint in typing.get_type_hints(cls).values():
        stack = [hint]
        while stack:
            tp = stack.pop()
            stack.extend(typing.get_args(tp))
            if isinstance(tp, type) and is_dataclass(tp):
                found.add(tp)
    return found


def test_every_class_a_template_can_reach_is_in_the_contract() -> None:
    listed = set(views.VIEW_CLASSES)
    for cls in views.VIEW_CLASSES:
        missing = _nested_classes(cls) - listed
        assert not missing, f"{cls.__name__} holds {missing}: add them to views.VIEW_CLASSES"


def test_the_default_theme_has_every_template_of_the_contract(tmp_path: Path) -> None:
    theme = render.load_theme("default", tmp_path)
    names = {p.name for d in theme.template_dirs for p in d.iterdir()}
    assert {name for name, _ in views.TEMPLATES} <= names
    assert "base.html" in names


VIEW_ATTRIBUTE = re.compile(r"\bview\.([a-z_]+)")
SITE_ATTRIBUTE = re.compile(r"\bsite\.([a-z_]+)")


@pytest.mark.parametrize(("template", "cls"), views.TEMPLATES, ids=[name for name, _ in views.TEMPLATES])
def test_templates_use_only_contract_fields(template: str, cls: type, tmp_path: Path) -> None:
    """A typo in a template is caught here, not by the first site that renders that page."""
    theme = render.load_theme("default", tmp_path)
    source = next(d / template for d in theme.template_dirs if (d / template).is_file()).read_text()
    base = next(d / "base.html" for d in theme.template_dirs if (d / "base.html").is_file()).read_text()
    view_fields = {f.name for f in fields(cls)}
    used = set(VIEW_ATTRIBUTE.findall(source))
    if 'extends "base.html"' in source:
        used |= set(VIEW_ATTRIBUTE.findall(base))
    assert used <= view_fields, f"{template} uses {used - view_fields}, not fields of {cls.__name__}"
    site_fields = {f.name for f in fields(views.SiteView)}
    assert set(SITE_ATTRIBUTE.findall(source + base)) <= site_fields
