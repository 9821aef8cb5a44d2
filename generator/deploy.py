"""Publish the built site to a git branch (GitHub Pages' gh-pages) with ghp-import.

ghp-import writes the branch with ``git fast-import``: the user's checkout,
current branch and uncommitted files are never touched.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

import ghp_import


class DeployError(Exception):
    """Deployment is impossible as asked; the message says why and what to do."""


@dataclass(frozen=True, slots=True)
class DeployPlan:
    repo: Path
    remote: str
    remote_url: str
    branch: str
    files: int


def _git(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False)


def plan_deploy(site_root: Path, output: Path, remote: str, branch: str) -> DeployPlan:
    """Check the repository, then the built site; nothing is written."""
    repo, url = check_repository(site_root, remote, branch)
    if not (output / "index.html").is_file():
        raise DeployError(f"{output} holds no built site (no index.html)")
    files = sum(1 for p in output.rglob("*") if p.is_file())
    return DeployPlan(repo, remote, url, branch, files)


def check_repository(site_root: Path, remote: str, branch: str) -> tuple[Path, str]:
    """The repository's top folder and the remote's URL, or a DeployError saying what is missing."""
    top = _git(site_root, "rev-parse", "--show-toplevel")
    if top.returncode != 0:
        raise DeployError(
            f"{site_root} is not in a git repository; run `git init` and `git remote add origin URL` first"
        )
    repo = Path(top.stdout.strip())
    url = _git(repo, "remote", "get-url", remote)
    if url.returncode != 0:
        known = _git(repo, "remote").stdout.split()
        hint = f" (known remotes: {', '.join(known)})" if known else ""
        raise DeployError(
            f"this repository has no remote '{remote}'{hint}; add one with `git remote add {remote} URL`"
        )
    current = _git(repo, "symbolic-ref", "--quiet", "--short", "HEAD").stdout.strip()
    if current == branch:
        raise DeployError(
            f"you are on the branch '{branch}'; deploy from your source branch, not the published one"
        )
    return repo, url.stdout.strip()


def deploy(plan: DeployPlan, output: Path, message: str, cname: str | None = None) -> None:
    """Commit ``output`` as the whole content of the branch and push it."""
    env_defaults = {"GIT_COMMITTER_NAME": "scholarpages", "GIT_COMMITTER_EMAIL": "scholarpages@localhost"}
    for key, config_key in (("GIT_COMMITTER_NAME", "user.name"), ("GIT_COMMITTER_EMAIL", "user.email")):
        if key not in os.environ and not _git(plan.repo, "config", config_key).stdout.strip():
            os.environ[key] = env_defaults[key]
    cwd = Path.cwd()
    try:
        os.chdir(plan.repo)  # ghp-import works on the repository of the current folder
        ghp_import.ghp_import(
            str(output.resolve()),
            mesg=message,
            remote=plan.remote,
            branch=plan.branch,
            push=True,
            nojekyll=True,
            cname=cname or None,
        )
    except ghp_import.GhpError as exc:
        raise DeployError(f"publishing failed: {exc.message}") from exc
    except subprocess.CalledProcessError as exc:
        raise DeployError(
            f"git push to '{plan.remote}' failed (exit {exc.returncode}); "
            f"check your access to {plan.remote_url}"
        ) from exc
    finally:
        os.chdir(cwd)
