"""The build stamp: `scholarpages build` with nothing changed stops before reading anything,
and any change of content, templates, themes, options, code or output files builds."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator import build as build_module
from generator import stamps
from generator.build import BuildOptions, build, up_to_date
from generator.cli import main
from generator.write import MANIFEST
from tests.conftest import ROOT

OLD = 1_600_000_000_000_000_000  # an mtime long before any build


def _age(folder: Path) -> None:
    """Give every file an old mtime, as files saved long before the build have."""
    for path in folder.rglob("*"):
        if path.is_file():
            os.utime(path, ns=(OLD, OLD))


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> BuildOptions:
    """The example site built once, its stamp trusted: only what a test changes is new.
    (The built-in themes may be edited by hand while tests run: they are not racy here.)"""
    monkeypatch.chdir(tmp_path)
    shutil.copytree(ROOT / "content", tmp_path / "content")
    _age(tmp_path / "content")
    monkeypatch.setattr(stamps, "RACY_NS", 0)
    options = BuildOptions(Path("content"), Path("output"))
    first = build(options)
    assert first.site is not None and first.write.written
    return options


def test_nothing_changed_is_up_to_date(site: BuildOptions) -> None:
    done = up_to_date(site)
    assert done is not None and done.pages == 14
    assert build(site).write.written == []  # what a real build would have done: nothing
    assert up_to_date(site) is not None


def _edit_bib(root: Path) -> None:
    path = root / "content" / "papers" / "papers.bib"
    path.write_text(path.read_text().replace("title", "title ", 1))


def _add_static(root: Path) -> None:
    (root / "content" / "static").mkdir(exist_ok=True)
    (root / "content" / "static" / "new.txt").write_text("new")


def _override_template(root: Path) -> None:
    (root / "templates").mkdir()
    shutil.copy(ROOT / "themes" / "default" / "templates" / "paper.html", root / "templates" / "paper.html")


def _site_theme(root: Path) -> None:
    (root / "themes" / "default" / "static").mkdir(parents=True)
    (root / "themes" / "default" / "static" / "extra.css").write_text("p { margin: 0 }\n")


def _delete_output(root: Path) -> None:
    (root / "output" / "index.html").unlink()


def _edit_output(root: Path) -> None:
    path = root / "output" / "index.html"
    text = path.read_text()
    path.write_text(text.replace("<", "[", 1))  # same size, new bytes


def _touch_manifest(root: Path) -> None:
    os.utime(root / "output" / MANIFEST, ns=(OLD, OLD))


@pytest.mark.parametrize(
    "change",
    [_edit_bib, _add_static, _override_template, _site_theme, _delete_output, _edit_output, _touch_manifest],
)
def test_any_change_builds(site: BuildOptions, change: Callable[[Path], None]) -> None:
    change(Path.cwd())
    assert up_to_date(site) is None
    build(site)
    assert up_to_date(site) is not None  # the build that followed stamped its result


def test_options_code_and_working_folder_count(site: BuildOptions, monkeypatch: pytest.MonkeyPatch) -> None:
    assert up_to_date(BuildOptions(site.content_dir, site.output_dir, base_url="https://x.org/")) is None
    assert up_to_date(BuildOptions(site.content_dir, site.output_dir, theme="default")) is None
    assert up_to_date(BuildOptions(site.content_dir.resolve(), site.output_dir)) is not None
    with monkeypatch.context() as patch:
        patch.setattr(stamps, "code_digest", lambda: "other code")
        assert up_to_date(site) is None
    (Path.cwd() / "elsewhere").mkdir()
    monkeypatch.chdir("elsewhere")  # messages name files relative to the working folder
    assert up_to_date(BuildOptions(Path("../content"), Path("../output"))) is None


def test_a_file_saved_just_before_the_build_is_not_trusted(
    site: BuildOptions, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(stamps, "RACY_NS", 2_000_000_000)
    (Path.cwd() / "content" / "site.yaml").touch()  # its next save could keep its stamp
    build(site)
    assert up_to_date(site) is None


def test_a_failed_or_unfinished_build_leaves_no_stamp(site: BuildOptions) -> None:
    stamp = stamps.BuildStamp(site.content_dir, site.output_dir, None, None)
    assert stamp.path.is_file()
    stamp.inputs()  # a build begins: the old stamp says nothing any more
    assert not stamp.path.exists() and up_to_date(site) is None
    stamp.path.write_bytes(b"garbage")
    assert up_to_date(site) is None


def test_the_command_replays_the_messages_without_building(
    site: BuildOptions, monkeypatch: pytest.MonkeyPatch
) -> None:
    bib = Path("content/papers/papers.bib")
    bib.write_text(bib.read_text() + "\n@misc{odd, title = {Odd}, author = {A B}, year = {1}, bad = {x}}\n")
    os.utime(bib, ns=(OLD, OLD))
    runner = CliRunner()
    first = runner.invoke(main, ["build", "--strict"], catch_exceptions=False)
    assert first.exit_code == 1 and ": error: year" in first.output  # a warning, under --strict

    def no_build(options: BuildOptions) -> None:
        raise AssertionError("built again")

    monkeypatch.setattr(build_module, "build", no_build)
    again = runner.invoke(main, ["build", "--strict"], catch_exceptions=False)
    assert again.exit_code == 1
    assert again.output.splitlines()[:-1] == first.output.splitlines()[:-1]  # the same messages
    summary = again.output.splitlines()[-1]
    assert summary.startswith("Built 17 pages into output/ in ")
    assert summary.endswith(" s (0 written, 0 unchanged, 0 removed)")
    assert runner.invoke(main, ["build", "-q"], catch_exceptions=False).exit_code == 0
