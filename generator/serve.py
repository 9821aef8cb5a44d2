"""``scholarpages serve``: preview the site while editing it.

The server builds the site into the output folder, serves that folder as it
will be deployed (under the sub-path of ``base_url``, with the site's own
404 page) and watches the content folder, the theme and the site's template
overrides. A change triggers an in-process incremental rebuild (only changed
pages are rendered and written) and open browser tabs reload; a CSS-only
change swaps the stylesheet without reloading the page.

A build with errors is not written: the last good site stays online and every
page shows the errors (``path:line: message (hint)``) in an overlay until a
save fixes them. The live-reload script and the overlay are added to pages as
they are served, never to the files in the output folder.

livereload provides the HTTP server, the browser connection and the reload
protocol; the site itself is served by :func:`site_app`, a small WSGI app that
refuses any path outside the output folder.
"""

from __future__ import annotations

import gc
import html
import ipaddress
import logging
import mimetypes
import threading
import time
import webbrowser
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from generator.build import BuildResult
from generator.cache import BuildCache, records_from_manifest
from generator.diagnostics import Diagnostic, sorted_diagnostics
from generator.incremental.engine import Engine, Settings
from generator.stamps import Stamp, snapshot, watched

POLL_SECONDS = 0.1  # how often the watched folders are checked
FINISH_AFTER = 0.3  # seconds between the reload and writing the downloads it left
WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


@dataclass(frozen=True, slots=True)
class ServeOptions:
    content_dir: Path = Path("content")
    output_dir: Path = Path("output")
    host: str = "127.0.0.1"
    port: int = 8000
    open_browser: bool = False


@dataclass(slots=True)
class PreviewState:
    """What the server shows: the output folder under a URL path, and the errors
    of the newest build (empty when it was written)."""

    output_dir: Path
    base_path: str = "/"
    errors: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Rebuild:
    """What one rebuild did, for the terminal and the browsers."""

    result: BuildResult
    written: bool  # False: errors, so the last good site stays
    changed_paths: tuple[str, ...]  # output files written or removed

    def reload_path(self) -> str | None:
        """What to tell the browsers: a stylesheet to swap, '*' to reload, None for nothing."""
        if not self.changed_paths:
            return None
        if all(p.endswith(".css") for p in self.changed_paths):
            return self.changed_paths[0]
        return "*"


# ---------------------------------------------------------------------------
# Building
# ---------------------------------------------------------------------------


class Preview:
    """The edit loop: rebuild in-process when a watched file changes."""

    def __init__(self, options: ServeOptions) -> None:
        self.options = options
        settings = Settings(options.content_dir, options.output_dir)
        self.cache = BuildCache(settings)
        self.engine = self.cache.load() or Engine(settings, records_from_manifest(options.output_dir))
        self.state = PreviewState(options.output_dir)
        self.pending = False  # downloads left for finish()
        self.site_root = options.content_dir.resolve().parent
        self._snapshot: dict[str, Stamp] = {}

    def watched(self) -> list[Path]:
        """Content, the site's templates and themes, and the built-in themes."""
        return watched(self.options.content_dir)

    def changed(self) -> bool:
        """True when a watched file was added, removed or saved since the last check."""
        now = snapshot(self.watched())
        if now == self._snapshot:
            return False
        self._snapshot = now
        return True

    def rebuild(self, first: bool = False) -> Rebuild:
        """Build the pages; write only a build without errors (the first one always:
        there is no older site to show). Downloads of whole lists wait for
        :meth:`finish` (except on the first build), so pages reload first."""
        try:
            return self._rebuild(first, deferred=first)
        finally:
            # What the build keeps lives on; the garbage collector need not scan it
            # again and again (a full collection of a big site takes most of a second).
            gc.freeze()

    def finish(self) -> Rebuild | None:
        """Write what the last rebuild left for later (big downloads), if anything."""
        if not self.pending:
            return None
        try:
            return self._rebuild(False, deferred=True)
        finally:
            gc.freeze()

    def _rebuild(self, first: bool, deferred: bool) -> Rebuild:
        if first:
            self._snapshot = snapshot(self.watched())
        prepared = self.engine.prepare(deferred)
        self.pending = prepared.pending
        before = self.state.errors
        self.state.errors = _errors(prepared.diagnostics)
        overlay_changed = ("*",) if self.state.errors != before else ()
        site = prepared.site
        if site is None or (self.state.errors and not first):
            result = BuildResult(site, prepared.diagnostics, prepared.pages, seconds=_since(prepared.started))
            return Rebuild(result, False, overlay_changed)
        written = self.engine.commit(prepared, defer_manifest=True)
        self.state.errors = _errors(prepared.diagnostics)  # a failed write is an error too
        self.state.base_path = str(site.config.base_path)
        result = BuildResult(
            site, prepared.diagnostics, prepared.pages, written, _since(prepared.started), prepared.rendered
        )
        return Rebuild(result, True, tuple(written.written + written.removed) or overlay_changed)

    def save(self) -> None:
        """Bring the manifest up to date and leave the engine in the cache folder,
        so the next build starts warm."""
        self.engine.flush()
        self.cache.save(self.engine)


def _errors(diags: Iterable[Diagnostic]) -> list[str]:
    return [d.format() for d in sorted_diagnostics(d for d in diags if d.level == "error")]


def _since(started: float) -> float:
    return time.perf_counter() - started


# ---------------------------------------------------------------------------
# Serving
# ---------------------------------------------------------------------------

_NOT_FOUND = b"<!DOCTYPE html><title>Not found</title><h1>Not found</h1>"


def site_app(state: PreviewState) -> WSGIApp:
    """A WSGI app serving ``state.output_dir`` under ``state.base_path``."""

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD", "GET")
        if method not in ("GET", "HEAD"):
            start_response("405 Method Not Allowed", [("Allow", "GET, HEAD"), ("Content-Length", "0")])
            return [b""]
        raw = str(environ.get("PATH_INFO", "/"))
        path = raw.encode("latin-1", "replace").decode("utf-8", "replace")
        status, headers, body = respond(state, path)
        start_response(status, headers)
        return [b"" if method == "HEAD" else body]

    return app


def respond(state: PreviewState, path: str) -> tuple[str, list[tuple[str, str]], bytes]:
    """Status, headers and body for a request of ``path`` (already percent-decoded)."""
    base = state.base_path
    if not path.startswith(base):
        if path in ("/", "", base.rstrip("/")):
            return _redirect(base)
        return _not_found(state)
    target = resolve(state.output_dir, path[len(base) :])
    if target is None:
        return _not_found(state)
    if target.is_dir():
        if not path.endswith("/"):
            return _redirect(path + "/")
        target = target / "index.html"
        if not target.is_file():
            return _not_found(state)
    try:
        body = target.read_bytes()
    except OSError:
        return _not_found(state)
    kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
    if kind == "text/html":
        body = with_errors(body, state.errors)
    return "200 OK", _headers(kind, body), body


def resolve(output: Path, rel: str) -> Path | None:
    """The file ``rel`` names inside ``output``, or None for anything that could leave it:
    ``..``, absolute or Windows paths, NUL bytes, symlinks pointing out."""
    if "\x00" in rel or "\\" in rel:
        return None
    parts = PurePosixPath(rel).parts
    if rel.startswith("/") or any(part in ("..", ".") or part.startswith("..") for part in parts):
        return None
    if any(part.startswith(".") for part in parts):
        return None  # the manifest and other hidden files are not part of the site
    root = output.resolve()
    target = (root / rel).resolve()
    if target != root and root not in target.parents:
        return None
    return target if target.exists() else None


def _not_found(state: PreviewState) -> tuple[str, list[tuple[str, str]], bytes]:
    page = state.output_dir / "404.html"
    try:
        body = page.read_bytes()
    except OSError:
        body = _NOT_FOUND
    body = with_errors(body, state.errors)
    return "404 Not Found", _headers("text/html", body), body


def _redirect(location: str) -> tuple[str, list[tuple[str, str]], bytes]:
    return "302 Found", [("Location", location), ("Content-Length", "0"), ("Cache-Control", "no-store")], b""


def _headers(kind: str, body: bytes) -> list[tuple[str, str]]:
    if kind.startswith("text/") or kind in ("application/javascript", "application/xml", "image/svg+xml"):
        kind += "; charset=utf-8"
    return [("Content-Type", kind), ("Content-Length", str(len(body))), ("Cache-Control", "no-store")]


OVERLAY_ID = "scholarpages-errors"


def with_errors(page: bytes, errors: list[str]) -> bytes:
    """``page`` with an overlay listing ``errors`` (unchanged when there are none)."""
    if not errors:
        return page
    items = "".join(f"<li>{html.escape(e)}</li>" for e in errors)
    overlay = (
        f'<div id="{OVERLAY_ID}" role="alert" style="position:fixed;inset:auto 0 0 0;z-index:2147483647;'
        "max-height:60vh;overflow:auto;margin:0;padding:1rem 1.25rem;background:#2b0b0b;color:#fff;"
        'font:14px/1.5 ui-monospace,Menlo,Consolas,monospace;border-top:4px solid #e5484d">'
        '<p style="margin:0 0 .5rem;font-weight:bold">The site has errors; this is the last good build. '
        "Fix them and save: the page reloads.</p>"
        f'<ul style="margin:0;padding-left:1.25rem">{items}</ul></div>'
    ).encode()
    at = page.rfind(b"</body>")
    return page[:at] + overlay + page[at:] if at >= 0 else page + overlay


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def url_of(options: ServeOptions, base_path: str) -> str:
    host = f"[{options.host}]" if ":" in options.host else options.host
    return f"http://{host}:{options.port}{base_path}"


# ---------------------------------------------------------------------------
# The livereload glue
# ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Reporter:
    """Where the server's messages go (the terminal, through click)."""

    info: Callable[[str], None]
    problem: Callable[[Diagnostic], None]


class ServeError(Exception):
    """The server cannot start: the output folder is unusable or the port is taken."""


def serve(options: ServeOptions, reporter: Reporter, describe: Callable[[Rebuild], str]) -> None:
    """Build, serve and rebuild until interrupted (Ctrl+C). Raises ServeError."""
    preview = Preview(options)
    first = preview.rebuild(first=True)
    _report(first, reporter, describe)
    if first.result.site is None:
        raise ServeError("cannot build the site; see the error above")
    server = _server(preview, reporter, describe)
    url = url_of(options, preview.state.base_path)
    reporter.info(f"Serving {options.output_dir}/ at {url} (Ctrl+C to stop)")
    if options.open_browser:
        threading.Timer(0.5, webbrowser.open, (url,)).start()
    try:
        server.serve(port=options.port, host=options.host, debug=False, restart_delay=0)
    except OSError as exc:
        raise ServeError(f"cannot listen on {options.host}:{options.port}: {exc.strerror}") from exc
    finally:
        preview.save()


def _server(preview: Preview, reporter: Reporter, describe: Callable[[Rebuild], str]) -> Any:
    """A livereload server for the preview: our WSGI app, our watcher, no log lines of its own."""
    from livereload import Server  # imported here: only the server needs tornado
    from livereload.handlers import LiveReloadHandler
    from livereload.watcher import Watcher
    from tornado import ioloop

    class PreviewWatcher(Watcher):  # type: ignore[misc]
        """Polls the watched folders itself, often, rebuilds on change and tells the browsers."""

        def start(self, callback: Callable[[], None]) -> bool:
            ioloop.PeriodicCallback(callback, POLL_SECONDS * 1000).start()
            return True

        def examine(self) -> tuple[str | None, None]:
            if self._changes:  # livereload's own "reload after restart" message
                return self._changes.pop()  # type: ignore[no-any-return]
            if preview.changed():
                done = preview.rebuild()
                _report(done, reporter, describe)
                path = done.reload_path()
                if path is not None:
                    LiveReloadHandler.reload_waiters(path)
                if preview.pending:  # after the browsers have fetched the new pages
                    ioloop.IOLoop.current().call_later(FINISH_AFTER, self.finish)
            return None, None

        def finish(self) -> None:
            """The downloads the last rebuild left: the same build, so no line of its own."""
            preview.finish()

    class PreviewServer(Server):  # type: ignore[misc]
        def _setup_logging(self) -> None:
            """livereload's own log lines would repeat ours."""

    for name in ("livereload", "tornado.access", "tornado.application", "tornado.general"):
        logging.getLogger(name).addHandler(logging.NullHandler())
        logging.getLogger(name).propagate = False
    server = PreviewServer(app=site_app(preview.state), watcher=PreviewWatcher())
    for root in preview.watched():
        server.watch(str(root))
    return server


def _report(done: Rebuild, reporter: Reporter, describe: Callable[[Rebuild], str]) -> None:
    for diag in sorted_diagnostics(done.result.diagnostics):
        reporter.problem(diag)
    reporter.info(describe(done))
