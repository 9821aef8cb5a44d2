"""Browser audits of built sites: Nu Html Checker, axe-core and Lighthouse, plus screenshots.

Used by tests/test_audit.py, `make audit` (``python tools/audit/audit.py``) and `make screenshots`
(``python tools/audit/audit.py screenshots``). Each site is built with its ``base_url`` set to the
local server that serves it, as a deployed site would be, so canonical and Open Graph URLs are
absolute and on the audited host. The Node scripts beside this file drive Chromium.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import json
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

TOOLS = Path(__file__).resolve().parent
ROOT = TOOLS.parent.parent
VNU_JAR = TOOLS / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
CANNOT_INSTALL = 3  # install.sh's exit status for "not possible on this machine"

PERFORMANCE_MIN = 0.95  # every other Lighthouse category must score 1.00
LIGHTHOUSE_CATEGORIES = ("performance", "accessibility", "best-practices", "seo")


@dataclass(frozen=True)
class AuditSite:
    """A content folder and the pages of it that the browser audits visit (site-relative)."""

    name: str
    content: Path
    axe_pages: tuple[str, ...]
    lighthouse_pages: tuple[str, ...] = ()
    screenshot_pages: tuple[tuple[str, str], ...] = ()  # (file name prefix, path)


EXAMPLE = AuditSite(
    name="example",
    content=ROOT / "content",
    axe_pages=(
        "",  # the owner's profile
        "papers/zhang2023coop/",  # math in the abstract
        "categories/cl/",
        "publications/",
        "about/",
        "search/",
        "404.html",
    ),
    lighthouse_pages=("", "papers/zhang2023coop/"),
    screenshot_pages=(("profile", ""), ("paper", "papers/zhang2019dabnn/")),
)
LARGER = AuditSite(
    name="larger",
    content=ROOT / "tests" / "fixtures" / "larger_site" / "content",
    axe_pages=(
        "",
        "people/lena-okafor/",
        "papers/okafor2024sorting/",  # math in the title, long author list
        "papers/rossi2016compilers/",  # no abstract, accents
        "publications/",
        "categories/ds/",
        "teaching/",  # Markdown with a table and code
        "404.html",
    ),
)
SITES = (EXAMPLE, LARGER)


class ToolsUnavailable(Exception):
    """The audit tools cannot be installed on this machine; the message says why."""


def ensure_tools() -> None:
    """Install the tools (quick when present); ToolsUnavailable when this machine cannot have them."""
    proc = subprocess.run(
        ["bash", str(TOOLS / "install.sh")], capture_output=True, text=True, timeout=900, check=False
    )
    if proc.returncode == CANNOT_INSTALL:
        raise ToolsUnavailable(proc.stderr.strip())
    if proc.returncode != 0:
        raise RuntimeError(f"tools/audit/install.sh failed ({proc.returncode}):\n{proc.stderr}")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextlib.contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve ``directory`` on 127.0.0.1 (a free port) in a thread; yields the base URL.

    Files are looked up per request, so the folder may be built after the server starts,
    once its URL is known.
    """
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def build(content: Path, output: Path, base_url: str) -> None:
    """Build ``content`` into ``output`` with the scholarpages command line."""
    cmd = [sys.executable, "-m", "generator", "build", "-q"]
    cmd += ["--content", str(content), "--output", str(output), "--base-url", base_url]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False, timeout=300)
    if proc.returncode != 0:
        raise RuntimeError(f"build of {content} failed ({proc.returncode}):\n{proc.stdout}{proc.stderr}")


def vnu(files: list[Path]) -> list[dict[str, Any]]:
    """Nu Html Checker over every file (HTML, CSS, SVG) in one Java run: its errors only."""
    cmd = ["java", "-jar", str(VNU_JAR), "--format", "json", "--exit-zero-always", "--also-check-css"]
    cmd += ["--also-check-svg", *map(str, files)]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=True, timeout=600)
    messages: list[dict[str, Any]] = json.loads(proc.stderr or proc.stdout)["messages"]
    return [m for m in messages if m.get("type") in ("error", "non-document-error")]


def _node(script: str, args: dict[str, Any], timeout: int) -> Any:
    """Run a Node script of tools/audit with a JSON argument; its JSON output."""
    proc = subprocess.run(
        ["node", script, json.dumps(args)], cwd=TOOLS, capture_output=True, text=True, timeout=timeout
    )
    if proc.returncode != 0:
        raise RuntimeError(f"node {script} failed ({proc.returncode}):\n{proc.stderr}")
    return json.loads(proc.stdout)["results"]


def axe(urls: list[str]) -> list[dict[str, Any]]:
    """axe-core results for each URL in the light and the dark colour scheme."""
    result: list[dict[str, Any]] = _node("axe.mjs", {"urls": urls}, timeout=600)
    return result


def lighthouse(urls: list[str], report_dir: Path | None = None) -> list[dict[str, Any]]:
    """Lighthouse scores (mobile and desktop) for each URL, with the audits that cost points."""
    args: dict[str, Any] = {"urls": urls}
    if report_dir is not None:
        report_dir.mkdir(parents=True, exist_ok=True)
        args["reportDir"] = str(report_dir)
    result: list[dict[str, Any]] = _node("lighthouse.mjs", args, timeout=900)
    return result


def screenshots(pages: list[tuple[str, str]], out_dir: Path) -> list[str]:
    """Full-page PNGs of each (name, url) at 390 and 1280 px, light and dark."""
    args = {"pages": [{"name": n, "url": u} for n, u in pages], "outDir": str(out_dir)}
    proc = subprocess.run(
        ["node", "screenshots.mjs", json.dumps(args)], cwd=TOOLS, capture_output=True, text=True, timeout=600
    )
    if proc.returncode != 0:
        raise RuntimeError(f"node screenshots.mjs failed:\n{proc.stderr}")
    return proc.stdout.split()


# --------------------------------------------------------------------------- verdicts


def lighthouse_shortfalls(result: dict[str, Any]) -> list[str]:
    """Why one Lighthouse run misses the bar (empty when it passes)."""
    out = []
    for category in LIGHTHOUSE_CATEGORIES:
        score = result["scores"][category]
        bar = PERFORMANCE_MIN if category == "performance" else 1.0
        if score is None or score < bar:
            audits = [
                f"{a['id']} {a['displayValue']}".strip()
                for a in result["failed"]
                if a["category"] == category
            ]
            out.append(f"{category} {score} < {bar:.2f} ({', '.join(audits) or 'no failing audit listed'})")
    return out


def format_vnu(messages: list[dict[str, Any]]) -> str:
    return "\n".join(f"{m.get('url', '')}:{m.get('lastLine', '?')}: {m.get('message', '')}" for m in messages)


def format_axe(results: list[dict[str, Any]]) -> str:
    lines = []
    for r in results:
        ids = ", ".join(f"{v['id']} ({v['impact']}: {'; '.join(v['targets'][:3])})" for v in r["violations"])
        lines.append(
            f"  {len(r['violations'])} violations  {r['scheme']:<5}  {r.get('page', r['url'])}  {ids}"
        )
    return "\n".join(lines)


_METRIC_LABELS = {
    "first-contentful-paint": "FCP",
    "largest-contentful-paint": "LCP",
    "total-blocking-time": "TBT",
    "speed-index": "SI",
}


def format_lighthouse(results: list[dict[str, Any]]) -> str:
    lines = []
    for r in results:
        scores = "  ".join(f"{c} {r['scores'][c]:.2f}" for c in LIGHTHOUSE_CATEGORIES)
        metrics = r.get("metrics", {})
        timings = " ".join(f"{label} {metrics.get(k, 0):.0f} ms" for k, label in _METRIC_LABELS.items())
        cls = f"CLS {metrics.get('cumulative-layout-shift', 0):.3f}"
        lines.append(
            f"  {r['formFactor']:<7}  {scores}  {r.get('page', r['url'])}\n           {timings} {cls}"
        )
    return "\n".join(lines)


# --------------------------------------------------------------------------- the whole audit


@dataclass
class Report:
    """Everything one audit run measured."""

    html_files: int = 0
    other_files: int = 0  # CSS and SVG, checked by vnu too
    vnu_errors: list[dict[str, Any]] = field(default_factory=list)
    axe: list[dict[str, Any]] = field(default_factory=list)
    lighthouse: list[dict[str, Any]] = field(default_factory=list)

    def failures(self) -> list[str]:
        out = [f"vnu: {format_vnu(self.vnu_errors)}"] if self.vnu_errors else []
        out += [
            f"axe: {r['url']} ({r['scheme']}): {[v['id'] for v in r['violations']]}"
            for r in self.axe
            if r["violations"]
        ]
        out += [
            f"lighthouse: {r['url']} ({r['formFactor']}): {s}"
            for r in self.lighthouse
            for s in lighthouse_shortfalls(r)
        ]
        return out

    def vnu_summary(self) -> str:
        files = f"{self.html_files} HTML files and {self.other_files} CSS/SVG files"
        return f"Nu Html Checker: {len(self.vnu_errors)} errors in {files}"

    def summary(self) -> str:
        return "\n".join(
            [
                self.vnu_summary(),
                "axe-core:",
                format_axe(self.axe),
                "Lighthouse:",
                format_lighthouse(self.lighthouse),
            ]
        )


def _named(results: list[dict[str, Any]], site: str, base: str) -> list[dict[str, Any]]:
    """Results with a `page` key such as ``example:/papers/x/``, readable where ports are not."""
    return [{**r, "page": f"{site}:/{r['url'].removeprefix(base)}"} for r in results]


def run_all(work: Path, sites: tuple[AuditSite, ...] = SITES, report_dir: Path | None = None) -> Report:
    """Build every site, serve it, and run vnu (once, over all sites), axe and Lighthouse."""
    report = Report()
    html: list[Path] = []
    other: list[Path] = []
    with contextlib.ExitStack() as stack:
        for site in sites:
            output = work / site.name
            base = stack.enter_context(serve(output))
            build(site.content, output, base)
            html += sorted(output.rglob("*.html"))
            other += sorted(p for p in output.rglob("*") if p.suffix in (".css", ".svg"))
            report.axe += _named(axe([base + p for p in site.axe_pages]), site.name, base)
            if site.lighthouse_pages:
                found = lighthouse([base + p for p in site.lighthouse_pages], report_dir)
                report.lighthouse += _named(found, site.name, base)
        report.html_files, report.other_files = len(html), len(other)
        report.vnu_errors = vnu(html + other)
    return report


def take_screenshots(work: Path, out_dir: Path, site: AuditSite = EXAMPLE) -> list[str]:
    """Build ``site`` and capture its screenshot pages into ``out_dir``."""
    output = work / site.name
    with serve(output) as base:
        build(site.content, output, base)
        return screenshots([(name, base + path) for name, path in site.screenshot_pages], out_dir)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", nargs="?", choices=("audit", "screenshots"), default="audit")
    parser.add_argument("--out", type=Path, default=ROOT / "screenshots", help="folder for screenshots")
    args = parser.parse_args(argv)
    try:
        ensure_tools()
    except ToolsUnavailable as exc:
        print(exc, file=sys.stderr)
        return CANNOT_INSTALL
    with tempfile.TemporaryDirectory(prefix="scholarpages-audit-") as tmp:
        if args.command == "screenshots":
            print("\n".join(take_screenshots(Path(tmp), args.out.resolve())))
            return 0
        report = run_all(Path(tmp))
    print(report.summary())
    failures = report.failures()
    print("\n".join(["", "FAILED:", *failures]) if failures else "\nAll audits pass.")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
