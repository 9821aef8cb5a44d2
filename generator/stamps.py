"""File stamps, and the stamp of the last build: a build with nothing to do stops here.

A file's stamp is its (mtime, size, inode): what changes when it is saved. The
loader, the preview server and :class:`BuildStamp` all decide "unchanged" by it.

The cache folder (:mod:`generator.cache`) makes a build with no change write
nothing, but loading it (a whole site, pickled) takes seconds for a big site.
Beside it, ``build-<id>.stamp`` records what the last build that finished whole
saw and left: the generator's code, the options and working folder, the stamp
of every input file (content, template overrides, site themes, built-in themes)
taken before the build read them, the size and mtime of every file it wrote
and the stamp of the output folder's manifest, and its messages. When all of
them still hold, the output folder is what a build would make: ``scholarpages
build`` prints the messages again and stops. Anything missing, unreadable or
different, or an input saved too shortly before its stamp was taken to be
trusted (see RACY_NS), means: build. The checks are the build's own: it renders
again an output file whose size or mtime changed.

This module imports only the standard library and light parts of the
generator, so that the check costs little more than starting Python.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import time
from array import array
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import generator
from generator.diagnostics import Diagnostic
from generator.write import MANIFEST, atomic_write

Stamp = tuple[int, int, int]  # mtime_ns, size, inode
# A file changed this recently may change again within the file system's clock
# tick without its stamp changing: its content is compared too (as git does).
RACY_NS = 2_000_000_000
CACHE_DIR = ".scholarpages-cache"


def stamp(path: Path | str) -> Stamp | None:
    """What changes when a file is saved; None when it is gone."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size, st.st_ino)


def snapshot(roots: Iterable[Path]) -> dict[str, Stamp]:
    """Every file under ``roots`` (hidden ones left out) with its stamp."""
    out: dict[str, Stamp] = {}
    for root in roots:
        for folder, dirs, files in os.walk(root):
            dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "__pycache__")
            for name in files:
                if name.startswith("."):
                    continue
                path = os.path.join(folder, name)
                found = stamp(path)
                if found is not None:
                    out[path] = found
    return out


def builtin_themes_dir() -> Path:
    """Built-in themes: inside the package in a wheel, else the repository's themes/."""
    packaged = Path(generator.__file__).parent / "themes"
    return packaged if packaged.is_dir() else Path(generator.__file__).parent.parent / "themes"


def watched(content_dir: Path) -> list[Path]:
    """Every folder a build reads: content, the site's templates and themes, the built-in themes."""
    content = content_dir.resolve()
    return [content, content.parent / "templates", content.parent / "themes", builtin_themes_dir()]


def display_path(path: Path) -> str:
    """Paths in messages are relative to the working folder when they can be."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def code_digest() -> str:
    """A digest of the generator's code: what other code cached is not used (its classes
    may have other fields, its pages other bytes), even within one version number."""
    package = Path(generator.__file__).parent
    h = hashlib.sha1()
    for path in sorted(package.rglob("*.py")):
        h.update(path.relative_to(package).as_posix().encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def cache_path(content_dir: Path, output_dir: Path, theme: str | None, base_url: str | None) -> Path:
    """The cache file of one build setting, in the cache folder beside the content folder
    (its stamp is the same name ending in ``.stamp``)."""
    ident = repr((str(content_dir.resolve()), str(output_dir.resolve()), theme, base_url))
    root = content_dir.resolve().parent / CACHE_DIR
    return root / f"build-{hashlib.sha1(ident.encode()).hexdigest()[:16]}.pickle"


class Written(Protocol):
    """An output file as written: what :class:`BuildStamp` needs of a build record."""

    @property
    def size(self) -> int: ...

    @property
    def mtime_ns(self) -> int: ...


@dataclass(frozen=True, slots=True)
class UpToDate:
    """What the last build reported, for a build that had nothing to do."""

    pages: int
    diagnostics: tuple[Diagnostic, ...]


@dataclass(frozen=True, slots=True)
class Inputs:
    """The input files' stamps, taken before a build read them."""

    taken_at: int  # time.time_ns() before the first file was looked at
    stamps: dict[str, Stamp]


class BuildStamp:
    """The stamp of one build setting (see the module's docstring)."""

    VERSION = 1  # of the stamp's own format

    def __init__(self, content_dir: Path, output_dir: Path, theme: str | None, base_url: str | None) -> None:
        self.content_dir = content_dir
        self.output_dir = output_dir
        self.path = cache_path(content_dir, output_dir, theme, base_url).with_suffix(".stamp")
        self.ident = (
            self.VERSION,
            generator.__version__,
            str(content_dir.resolve()),
            str(output_dir.resolve()),
            theme,
            base_url,
            os.getcwd(),  # paths in the messages are relative to it
        )

    def inputs(self) -> Inputs:
        """The inputs as they are now; call before the build reads them. The stamp of the
        last build is removed: it no longer says anything once a build has begun."""
        with contextlib.suppress(OSError):
            self.path.unlink()
        taken_at = time.time_ns()
        return Inputs(taken_at, snapshot(watched(self.content_dir)))

    def save(
        self, inputs: Inputs, written: Mapping[str, Written], pages: int, diagnostics: Sequence[Diagnostic]
    ) -> None:
        """Record a build that finished whole: ``written`` is every output file it made or
        kept, as it is now on disk. A stamp that cannot be written is a missed shortcut."""
        manifest = stamp(self.output_dir / MANIFEST)
        if manifest is None:
            return
        rels = list(written)
        state = {
            "ident": self.ident,
            "code": code_digest(),
            "inputs": inputs,
            "manifest": manifest,
            "rels": rels,
            "sizes": array("q", (written[rel].size for rel in rels)),
            "mtimes": array("q", (written[rel].mtime_ns for rel in rels)),
            "pages": pages,
            "diagnostics": tuple(diagnostics),
        }
        with contextlib.suppress(OSError, pickle.PicklingError):
            atomic_write(self.path, pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL))

    def check(self) -> UpToDate | None:
        """What the last build reported, if it is still exactly what a build would do now;
        None if anything may have changed."""
        try:
            state: dict[str, Any] = pickle.loads(self.path.read_bytes())
            if state["ident"] != self.ident or state["code"] != code_digest():
                return None
            inputs: Inputs = state["inputs"]
            if any(s[0] + RACY_NS > inputs.taken_at for s in inputs.stamps.values()):
                return None  # saved so shortly before the snapshot that a change could hide
            if snapshot(watched(self.content_dir)) != inputs.stamps:
                return None
            if stamp(self.output_dir / MANIFEST) != state["manifest"]:
                return None
            if not _unchanged(str(self.output_dir), state["rels"], state["sizes"], state["mtimes"]):
                return None
            return UpToDate(int(state["pages"]), tuple(state["diagnostics"]))
        except Exception:  # a missing, corrupt or foreign stamp is no stamp
            return None


def _unchanged(output: str, rels: Sequence[str], sizes: Sequence[int], mtimes: Sequence[int]) -> bool:
    """Every output file still has the size and mtime it was written with."""
    for rel, size, mtime in zip(rels, sizes, mtimes, strict=True):
        try:
            st = os.stat(os.path.join(output, rel))
        except OSError:
            return False
        if st.st_size != size or st.st_mtime_ns != mtime:
            return False
    return True
