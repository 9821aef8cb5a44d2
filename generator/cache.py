"""The cache folder: what ``scholarpages build`` keeps between runs.

``.scholarpages-cache/`` sits next to the content folder. It holds one file per
(content, output, theme, base URL): the pickled :class:`~generator.incremental.engine.Engine`
of the last build, with the fingerprint of every file it wrote. The next build
starts from it, so it re-reads changed files only and rewrites only pages whose
inputs changed.

The cache is only ever a shortcut. A file that cannot be read, is corrupt, or
was written by another version of the generator is ignored (and replaced after
the build); output files whose size or mtime are not what the cache recorded
are rendered again. Deleting the folder is always safe.
"""

from __future__ import annotations

import contextlib
import copyreg
import io
import os
import pickle
import types
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import generator
from generator.gcpause import gc_paused
from generator.incremental.engine import Engine, Record, Settings
from generator.stamps import CACHE_DIR, cache_path, code_digest
from generator.write import MANIFEST, atomic_write, read_manifest

__all__ = ["CACHE_DIR", "BuildCache", "checked_records", "code_digest", "records_from_manifest"]

_MAGIC = b"scholarpages-cache\n"


def _mapping_proxy(data: dict[Any, Any]) -> Mapping[Any, Any]:
    return types.MappingProxyType(data)


def _reduce_mapping_proxy(obj: Mapping[Any, Any]) -> tuple[Any, ...]:
    return _mapping_proxy, (dict(obj),)


_DISPATCH = {**copyreg.dispatch_table, types.MappingProxyType: _reduce_mapping_proxy}


class _Pickler(pickle.Pickler):
    """Pickles the read-only mappings of the data model as what they wrap. (A dispatch
    table, not ``reducer_override``: that is a Python call for each of millions of objects.)"""

    def __init__(self, file: io.BytesIO, protocol: int) -> None:
        super().__init__(file, protocol)
        self.dispatch_table = _DISPATCH


class BuildCache:
    """The cache file of one build setting."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.path = cache_path(settings.content_dir, settings.output_dir, settings.theme, settings.base_url)

    def header(self) -> bytes:
        return _MAGIC + f"{generator.__version__} {code_digest()}\n".encode()

    def load(self) -> Engine | None:
        """The engine of the last build, its records checked against the output
        folder; None when there is no usable cache."""
        try:
            data = self.path.read_bytes()
        except OSError:
            return None
        header = self.header()
        if not data.startswith(header):
            return None
        try:
            with gc_paused():
                engine = pickle.loads(data[len(header) :])
        except Exception:  # a corrupt cache is no cache
            return None
        if not isinstance(engine, Engine) or engine.settings != self.settings:
            return None
        engine.records = checked_records(self.settings.output_dir, engine.records)
        engine.forget_hashes()
        return engine

    def save(self, engine: Engine) -> None:
        """Store ``engine``; a cache that cannot be written is only a missed shortcut."""
        buffer = io.BytesIO()
        buffer.write(self.header())
        try:
            with gc_paused():  # the pickler's memo holds millions of new objects: no collections
                _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(engine)
            self.path.parent.mkdir(parents=True, exist_ok=True)
            _ignore_in_git(self.path.parent)
            atomic_write(self.path, buffer.getvalue())
            _forget_old(self.path.parent, keep=self.path)
        except (OSError, pickle.PicklingError, TypeError, AttributeError):
            with contextlib.suppress(OSError):
                self.path.unlink()


KEEP = 4  # cache files of other settings (output folders, themes) kept, newest first


def _forget_old(folder: Path, keep: Path) -> None:
    """Only the caches of the few settings used last stay: each holds a whole site."""
    others = sorted(
        (p for p in folder.glob("build-*.pickle") if p != keep), key=lambda p: p.stat().st_mtime, reverse=True
    )
    for old in others[KEEP - 1 :]:
        with contextlib.suppress(OSError):
            old.unlink()


def _ignore_in_git(folder: Path) -> None:
    """A cache folder inside a repository that does not ignore it stays out of commits."""
    marker = folder / ".gitignore"
    if not marker.exists():
        marker.write_text("*\n", encoding="utf-8")


def checked_records(output: Path, records: Mapping[str, Record]) -> dict[str, Record]:
    """The records whose file is still as written (same size and mtime, in the manifest).

    A file of ours changed since (by hand, by another build) keeps a blank record: it
    is rendered and written again, without being mistaken for a file of the user's.
    """
    manifest = read_manifest(output) if (output / MANIFEST).is_file() else {}
    out = {}
    for rel, record in records.items():
        try:
            st = os.stat(output / rel)
        except OSError:
            continue
        same = (st.st_size, st.st_mtime_ns) == (record.size, record.mtime_ns)
        if manifest.get(rel) == record.sha256 and same:
            out[rel] = record
        elif rel in manifest:
            out[rel] = Record("", "", -1, -1)
    # Paths a killed build claimed in the manifest but never recorded: ours, state unknown.
    for rel in manifest.keys() - records.keys():
        out[rel] = Record("", "", -1, -1)
    return out


def records_from_manifest(output: Path) -> dict[str, Record]:
    """What the output folder's manifest says was written: hashes without fingerprints,
    so every page is rendered, but unchanged files are not written again."""
    return {rel: Record("", sha, -1, -1) for rel, sha in read_manifest(output).items()}
