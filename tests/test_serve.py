"""The preview server: serving as deployed, refusing escapes, rebuilding on change."""

from __future__ import annotations

import http.client
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from generator.serve import PreviewState, is_loopback, resolve, respond, with_errors

ROOT = Path(__file__).resolve().parent.parent
SCHOLARPAGES = Path(sys.executable).parent / "scholarpages"


# ---------------------------------------------------------------------------
# The WSGI side, without a server
# ---------------------------------------------------------------------------


@pytest.fixture
def served(tmp_path: Path) -> PreviewState:
    out = tmp_path / "output"
    (out / "papers" / "a").mkdir(parents=True)
    (out / "index.html").write_text("<html><head></head><body>home</body></html>")
    (out / "papers" / "a" / "index.html").write_text("<html><body>paper a</body></html>")
    (out / "404.html").write_text("<html><body>site 404</body></html>")
    (out / "style.css").write_text("body{}")
    (out / ".scholarpages-manifest.json").write_text("{}")
    (tmp_path / "secret.txt").write_text("secret")
    return PreviewState(out, "/repo/")


def test_serves_the_site_under_its_sub_path(served: PreviewState) -> None:
    status, headers, body = respond(served, "/repo/")
    assert status == "200 OK" and body.endswith(b"home</body></html>")
    assert ("Content-Type", "text/html; charset=utf-8") in headers
    assert respond(served, "/repo/papers/a/")[2] == b"<html><body>paper a</body></html>"
    assert respond(served, "/repo/style.css")[1][0] == ("Content-Type", "text/css; charset=utf-8")


def test_redirects_to_the_sub_path_and_to_folders(served: PreviewState) -> None:
    status, headers, _ = respond(served, "/")
    assert status == "302 Found" and dict(headers)["Location"] == "/repo/"
    assert dict(respond(served, "/repo/papers/a")[1])["Location"] == "/repo/papers/a/"


@pytest.mark.parametrize(
    "path",
    [
        "/repo/../secret.txt",
        "/repo/papers/../../secret.txt",
        "/repo//etc/passwd",
        "/repo/..%2fsecret.txt",
        "/repo/papers/\\..\\secret.txt",
        "/repo/secret.txt\x00.html",
        "/repo/.scholarpages-manifest.json",
        "/repo/nope/",
        "/other/",
        "/../etc/passwd",
    ],
)
def test_anything_outside_the_output_folder_is_the_sites_404(served: PreviewState, path: str) -> None:
    status, _, body = respond(served, path)
    assert status == "404 Not Found"
    assert b"site 404" in body and b"secret" not in body


def test_symlinks_out_of_the_output_folder_are_refused(served: PreviewState, tmp_path: Path) -> None:
    (served.output_dir / "link.txt").symlink_to(tmp_path / "secret.txt")
    assert resolve(served.output_dir, "link.txt") is None
    assert respond(served, "/repo/link.txt")[0] == "404 Not Found"


def test_errors_are_shown_over_every_page_never_written(served: PreviewState) -> None:
    served.errors = ["content/papers/a.bib:3: error: entry 'x' could not be read (add the missing '}')"]
    body = respond(served, "/repo/")[2]
    assert b"content/papers/a.bib:3: error: entry &#x27;x&#x27; could not be read" in body
    assert body.index(b"scholarpages-errors") < body.index(b"</body>")
    assert b"scholarpages-errors" in respond(served, "/repo/missing")[2]
    assert "scholarpages-errors" not in (served.output_dir / "index.html").read_text()
    assert with_errors(b"<p>x</p>", []) == b"<p>x</p>"


@pytest.mark.parametrize(("host", "loopback"), [("127.0.0.1", True), ("::1", True), ("localhost", True)])
def test_loopback_hosts(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback
    assert not is_loopback("0.0.0.0")


# ---------------------------------------------------------------------------
# The real server, in a subprocess
# ---------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    def __init__(self, root: Path, port: int) -> None:
        self.root, self.port = root, port

    def get(self, path: str) -> tuple[int, str]:
        """A raw request: no client-side normalisation of ``..`` or ``%2e``."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            conn.request("GET", path)
            response = conn.getresponse()
            return response.status, response.read().decode("utf-8", "replace")
        finally:
            conn.close()

    def wait_for(self, path: str, check: Callable[[int, str], bool], timeout: float = 30) -> str:
        deadline = time.monotonic() + timeout
        last = (0, "")
        while time.monotonic() < deadline:
            try:
                last = self.get(path)
            except OSError:
                time.sleep(0.1)
                continue
            if check(*last):
                return last[1]
            time.sleep(0.1)
        raise AssertionError(f"{path} never matched; last answer {last[0]}: {last[1][:500]}")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    shutil.copytree(ROOT / "content", tmp_path / "content")
    site_yaml = tmp_path / "content" / "site.yaml"
    site_yaml.write_text(
        site_yaml.read_text().replace("base_url: /", "base_url: https://example.github.io/repo/")
    )
    port = _free_port()
    log = (tmp_path / "serve.log").open("w")
    command = [str(SCHOLARPAGES), "serve", "--content", "content", "--output", "output", "--port", str(port)]
    process = subprocess.Popen(command, cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT)
    try:
        yield Server(tmp_path, port)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def _title(html: str) -> str:
    m = re.search(r"<title>(.*?)</title>", html)
    return m.group(1) if m else ""


@pytest.mark.slow
def test_serve_end_to_end(server: Server) -> None:
    home = server.wait_for("/repo/", lambda status, _: status == 200)
    assert "livereload.js" in home  # injected by the server ...
    assert "livereload" not in (server.root / "output" / "index.html").read_text()  # ... never written
    assert server.get("/")[0] == 302
    status, body = server.get("/repo/no-such-page/")
    assert status == 404 and "Page not found" in body
    for path in [
        "/repo/../../etc/passwd",
        "/repo/%2e%2e/%2e%2e/etc/passwd",
        "/repo//etc/passwd",
        "/../serve.log",
    ]:
        status, body = server.get(path)
        assert status == 404, path
        assert "root:" not in body and "Serving" not in body

    site_yaml = server.root / "content" / "site.yaml"
    site_yaml.write_text(site_yaml.read_text().replace("title: Jianhao Zhang", "title: Edited Title"))
    server.wait_for("/repo/", lambda _, html: "Edited Title" in _title(html))

    bib = server.root / "content" / "papers" / "papers.bib"
    good = bib.read_text()
    bib.write_text(good + "\n@misc{broken,\n  title = {Never closed\n")
    broken = server.wait_for("/repo/", lambda _, html: "scholarpages-errors" in html)
    assert re.search(r"content/papers/papers\.bib:\d+: error: .*broken", broken)
    assert "Edited Title" in _title(broken)  # the last good site is still served
    assert len(list((server.root / "output" / "papers").iterdir())) == 6

    bib.write_text(good.replace("{Skywork}: A More Open", "{Skywork}: A Much More Open"))
    fixed = server.wait_for("/repo/", lambda _, html: "scholarpages-errors" not in html)
    assert "A Much More Open" in fixed
    log = (server.root / "serve.log").read_text()
    assert "Serving output/ at http://127.0.0.1:" in log and "/repo/" in log
    assert re.search(r"Built in [\d.]+ s: \d+ pages? rendered", log)
    assert os.path.exists(server.root / "output" / "index.html")


def test_stylesheet_changes_are_swapped_other_changes_reload(tmp_path: Path) -> None:
    from generator.build import BuildResult
    from generator.serve import Rebuild

    result = BuildResult(None)
    assert Rebuild(result, True, ("assets/style.css",)).reload_path() == "assets/style.css"
    assert Rebuild(result, True, ("assets/style.css", "index.html")).reload_path() == "*"
    assert Rebuild(result, True, ()).reload_path() is None
