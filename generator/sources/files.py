"""Discovery: the only stage that reads content/."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class SourceFile:
    """A content file as read from disk. ``display`` is the path shown in messages."""

    path: Path
    display: str
    data: bytes
    sha256: str

    @classmethod
    def from_bytes(cls, display: str, data: bytes, path: Path | None = None) -> SourceFile:
        return cls(path or Path(display), display, data, hashlib.sha256(data).hexdigest())

    @classmethod
    def read(cls, path: Path, display: str) -> SourceFile:
        return cls.from_bytes(display, path.read_bytes(), path)
