"""`scholarpages deploy` against a local bare repository standing in for GitHub."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from tests.conftest import ROOT

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.org",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.org",
}


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, text=True, env={**os.environ, **GIT_ENV}
    ).stdout


@pytest.fixture
def repo(tmp_path: Path) -> tuple[Path, Path]:
    """A site in a git repository with one commit and a bare remote 'origin'."""
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "--bare", "-q", str(remote))
    site = tmp_path / "site"
    shutil.copytree(ROOT / "content", site / "content")
    (site / ".gitignore").write_text("output/\n")
    git(site, "init", "-q", "-b", "main")
    git(site, "add", ".")
    git(site, "commit", "-q", "-m", "my site")
    git(site, "remote", "add", "origin", str(remote))
    return site, remote


def deploy(cwd: Path, *args: str):
    old = Path.cwd()
    os.chdir(cwd)
    try:
        env = {k: v for k, v in GIT_ENV.items()}
        return CliRunner(env=env).invoke(main, ["deploy", *args], catch_exceptions=False)
    finally:
        os.chdir(old)


def test_deploy_publishes_the_branch_and_leaves_the_checkout_alone(repo):
    site, remote = repo
    (site / "notes.txt").write_text("uncommitted work")
    head, status = git(site, "rev-parse", "HEAD"), git(site, "status", "--porcelain")
    result = deploy(site, "--message", "Publish test")
    assert result.exit_code == 0, result.output
    assert "Published" in result.output
    files = git(remote, "ls-tree", "-r", "--name-only", "gh-pages").split()
    assert "index.html" in files and ".nojekyll" in files
    assert "papers/wei2023skywork/index.html" in files
    assert git(remote, "log", "-1", "--format=%s", "gh-pages").strip() == "Publish test"
    assert git(site, "rev-parse", "HEAD") == head
    assert git(site, "status", "--porcelain") == status
    assert git(site, "symbolic-ref", "--short", "HEAD").strip() == "main"
    assert (site / "notes.txt").read_text() == "uncommitted work"


def test_dry_run_pushes_nothing(repo):
    site, remote = repo
    result = deploy(site, "--dry-run")
    assert result.exit_code == 0, result.output
    assert "Dry run: would publish" in result.output
    assert git(remote, "branch", "--list").strip() == ""
    assert git(site, "branch", "--list", "gh-pages").strip() == ""


def test_outside_a_git_repository(tmp_path):
    shutil.copytree(ROOT / "content", tmp_path / "content")
    result = deploy(tmp_path)
    assert result.exit_code == 1
    assert "is not in a git repository" in result.output
    assert not (tmp_path / "output").exists()


def test_without_the_remote(repo):
    site, _ = repo
    result = deploy(site, "--remote", "upstream")
    assert result.exit_code == 1
    assert "no remote 'upstream' (known remotes: origin)" in result.output


def test_refuses_to_publish_onto_the_current_branch(repo):
    site, _ = repo
    result = deploy(site, "--branch", "main")
    assert result.exit_code == 1
    assert "you are on the branch 'main'" in result.output


def test_domain_becomes_cname(repo):
    site, remote = repo
    config = site / "content/site.yaml"
    config.write_text(config.read_text() + "domain: www.example.org\n")
    assert deploy(site).exit_code == 0
    assert git(remote, "show", "gh-pages:CNAME").strip() == "www.example.org"
