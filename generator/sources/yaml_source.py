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
        loader.dispose()
        return YamlDoc(display, None, {}, (error(f"YAML syntax error: {problem}", loc, hint),))
    except yaml.YAMLError as exc:
        loader.dispose()
        return YamlDoc(display, None, {}, (error(f"YAML error: {exc}", SourceLocation(display)),))
    if node is None:
        loader.dispose()
        return YamlDoc(display, {}, {(): (1, 1)})
    walker = _Walker(loader, display)
    try:
        data = walker.value(node, ())
    except _TooDeep as exc:
        mark = exc.node.start_mark
        loc = SourceLocation(display, mark.line + 1, mark.column + 1)
        return YamlDoc(display, None, {}, (error(str(exc), loc, "write the values out instead of aliases"),))
    finally:
        loader.dispose()
    return YamlDoc(display, data, walker.marks, tuple(walker.diags))


class _TooDeep(Exception):
    def __init__(self, message: str, node: yaml.Node) -> None:
        super().__init__(message)
        self.node = node


def load_yaml(file: SourceFile) -> YamlDoc:
    text, diags = decode_text(file)
    doc = load_yaml_text(file.display, text)
    if diags:
        return YamlDoc(doc.display, doc.data, doc.marks, (*diags, *doc.diagnostics))
    return doc


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


@dataclass
class _Walker:
    """Builds plain values from the node tree, recording where each key was written.

    Also guards against recursive aliases and alias bombs ("billion laughs").
    """

    loader: yaml.SafeLoader
    display: str
    marks: dict[KeyPath, tuple[int, int]] = field(default_factory=dict)
    diags: list[Diagnostic] = field(default_factory=list)
    nodes_left: int = 200_000
    stack: set[int] = field(default_factory=set)

    def value(self, node: yaml.Node, path: KeyPath) -> Any:
        self.nodes_left -= 1
        if self.nodes_left < 0:
            raise _TooDeep("YAML document expands to too many values", node)
        if id(node) in self.stack or len(self.stack) > 100:
            raise _TooDeep("YAML alias refers to itself or nests too deeply", node)
        self.marks[path] = _mark(node)
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node)
        self.stack.add(id(node))
        try:
            if isinstance(node, yaml.MappingNode):
                return self.mapping(node, path)
            if isinstance(node, yaml.SequenceNode):
                return [self.value(item, (*path, i)) for i, item in enumerate(node.value)]
            return self.scalar(node)
        finally:
            self.stack.discard(id(node))

    def mapping(self, node: yaml.MappingNode, path: KeyPath) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = self.scalar(key_node)
            if key == "<<":
                continue
            skey = str(key)
            if skey in out:
                self.diags.append(
                    warning(
                        f"key '{skey}' is given twice; the last one wins",
                        SourceLocation(self.display, *_mark(key_node)),
                        "remove one of them",
                    )
                )
            out[skey] = self.value(value_node, (*path, skey))
            self.marks[(*path, skey)] = _mark(key_node)
        return out

    def scalar(self, node: yaml.Node) -> Any:
        if not isinstance(node, yaml.ScalarNode):
            return str(node.value)
        try:
            return self.loader.construct_object(node)
        except yaml.YAMLError:
            return node.value
