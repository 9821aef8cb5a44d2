"""A build killed with SIGKILL at any moment leaves a servable site: no truncated file, no dangling link."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from benchmarks.corpus import generate
from tests.conftest import ROOT

HREF = re.compile(r'(?:href|src)="([^"]*)"')
FRACTIONS = (0.3, 0.5, 0.65, 0.8, 0.9, 0.97)

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")


def start_build(root: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-m", "generator", "build", "-q"],
        cwd=root,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def timed_build(root: Path) -> float:
    start = time.perf_counter()
    assert start_build(root).wait(timeout=300) == 0
    return time.perf_counter() - start


def kill_after(root: Path, seconds: float) -> None:
    proc = start_build(root)
    try:
        proc.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGKILL)
        proc.wait()


def assert_servable(output: Path) -> None:
    """Every page complete, every internal link and asset present."""
    pages = list(output.rglob("*.html"))
    assert pages
    for page in pages:
        text = page.read_text("utf-8")
        assert text.rstrip().endswith("</html>"), f"truncated: {page}"
        for link in HREF.findall(text):
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or not parts.path or link.startswith(("#", "/")):
                continue
            target = (page.parent / unquote(parts.path)).resolve()
            if link.split("#")[0].split("?")[0].endswith("/"):
                target = target / "index.html"
            assert target.exists(), f"{page.relative_to(output)} links to missing {link}"


def change_everything(content: Path, seed: int) -> None:
    """A new corpus: most pages change, some appear, some disappear."""
    fresh = content.parent / f"next-{seed}"
    generate(fresh, 330, seed=seed, profiles=8)
    shutil.rmtree(content / "papers")
    shutil.copytree(fresh / "content/papers", content / "papers")


@pytest.mark.slow
def test_killed_rebuilds_leave_a_servable_site(tmp_path):
    content = generate(tmp_path, 300, seed=1, profiles=8)
    full = timed_build(tmp_path)
    assert_servable(tmp_path / "output")
    for i, fraction in enumerate(FRACTIONS):
        change_everything(content, seed=10 + i)
        kill_after(tmp_path, full * fraction)
        assert_servable(tmp_path / "output")
    timed_build(tmp_path)  # the next build completes: nothing it finds is refused as foreign
    assert_servable(tmp_path / "output")


@pytest.mark.slow
def test_killed_first_build_leaves_no_half_site(tmp_path):
    generate(tmp_path, 300, seed=2, profiles=8)
    probe = tmp_path / "probe"
    shutil.copytree(tmp_path / "content", probe / "content")
    full = timed_build(probe)
    for fraction in FRACTIONS:
        kill_after(tmp_path, full * fraction)
        output = tmp_path / "output"
        if output.exists():
            assert_servable(output)
            break
    timed_build(tmp_path)
    assert_servable(tmp_path / "output")
    assert not list(tmp_path.glob(".output.partial-*"))
