"""The command line as a user runs it: exit codes, messages, files written."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator import __version__
from generator.cli import main
from tests.conftest import ROOT


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def invoke(runner: CliRunner, cwd: Path, *args: str):
    old = Path.cwd()
    os.chdir(cwd)
    try:
        return runner.invoke(main, list(args), catch_exceptions=False)
    finally:
        os.chdir(old)


def test_version_and_help(runner):
    result = runner.invoke(main, ["--version"])
    assert result.exit_code == 0 and __version__ in result.output
    for command in ([], ["build"], ["check"], ["new"]):
        result = runner.invoke(main, [*command, "--help"])
        assert result.exit_code == 0, command
        assert "Usage:" in result.output


def test_build_the_example(runner, site_dir):
    result = invoke(runner, site_dir, "build")
    assert result.exit_code == 0, result.output
    assert "Built 14 pages into output/" in result.output
    assert (site_dir / "output/index.html").is_file()
    assert (site_dir / "output/.nojekyll").is_file()


def test_second_build_writes_nothing(runner, site_dir):
    invoke(runner, site_dir, "build")
    result = invoke(runner, site_dir, "build")
    assert "(0 written," in result.output


def test_quiet_and_verbose(runner, site_dir):
    assert invoke(runner, site_dir, "build", "-q").output == ""
    (site_dir / "content/pages/about.md").write_text("---\ntitle: About me\n---\nhello\n")
    result = invoke(runner, site_dir, "build", "-v")
    assert "wrote about/index.html" in result.output


def test_options_content_output_theme(runner, site_dir):
    (site_dir / "content").rename(site_dir / "src")
    result = invoke(runner, site_dir, "build", "--content", "src", "--output", "public", "--theme", "default")
    assert result.exit_code == 0, result.output
    assert (site_dir / "public/index.html").is_file()


def test_missing_content_folder_is_a_usage_error(runner, tmp_path):
    result = invoke(runner, tmp_path, "build")
    assert result.exit_code == 2
    assert "'content' does not exist" in result.output


def test_unknown_theme(runner, site_dir):
    result = invoke(runner, site_dir, "build", "--theme", "nope")
    assert result.exit_code == 1
    assert "theme 'nope'" in result.output


def test_check_ok(runner, site_dir):
    result = invoke(runner, site_dir, "check")
    assert result.exit_code == 0, result.output
    assert "No problems: 6 papers, 1 profile, 1 page." in result.output


def test_check_reports_every_problem_sorted(runner, site_dir):
    content = site_dir / "content"
    (content / "site.yaml").write_text("title: X\nauthr: jianhao-zhang\n")
    (content / "authors/jianhao-zhang.yaml").write_text("name: Jianhao Zhang\nafiliation: Lab\n")
    with (content / "papers/papers.bib").open("a") as fh:
        fh.write("\n@article{broken,\n  title = {Unclosed,\n")
    result = invoke(runner, site_dir, "check")
    lines = [line for line in result.output.splitlines() if ": error:" in line or ": warning:" in line]
    assert result.exit_code == 1
    assert any(
        line.startswith("content/authors/jianhao-zhang.yaml:2:1: warning: unknown key 'afiliation'")
        for line in lines
    )
    assert any(line.startswith("content/site.yaml:2:1: warning: unknown key 'authr'") for line in lines)
    assert any(line.startswith("content/papers/papers.bib:") and ": error:" in line for line in lines)
    assert lines == sorted(lines, key=lambda s: (s.split(":")[0], int(s.split(":")[1])))
    assert (
        result.output.strip().splitlines()[-1].endswith("warnings")
        or "warning" in result.output.splitlines()[-1]
    )


def test_warnings_pass_unless_strict(runner, site_dir):
    (site_dir / "content/site.yaml").write_text("title: X\nauthor: jianhao-zhang\ncolour: red\n")
    assert invoke(runner, site_dir, "check").exit_code == 0
    strict = invoke(runner, site_dir, "check", "--strict")
    assert strict.exit_code == 1
    assert "content/site.yaml:3:1: error: unknown key 'colour'" in strict.output
    assert invoke(runner, site_dir, "build", "--strict").exit_code == 1


def test_build_with_a_broken_entry_still_builds_the_rest(runner, site_dir):
    with (site_dir / "content/papers/papers.bib").open("a") as fh:
        fh.write("\n@article{broken,\n  title = {Unclosed,\n")
    result = invoke(runner, site_dir, "build")
    assert result.exit_code == 1
    assert (site_dir / "output/papers/wei2023skywork/index.html").is_file()


def test_new_site_builds_at_once(runner, tmp_path):
    result = invoke(runner, tmp_path, "new", "my-site")
    assert result.exit_code == 0, result.output
    site = tmp_path / "my-site"
    assert (site / "content/site.yaml").is_file()
    assert (site / "content/authors/your-name.yaml").is_file()
    assert (site / "content/papers/papers.bib").is_file()
    result = invoke(runner, site, "build", "--strict")
    assert result.exit_code == 0, result.output
    assert "Ada Researcher" in (site / "output/index.html").read_text()


def test_new_refuses_a_non_empty_content_folder(runner, tmp_path):
    (tmp_path / "content").mkdir()
    (tmp_path / "content/site.yaml").write_text("title: mine\n")
    result = invoke(runner, tmp_path, "new", ".")
    assert result.exit_code == 2
    assert (tmp_path / "content/site.yaml").read_text() == "title: mine\n"


def test_user_files_are_never_modified(runner, site_dir):
    before = {p: p.read_bytes() for p in (site_dir / "content").rglob("*") if p.is_file()}
    invoke(runner, site_dir, "build")
    invoke(runner, site_dir, "check")
    after = {p: p.read_bytes() for p in (site_dir / "content").rglob("*") if p.is_file()}
    assert before == after


def test_console_script_runs_as_a_module(tmp_path):
    shutil.copytree(ROOT / "content", tmp_path / "content")
    proc = subprocess.run(
        [sys.executable, "-m", "generator", "build", "-q"], cwd=tmp_path, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "output/index.html").is_file()


def test_new_site_gets_the_pages_workflow_and_keeps_existing_files(runner, tmp_path):
    (tmp_path / "Makefile").write_text("mine:\n\techo mine\n")
    result = invoke(runner, tmp_path, "new", ".")
    assert result.exit_code == 0, result.output
    assert "kept your Makefile" in result.output
    assert (tmp_path / "Makefile").read_text() == "mine:\n\techo mine\n"
    workflow = tmp_path / ".github/workflows/pages.yml"
    assert workflow.read_text() == (ROOT / ".github/workflows/pages.yml").read_text()
    assert "output/" in (tmp_path / ".gitignore").read_text()
