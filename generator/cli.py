"""The ``scholarpages`` command.

Exit codes: 0 success, 1 content errors (or warnings under --strict),
2 usage errors (bad options, missing folders).
"""

from __future__ import annotations

import shutil
import sys
import time
from collections.abc import Callable, Sequence
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from generator import __version__
from generator.diagnostics import Diagnostic, has_errors, sorted_diagnostics
from generator.stamps import display_path

if TYPE_CHECKING:
    from generator.serve import Rebuild
    from generator.write import WriteResult

# The build machinery is imported by the commands that use it: `build` with nothing to do
# (generator.stamps) then costs little more than starting Python.

F = TypeVar("F", bound=Callable[..., Any])
SCAFFOLD = Path(__file__).parent / "scaffold"


def verbosity_options(func: F) -> F:
    """-q/--quiet and -v/--verbose on every command."""

    @click.option("-q", "--quiet", is_flag=True, help="Print errors only.")
    @click.option("-v", "--verbose", is_flag=True, help="Print every file written.")
    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        return func(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


content_option = click.option(
    "--content",
    "content_dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default="content",
    show_default=True,
    help="Folder with site.yaml, authors/, papers/, pages/ and static/.",
)
output_option = click.option(
    "--output",
    "output_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default="output",
    show_default=True,
    help="Folder to write the site into.",
)
strict_option = click.option("--strict", is_flag=True, help="Treat warnings as errors (for CI).")


def report(diags: Sequence[Diagnostic], quiet: bool, strict: bool) -> None:
    """Every problem once, sorted by file and line, then a summary line."""
    shown = sorted_diagnostics(diags)
    for d in shown:
        if quiet and d.level == "warning" and not strict:
            continue
        level = "error" if strict else d.level
        line = d.format() if level == d.level else d.format().replace(": warning: ", ": error: ", 1)
        click.secho(line, err=True, fg="red" if level == "error" else "yellow")
    errors = sum(1 for d in shown if d.level == "error")
    warnings = len(shown) - errors
    if shown and not quiet:
        click.echo(f"{_plural(errors, 'error')}, {_plural(warnings, 'warning')}", err=True)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="scholarpages")
def main() -> None:
    """scholarpages: researcher pages from YAML profiles and BibTeX papers."""


@main.command("build")
@content_option
@output_option
@click.option("--theme", default=None, help="Theme name (default: site.yaml's `theme`, else 'default').")
@click.option("--base-url", default=None, help="Override site.yaml's base_url (e.g. for a preview).")
@strict_option
@verbosity_options
def build_command(
    content_dir: Path,
    output_dir: Path,
    theme: str | None,
    base_url: str | None,
    strict: bool,
    quiet: bool,
    verbose: bool,
) -> None:
    """Build the site from CONTENT into OUTPUT."""
    from generator.stamps import BuildStamp

    start = time.perf_counter()
    done = BuildStamp(content_dir, output_dir, theme, base_url).check()
    if done is not None:  # nothing changed since the last build: it would write nothing
        report(done.diagnostics, quiet, strict)
        if not quiet:
            click.echo(_summary(done.pages, output_dir, time.perf_counter() - start))
        sys.exit(1 if has_errors(done.diagnostics, strict) else 0)
    from generator.build import BuildOptions, build

    result = build(BuildOptions(content_dir, output_dir, theme, base_url))
    report(result.diagnostics, quiet, strict)
    if verbose:
        for rel in result.write.written:
            click.echo(f"wrote {rel}")
        for rel in result.write.removed:
            click.echo(f"removed {rel}")
    if not quiet and result.site is not None:
        click.echo(_summary(result.pages, output_dir, result.seconds, result.write))
    sys.exit(1 if result.site is None or has_errors(result.diagnostics, strict) else 0)


def _summary(pages: int, output_dir: Path, seconds: float, w: WriteResult | None = None) -> str:
    written, unchanged, removed = (len(w.written), len(w.unchanged), len(w.removed)) if w else (0, 0, 0)
    return (
        f"Built {_plural(pages, 'page')} into {display_path(output_dir)}/ in {seconds:.2f} s "
        f"({written} written, {unchanged} unchanged, {removed} removed)"
    )


@main.command("serve")
@content_option
@output_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on."
)
@click.option("--open", "open_browser", is_flag=True, help="Open the site in a web browser.")
@verbosity_options
def serve_command(
    content_dir: Path, output_dir: Path, host: str, port: int, open_browser: bool, quiet: bool, verbose: bool
) -> None:
    """Preview the site: build, serve, rebuild on every change and reload the browser."""
    from generator.serve import Reporter, ServeError, ServeOptions, is_loopback, serve

    if not is_loopback(host):
        click.secho(
            f"warning: serving on {host}: anyone who can reach this computer can see the preview",
            err=True,
            fg="yellow",
        )

    def problem(d: Diagnostic) -> None:
        if not quiet or d.level == "error":
            click.secho(d.format(), err=True, fg="red" if d.level == "error" else "yellow")

    def describe(done: Rebuild) -> str:
        if verbose:
            for rel in (*done.result.write.written, *done.result.write.removed):
                click.echo(f"  {rel}")
        return _rebuild_line(done)

    reporter = Reporter(info=(lambda _: None) if quiet else click.echo, problem=problem)
    try:
        serve(ServeOptions(content_dir, output_dir, host, port, open_browser), reporter, describe)
    except ServeError as exc:
        raise click.ClickException(str(exc)) from exc


def _rebuild_line(done: Rebuild) -> str:
    """One line per build: pages rendered and the time it took, or why nothing was written."""
    result = done.result
    if not done.written:
        errors = sum(1 for d in result.diagnostics if d.level == "error")
        return f"Not updated ({_plural(errors, 'error')}): the last good site is still served; fix and save"
    w = result.write
    return (
        f"Built in {result.seconds:.3f} s: {_plural(result.rendered, 'page')} rendered of {result.pages}, "
        f"{len(w.written)} written, {len(w.removed)} removed"
    )


@main.command("check")
@content_option
@strict_option
@verbosity_options
def check_command(content_dir: Path, strict: bool, quiet: bool, verbose: bool) -> None:
    """Check every file of CONTENT and print all problems at once."""
    from generator.build import load_site

    loaded = load_site(content_dir)
    report(loaded.diagnostics, quiet, strict)
    if not quiet and not loaded.diagnostics:
        site = loaded.site
        click.echo(
            f"No problems: {_plural(len(site.papers), 'paper')}, {_plural(len(site.authors), 'profile')}, "
            f"{_plural(len(site.pages), 'page')}."
        )
    sys.exit(1 if has_errors(loaded.diagnostics, strict) else 0)


@main.command("new")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@verbosity_options
def new_command(directory: Path, quiet: bool, verbose: bool) -> None:
    """Create a new site in DIRECTORY with a commented example to edit."""
    target = directory / "content"
    if target.exists() and any(target.iterdir()):
        raise click.UsageError(f"{target} already exists and is not empty; choose another folder")
    for src in sorted(SCAFFOLD.rglob("*")):
        if not src.is_file() or "__pycache__" in src.parts:
            continue
        dest = directory / src.relative_to(SCAFFOLD)
        if dest.exists():
            click.echo(f"kept your {display_path(dest)}", err=True)
            continue
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, dest)
        if verbose:
            click.echo(f"created {display_path(dest)}")
    if not quiet:
        click.echo(
            f"Created a new site in {display_path(directory)}/\n"
            f"Next: edit {display_path(target)}/authors/your-name.yaml and papers/papers.bib, then run\n"
            f"  cd {directory} && scholarpages build"
        )


@main.command("deploy")
@content_option
@output_option
@click.option("--remote", default="origin", show_default=True, help="Git remote to push to.")
@click.option("--branch", default="gh-pages", show_default=True, help="Branch that holds the published site.")
@click.option(
    "--message", default="Publish site with scholarpages", show_default=True, help="Commit message."
)
@click.option("--dry-run", is_flag=True, help="Build and check, but commit and push nothing.")
@strict_option
@verbosity_options
def deploy_command(
    content_dir: Path,
    output_dir: Path,
    remote: str,
    branch: str,
    message: str,
    dry_run: bool,
    strict: bool,
    quiet: bool,
    verbose: bool,
) -> None:
    """Build, then publish OUTPUT to a git branch (GitHub Pages)."""
    from generator.build import BuildOptions, build
    from generator.deploy import DeployError, check_repository, deploy, plan_deploy

    site_root = content_dir.resolve().parent
    try:
        check_repository(site_root, remote, branch)  # refuse before building, not after
    except DeployError as exc:
        raise click.ClickException(str(exc)) from exc
    result = build(BuildOptions(content_dir, output_dir))
    report(result.diagnostics, quiet, strict)
    if result.site is None or has_errors(result.diagnostics, strict):
        click.echo("Not deployed: fix the errors above first.", err=True)
        sys.exit(1)
    try:
        plan = plan_deploy(site_root, output_dir, remote, branch)
        if dry_run:
            click.echo(
                f"Dry run: would publish {plan.files} files from {display_path(output_dir)}/ "
                f"to branch '{branch}' of {remote} ({plan.remote_url}); nothing was pushed."
            )
            return
        deploy(plan, output_dir, message, result.site.config.domain)
    except DeployError as exc:
        raise click.ClickException(str(exc)) from exc
    if not quiet:
        click.echo(f"Published {plan.files} files to branch '{branch}' of {remote} ({plan.remote_url}).")


if __name__ == "__main__":
    main()
