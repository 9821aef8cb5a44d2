"""Problems found in content, reported as ``path:line:col: level: message (hint)``.

Stages return diagnostics instead of raising, so one run can report every
problem at once; only :class:`ContentError` may escape a stage.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

Level = Literal["error", "warning"]


@dataclass(frozen=True, slots=True, order=True)
class SourceLocation:
    """Where a record came from; ``path`` is as the user should see it."""

    path: str
    line: int | None = None
    col: int | None = None

    def __str__(self) -> str:
        parts = [self.path]
        if self.line is not None:
            parts.append(str(self.line))
            if self.col is not None:
                parts.append(str(self.col))
        return ":".join(parts)


@dataclass(frozen=True, slots=True)
class Diagnostic:
    level: Level
    message: str
    location: SourceLocation | None = None
    hint: str = ""
    code: str = ""

    def format(self) -> str:
        where = f"{self.location}: " if self.location else ""
        hint = f" ({self.hint})" if self.hint else ""
        return f"{where}{self.level}: {self.message}{hint}"

    def sort_key(self) -> tuple[str, int, int, str]:
        loc = self.location
        if loc is None:
            return ("", 0, 0, self.message)
        return (loc.path, loc.line or 0, loc.col or 0, self.message)


def error(message: str, location: SourceLocation | None = None, hint: str = "", code: str = "") -> Diagnostic:
    return Diagnostic("error", message, location, hint, code)


def warning(
    message: str, location: SourceLocation | None = None, hint: str = "", code: str = ""
) -> Diagnostic:
    return Diagnostic("warning", message, location, hint, code)


def sorted_diagnostics(diags: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Sorted by file and line, duplicates dropped (the same file may be read twice)."""
    return sorted(set(diags), key=Diagnostic.sort_key)


def has_errors(diags: Iterable[Diagnostic], strict: bool = False) -> bool:
    return any(d.level == "error" or strict for d in diags)


class ContentError(Exception):
    """The project's own error type: content so broken that a stage cannot go on."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.format())
        self.diagnostic = diagnostic
