"""Checking YAML mappings against the keys and types a file may have."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import Any

from generator.diagnostics import Diagnostic, error, warning
from generator.sources.yaml_source import YamlDoc

TYPE_NAMES = {str: "text", int: "a whole number", bool: "true or false", list: "a list", dict: "a mapping"}


def did_you_mean(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else f"known keys: {', '.join(sorted(choices))}"


def root_mapping(doc: YamlDoc, what: str) -> tuple[dict[str, Any], list[Diagnostic]]:
    """The document as a mapping; anything else is an error and an empty mapping."""
    if doc.data is None and not doc.diagnostics:
        return {}, []
    if isinstance(doc.data, dict):
        return doc.data, []
    if doc.data is None:
        return {}, []
    kind = type(doc.data).__name__ if not isinstance(doc.data, list) else "a list"
    return {}, [
        error(
            f"{what} must be a mapping of keys to values, not {kind}",
            doc.loc(),
            "write `key: value` lines, e.g. `name: Ada Lovelace`",
        )
    ]


def check_keys(
    doc: YamlDoc,
    mapping: Mapping[str, Any],
    schema: Mapping[str, type | tuple[type, ...]],
    prefix: tuple[str, ...] = (),
) -> list[Diagnostic]:
    """Unknown keys (with a suggestion) are warnings; values of the wrong type are errors."""
    diags: list[Diagnostic] = []
    for key, value in mapping.items():
        path = (*prefix, key)
        if key not in schema:
            diags.append(warning(f"unknown key '{key}'", doc.loc(*path), did_you_mean(key, list(schema))))
            continue
        expected = schema[key]
        if value is None or is_type(value, expected):
            continue
        diags.append(
            error(
                f"'{key}' must be {_type_name(expected)}, not {describe(value)}",
                doc.loc(*path),
                f"for example: {_example(key, expected)}",
            )
        )
    return diags


def is_type(value: Any, expected: type | tuple[type, ...]) -> bool:
    types = expected if isinstance(expected, tuple) else (expected,)
    if isinstance(value, bool) and bool not in types:
        return False
    if str in types and isinstance(value, int | float) and not isinstance(value, bool):
        return True  # `title: 2023` is fine as text
    return isinstance(value, types)


def _type_name(expected: type | tuple[type, ...]) -> str:
    types = expected if isinstance(expected, tuple) else (expected,)
    return " or ".join(TYPE_NAMES.get(t, t.__name__) for t in types)


def describe(value: Any, numbers: bool = False) -> str:
    """A wrong value as a message shows it: its kind, or the text (cut at 40 characters);
    with ``numbers``, a number as itself rather than "a number"."""
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, int | float):
        return str(value) if numbers else "a number"
    text = str(value)
    return f"'{text[:40]}...'" if len(text) > 40 else f"'{text}'"


def _example(key: str, expected: type | tuple[type, ...]) -> str:
    types = expected if isinstance(expected, tuple) else (expected,)
    if list in types:
        return f"`{key}: [one, two]`"
    if dict in types:
        return f"`{key}:` followed by indented `name: value` lines"
    if bool in types:
        return f"`{key}: true`"
    if int in types:
        return f"`{key}: 3`"
    return f"`{key}: some text`"


def as_text(value: Any) -> str:
    """A YAML scalar shown as the user wrote it (54% stays 54%, 19 becomes "19")."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
