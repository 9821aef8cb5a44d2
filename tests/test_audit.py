"""Browser audits (tools/audit): the built example site and a larger fixture must pass the Nu Html
Checker with no error, axe-core with no violation in light and dark mode, and Lighthouse (mobile
and desktop) with performance >= 0.95 and accessibility, best practices and SEO at 1.00.

The tools are installed by tools/audit/install.sh (`make audit-tools`, which `make test` runs);
the audits skip, saying why, only when this machine cannot have them.
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
TOOLS = ROOT / "tools" / "audit"
STATIC = ROOT / "themes" / "default" / "static"


def _load_audit() -> ModuleType:
    spec = importlib.util.spec_from_file_location("scholarpages_audit", TOOLS / "audit.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


audit = _load_audit()


@pytest.fixture(scope="module")
def report(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """Both sites built, served and audited once (about a minute): vnu, axe, Lighthouse."""
    try:
        audit.ensure_tools()
    except audit.ToolsUnavailable as exc:
        say(request.config, f"BROWSER AUDITS SKIPPED: {exc}")  # out loud, not only in -rs summaries
        pytest.skip(f"browser audits skipped: {exc}")
    work = tmp_path_factory.mktemp("audit")
    return audit.run_all(work, report_dir=work / "lighthouse")


def say(config: pytest.Config, text: str) -> None:
    """Write to the terminal past pytest's capturing, so every run reports what was measured."""
    capture = config.pluginmanager.get_plugin("capturemanager")
    terminal = config.pluginmanager.get_plugin("terminalreporter")
    if capture is None or terminal is None:
        print(text)
        return
    with capture.global_and_fixture_disabled():
        terminal.write_line(f"\n{text}")


@pytest.mark.slow
def test_nu_html_checker_finds_no_error(report: Any, request: pytest.FixtureRequest) -> None:
    say(request.config, report.vnu_summary())
    assert report.html_files >= 60  # both sites: every page, not a sample
    assert not report.vnu_errors, audit.format_vnu(report.vnu_errors)


@pytest.mark.slow
def test_axe_finds_no_violation_in_light_or_dark_mode(report: Any, request: pytest.FixtureRequest) -> None:
    say(request.config, "axe-core:\n" + audit.format_axe(report.axe))
    expected = sum(len(site.axe_pages) for site in audit.SITES) * 2
    assert len(report.axe) == expected and {r["scheme"] for r in report.axe} == {"light", "dark"}
    assert all(r["passes"] > 0 for r in report.axe)  # axe really ran on a page
    assert not [r for r in report.axe if r["violations"]], audit.format_axe(report.axe)


@pytest.mark.slow
def test_lighthouse_scores_meet_the_bar(report: Any, request: pytest.FixtureRequest) -> None:
    say(request.config, "Lighthouse:\n" + audit.format_lighthouse(report.lighthouse))
    assert len(report.lighthouse) == 4  # profile and paper page, mobile and desktop
    shortfalls = [
        f"{r['url']} ({r['formFactor']}): {s}"
        for r in report.lighthouse
        for s in audit.lighthouse_shortfalls(r)
    ]
    assert not shortfalls, "\n".join(shortfalls)


# --- the tools and the script themselves (no browser needed) ----------------


def test_audit_packages_are_pinned_and_locked() -> None:
    package = json.loads((TOOLS / "package.json").read_text())
    lock = json.loads((TOOLS / "package-lock.json").read_text())
    wanted = {"axe-core", "lighthouse", "puppeteer-core", "vnu-jar"}
    assert set(package["dependencies"]) == wanted
    assert package["dependencies"]["lighthouse"] == "12.2.3"  # 13 needs Node 22
    assert package["dependencies"]["puppeteer-core"] == "23.9.0"
    for name, version in package["dependencies"].items():
        assert re.fullmatch(r"\d+\.\d+\.\d+", version), (name, version)
        assert lock["packages"][f"node_modules/{name}"]["version"] == version, name


def test_lighthouse_bar_is_the_issues() -> None:
    passing = {"performance": 0.95, "accessibility": 1, "best-practices": 1, "seo": 1}
    assert audit.lighthouse_shortfalls({"scores": passing, "failed": []}) == []
    failing = {**passing, "performance": 0.94, "seo": 0.92}
    audits = [{"id": "canonical", "category": "seo", "displayValue": ""}]
    shortfalls = audit.lighthouse_shortfalls({"scores": failing, "failed": audits})
    assert len(shortfalls) == 2 and "canonical" in shortfalls[1]


def test_filter_script_is_small_deferred_and_self_contained() -> None:
    script = (STATIC / "filter.js").read_text()
    assert len(script.encode()) < 5 * 1024
    assert not re.search(r"\b(import|require)\s*\(|^\s*import\s", script, re.MULTILINE)
    assert '"aria-live", "polite"' in script  # the result count is announced
    templates = ROOT / "themes" / "default" / "templates"
    for name in ("profile.html", "publications.html"):
        tag = re.search(r"<script[^>]*filter\.js[^>]*>", (templates / name).read_text())
        assert tag is not None and " defer" in tag.group(0), name
