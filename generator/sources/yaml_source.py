"""YAML with source lines: every key and value remembers where it was written.

PyYAML's composed node tree carries marks; we construct plain Python values
from it and keep a map from key paths to (line, col), so later validation can
say ``authors/ada.yaml:7:3: ...`` about any key.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from generator.diagnostics import Diagnostic, SourceLocation, error, warning
from generator.sources.files import SourceFile

KeyPath = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class YamlDoc:
    display: str
    data: Any
    marks: dict[KeyPath, tuple[int, int]] = field(default_factory=dict)
    diagnostics: tuple[Diagnostic, ...] = ()

    def loc(self, *path: str | int) -> SourceLocation:
        """The location of ``path``, else of its nearest parent, else the file."""
        while path:
            if path in self.marks:
                line, col = self.marks[path]
                return SourceLocation(self.display, line, col)
            path = path[:-1]
        return SourceLocation(self.display, self.marks.get((), (1, 1))[0])


def decode_text(file: SourceFile) -> tuple[str, list[Diagnostic]]:
    """UTF-8 (with or without BOM); anything else is read as cp1252 with a warning."""
    try:
        return file.data.decode("utf-8-sig").replace("\r\n", "\n"), []
    except UnicodeDecodeError as exc:
        line = file.data[: exc.start].count(b"\n") + 1
        text = file.data.decode("cp1252", errors="replace").replace("\r\n", "\n")
        return text, [
            warning(
                "file is not valid UTF-8; read as Windows-1252",
                SourceLocation(file.display, line),
                "save the file as UTF-8",
            )
        ]


def load_yaml_text(display: str, text: str) -> YamlDoc:
    try:
        loader = yaml.SafeLoader(text)
    except yaml.reader.ReaderError as exc:
        line = text[: max(exc.position, 0)].count("\n") + 1
        return YamlDoc(
            display,
            None,
            {},
            (
                error(
                    f"YAML cannot contain the control character {exc.character!r}",
                    SourceLocation(display, line),
                    "remove it; it may come from copy-paste",
                ),
            ),
        )
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        loc = SourceLocation(display, mark.line + 1, mark.column + 1) if mark else SourceLocation(display)
        problem = exc.problem or exc.context or "invalid YAML"
        hint = "check the indentation and quoting around this line"
        if "'\\t'" in problem:
            hint = "indent with spaces, not tabs"
        return YamlDoc(display, None, {}, (error(f"YAML syntax error: {problem}", loc, hint),))
    except yaml.YAMLError as exc:
        loader.dispose()
        return YamlDoc(display, None, {}, (error(f"YAML error: {exc}", SourceLocation(display)),))
    if node is None:
        loader.dispose()
        return YamlDoc(display, {}, {(): (1, 1)})
    marks: dict[KeyPath, tuple[int, int]] = {}
    diags: list[Diagnostic] = []
    try:
        data = _construct(loader, node, (), marks, diags, display, _Budget())
    except _TooDeep as exc:
        mark = exc.node.start_mark
        loc = SourceLocation(display, mark.line + 1, mark.column + 1)
        return YamlDoc(display, None, {}, (error(str(exc), loc, "write the values out instead of aliases"),))
    finally:
        loader.dispose()
    return YamlDoc(display, data, marks, tuple(diags))


class _TooDeep(Exception):
    def __init__(self, message: str, node: yaml.Node) -> None:
        super().__init__(message)
        self.node = node


@dataclass
class _Budget:
    """Guards against recursive aliases and alias bombs ("billion laughs")."""

    nodes_left: int = 200_000
    stack: set[int] = field(default_factory=set)


def load_yaml(file: SourceFile) -> YamlDoc:
    text, diags = decode_text(file)
    doc = load_yaml_text(file.display, text)
    if diags:
        return YamlDoc(doc.display, doc.data, doc.marks, (*diags, *doc.diagnostics))
    return doc


def _construct(
    loader: yaml.SafeLoader,
    node: yaml.Node,
    path: KeyPath,
    marks: dict[KeyPath, tuple[int, int]],
    diags: list[Diagnostic],
    display: str,
    budget: _Budget,
) -> Any:
    budget.nodes_left -= 1
    if budget.nodes_left < 0:
        raise _TooDeep("YAML document expands to too many values", node)
    if id(node) in budget.stack or len(budget.stack) > 100:
        raise _TooDeep("YAML alias refers to itself or nests too deeply", node)
    if isinstance(node, yaml.ScalarNode):
        marks[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        return _scalar(loader, node)
    budget.stack.add(id(node))
    try:
        return _construct_collection(loader, node, path, marks, diags, display, budget)
    finally:
        budget.stack.discard(id(node))


def _construct_collection(
    loader: yaml.SafeLoader,
    node: yaml.Node,
    path: KeyPath,
    marks: dict[KeyPath, tuple[int, int]],
    diags: list[Diagnostic],
    display: str,
    budget: _Budget,
) -> Any:
    marks[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = _scalar(loader, key_node)
            if key == "<<":
                continue
            skey = str(key)
            if skey in out:
                diags.append(
                    warning(
                        f"key '{skey}' is given twice; the last one wins",
                        SourceLocation(display, key_node.start_mark.line + 1, key_node.start_mark.column + 1),
                        "remove one of them",
                    )
                )
            out[skey] = _construct(loader, value_node, (*path, skey), marks, diags, display, budget)
            marks[(*path, skey)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [
            _construct(loader, item, (*path, i), marks, diags, display, budget)
            for i, item in enumerate(node.value)
        ]
    return _scalar(loader, node)


def _scalar(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    if not isinstance(node, yaml.ScalarNode):
        return str(node.value)
    try:
        return loader.construct_object(node)
    except yaml.YAMLError:
        return node.value
