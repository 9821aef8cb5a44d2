"""The only stage that writes: output files replaced atomically, only when changed.

Each file is written to a temporary name in its own folder and renamed over
the old one, so a crash or Ctrl-C never leaves a truncated page; a manifest of
generated files (written last) lets the next build remove pages whose source
is gone without ever touching files the generator did not create.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from generator import __version__

MANIFEST = ".scholarpages-manifest.json"


class UnsafeOutput(Exception):
    """The output folder cannot be written without harming files we did not create."""


@dataclass(slots=True)
class WriteResult:
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def check_output_dir(output: Path, protected: list[Path]) -> None:
    """Refuse an output folder that is, or contains, the user's sources."""
    out = output.resolve()
    if out == Path(out.anchor):
        raise UnsafeOutput(f"refusing to write the site into the root folder {out}")
    for path in protected:
        p = path.resolve()
        if out == p or out in p.parents:
            raise UnsafeOutput(f"output folder {output} contains {path}; choose another --output")


def safe_relpath(rel: str) -> PurePosixPath:
    """A generated path, guaranteed to stay inside the output folder."""
    path = PurePosixPath(rel)
    if path.is_absolute() or ".." in path.parts or "\\" in rel or "\x00" in rel or not path.parts:
        raise UnsafeOutput(f"refusing to write outside the output folder: {rel!r}")
    return path


def read_manifest(output: Path) -> dict[str, str]:
    """Generated path -> sha256, from the last build; empty when missing or unreadable."""
    try:
        data = json.loads((output / MANIFEST).read_text("utf-8"))
        files = data.get("files", {})
        if isinstance(files, dict) and all(isinstance(v, str) for v in files.values()):
            return {str(k): v for k, v in files.items()}
    except (OSError, ValueError, AttributeError):
        pass
    return {}


def write_site(output: Path, files: Mapping[str, bytes]) -> WriteResult:
    """Make ``output`` hold exactly ``files`` among the files the generator owns."""
    previous = read_manifest(output)
    return write_changes(output, files, previous, set(previous) - set(files))[0]


def write_changes(
    output: Path,
    changed: Mapping[str, bytes],
    previous: Mapping[str, str],
    gone: Collection[str],
    defer_manifest: bool = False,
) -> tuple[WriteResult, dict[str, str]]:
    """Write ``changed`` files, remove the ``gone`` ones and keep every other file of the
    ``previous`` manifest (path -> sha256); return the result and the new manifest.

    An incremental build passes only the pages it rendered, so unchanged pages are
    never even hashed; a full build passes everything. A file is rewritten only when
    its bytes differ from the manifest's, so its mtime says when it last changed. The
    manifest itself is rewritten only when it changes; with ``defer_manifest`` only
    when the set of files changes (a preview server rewrites it on exit: an outdated
    hash only costs a rewrite, a missing file name would make the next build refuse
    to overwrite that file).
    """
    _refuse_foreign_files(output, changed, previous)
    if not output.exists() or (output.is_dir() and not any(output.iterdir())):
        return _write_fresh(output, changed)
    new = [rel for rel in changed if rel not in previous]
    if new:
        # Claim new paths, with no hash, before writing them: after a crash they are still
        # known as ours. (Files that were rewritten show a new mtime to the build cache.)
        write_manifest(output, {**previous, **dict.fromkeys(new, "")})
    result = WriteResult()
    hashes = dict(previous)
    for rel in gone:
        hashes.pop(rel, None)
    for rel in sorted(changed, key=write_order):
        data = changed[rel]
        target = output / safe_relpath(rel)
        hashes[rel] = h = digest(data)
        if previous.get(rel) == h and _same_size(target, len(data)):
            result.unchanged.append(rel)
            continue
        atomic_write(target, data)
        result.written.append(rel)
    # Stale pages go only after every new page exists, so links never dangle.
    # Pages that link go before what they link to, the reverse of the write order.
    for rel in sorted((r for r in gone if r in previous and r not in changed), key=write_order, reverse=True):
        with contextlib.suppress(UnsafeOutput):
            target = output / safe_relpath(rel)
            if target.is_file():
                target.unlink()
                result.removed.append(rel)
                _remove_empty_parents(target.parent, output)
    files_changed = len(hashes) != len(previous) or any(r not in previous for r in changed)
    if files_changed or (not defer_manifest and hashes != previous) or not (output / MANIFEST).is_file():
        write_manifest(output, hashes)
    return result, hashes


def write_order(rel: str) -> tuple[int, int, int, str]:
    """Files that pages link to go before the pages, paper pages before the lists.

    If a build is killed half-way, every page already replaced links only to
    files that exist: assets and papers first, deeper pages before shallower
    ones, the home page last.
    """
    is_page = rel.endswith(".html")
    return (is_page, not rel.startswith("papers/"), -rel.count("/"), rel)


def _write_fresh(output: Path, files: Mapping[str, bytes]) -> tuple[WriteResult, dict[str, str]]:
    """A first build goes to a folder beside ``output`` that is renamed when complete,
    so a killed first build leaves no half site behind."""
    for stale in output.parent.glob(f".{output.name}.partial-*"):
        shutil.rmtree(stale, ignore_errors=True)  # left by a killed first build: ours
    tmp = output.parent / f".{output.name}.partial-{os.getpid()}"
    result = WriteResult()
    hashes: dict[str, str] = {}
    for rel in sorted(files, key=write_order):
        data = files[rel]
        atomic_write(tmp / safe_relpath(rel), data)
        hashes[rel] = digest(data)
        result.written.append(rel)
    write_manifest(tmp, hashes)
    if output.exists():
        output.rmdir()  # empty, checked by the caller
    os.replace(tmp, output)
    return result, hashes


def write_manifest(output: Path, hashes: Mapping[str, str]) -> None:
    manifest = json.dumps({"generator": __version__, "files": hashes}, indent=0, sort_keys=True)
    atomic_write(output / MANIFEST, manifest.encode("utf-8"))


def atomic_write(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def _same_size(path: Path, size: int) -> bool:
    try:
        return path.stat().st_size == size
    except OSError:
        return False


def _refuse_foreign_files(output: Path, files: Mapping[str, bytes], previous: Mapping[str, str]) -> None:
    """A file we would overwrite that no build of ours wrote belongs to the user."""
    if not output.exists():
        return
    for rel in files:
        if rel in previous:
            continue
        target = output / safe_relpath(rel)
        if target.is_file() and target.read_bytes() != files[rel]:
            raise UnsafeOutput(
                f"{target} exists and was not created by scholarpages; "
                "move it away or build into another folder with --output"
            )


def _remove_empty_parents(folder: Path, stop: Path) -> None:
    while folder != stop and stop in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent
