"""The built site works where it is deployed: at a domain root and under a sub-path."""

import functools
import shutil
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit
from xml.etree import ElementTree as ET

import pytest

from tests.conftest import FIXTURES, ROOT, build_site

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


class _Handler(SimpleHTTPRequestHandler):
    """Serves output/ under a prefix, like GitHub Pages serves a project site under /repo/."""

    def __init__(self, *args, prefix: str, **kwargs):
        self.prefix = prefix
        super().__init__(*args, **kwargs)

    def translate_path(self, path: str) -> str:
        if not path.startswith(self.prefix):
            return str(Path(self.directory) / "does-not-exist")
        return super().translate_path("/" + path[len(self.prefix) :])

    def log_message(self, *args) -> None:
        pass


@contextmanager
def serve(folder: Path, prefix: str) -> Iterator[str]:
    handler = functools.partial(_Handler, directory=str(folder), prefix=prefix)
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{prefix}"
    finally:
        server.shutdown()
        server.server_close()


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value and (name == "href" or (name == "src" and tag in ("img", "script", "source"))):
                self.links.append(value)


def crawl(start: str) -> tuple[set[str], list[str]]:
    """Every internal URL reachable from ``start``, and the broken ones (with the page linking them)."""
    host = urlsplit(start).netloc
    seen, broken, queue = set(), [], [(start, "start")]
    while queue:
        url, source = queue.pop()
        url = urldefrag(url).url
        if url in seen or urlsplit(url).netloc != host:
            continue
        seen.add(url)
        try:
            with urllib.request.urlopen(url) as response:
                body, kind = response.read(), response.headers.get_content_type()
        except urllib.error.HTTPError as exc:
            broken.append(f"{url} ({exc.code}, linked from {source})")
            continue
        if kind == "text/html":
            parser = _Links()
            parser.feed(body.decode("utf-8"))
            queue += [(urljoin(url, link), url) for link in parser.links]
    return seen, broken


@pytest.fixture(scope="module")
def subpath_site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("subpath")
    shutil.copytree(ROOT / "content", root / "content")
    build_site(root, base_url="https://example.github.io/repo/")
    return root / "output"


@pytest.mark.parametrize(("base_url", "prefix"), [("https://example.github.io/repo/", "/repo/"), ("/", "/")])
def test_every_internal_link_resolves(tmp_path, base_url, prefix):
    shutil.copytree(ROOT / "content", tmp_path / "content")
    build_site(tmp_path, base_url=base_url)
    with serve(tmp_path / "output", prefix) as start:
        seen, broken = crawl(start)
    assert broken == []
    paths = {urlsplit(u).path for u in seen}
    expected = {
        prefix + p for p in ("", "papers/wei2023skywork/", "publications/", "categories/cl/", "about/")
    }
    assert expected <= paths
    assert {prefix + "assets/style.css", prefix + "feed.xml"} <= paths


def test_404_page_links_work_from_any_depth(subpath_site):
    """Hosts serve 404.html at the mistyped address, so its links must not be relative."""
    with serve(subpath_site, "/repo/") as start:
        html = urllib.request.urlopen(start + "404.html").read().decode()
        parser = _Links()
        parser.feed(html)
        for link in parser.links:
            if link.startswith(("http", "mailto:", "#")):
                continue
            assert link.startswith("/repo/"), link
            for depth_url in (start + "a/b/c/missing", start):
                target = urljoin(depth_url, link)
                assert urllib.request.urlopen(target).status == 200


def test_files_a_static_host_expects(subpath_site):
    assert (subpath_site / ".nojekyll").exists()
    assert (subpath_site / "404.html").is_file()
    robots = (subpath_site / "robots.txt").read_text()
    assert "Sitemap: https://example.github.io/repo/sitemap.xml" in robots
    assert not (subpath_site / "CNAME").exists()


def test_cname_from_domain(tmp_path):
    shutil.copytree(ROOT / "content", tmp_path / "content")
    config = tmp_path / "content/site.yaml"
    config.write_text(config.read_text() + "domain: www.example.org\n")
    build_site(tmp_path)
    assert (tmp_path / "output/CNAME").read_text() == "www.example.org\n"


def test_sitemap_lists_every_page_with_absolute_urls(subpath_site):
    root = ET.parse(subpath_site / "sitemap.xml").getroot()
    assert root.tag == f"{SITEMAP}urlset"
    locs = [u.findtext(f"{SITEMAP}loc") for u in root.findall(f"{SITEMAP}url")]
    assert all(loc.startswith("https://example.github.io/repo/") for loc in locs)
    pages = {p.parent.relative_to(subpath_site).as_posix() for p in subpath_site.rglob("index.html")}
    pages.remove("search")  # the search page has nothing of its own to index (it says noindex)
    assert {loc.removeprefix("https://example.github.io/repo/").rstrip("/") for loc in locs} == {
        "" if p == "." else p for p in pages
    }
    lastmods = {
        u.findtext(f"{SITEMAP}loc"): u.findtext(f"{SITEMAP}lastmod") for u in root.iter(f"{SITEMAP}url")
    }
    assert lastmods["https://example.github.io/repo/papers/wei2023skywork/"] == "2023-10-30"


def test_atom_feed_is_valid_and_newest_first(subpath_site):
    feed = ET.parse(subpath_site / "feed.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert feed.findtext(f"{ATOM}{required}")
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == "https://example.github.io/repo/feed.xml"
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 6
    for entry in entries:
        assert entry.findtext(f"{ATOM}id").startswith("https://example.github.io/repo/papers/")
        assert entry.findtext(f"{ATOM}title")
        assert entry.find(f"{ATOM}author/{ATOM}name") is not None
        assert entry.find(f"{ATOM}link").get("href").startswith("https://example.github.io/repo/")
    updated = [e.findtext(f"{ATOM}updated") for e in entries]
    assert updated == sorted(updated, reverse=True)
    assert feed.findtext(f"{ATOM}updated") == updated[0] == "2025-07-08T00:00:00Z"


def test_pages_link_to_the_feed(subpath_site):
    html = (subpath_site / "index.html").read_text()
    assert 'type="application/atom+xml"' in html and 'href="feed.xml"' in html


def test_feed_without_a_host_in_base_url_uses_tag_ids(tmp_path):
    shutil.copytree(ROOT / "content", tmp_path / "content")
    build_site(tmp_path)
    feed = ET.parse(tmp_path / "output/feed.xml").getroot()
    assert feed.findtext(f"{ATOM}id").startswith("tag:")
    assert not (tmp_path / "output/sitemap.xml").exists()
    assert "Sitemap:" not in (tmp_path / "output/robots.txt").read_text()


def test_every_profile_has_its_own_feed(tmp_path):
    shutil.copytree(FIXTURES / "larger_site/content", tmp_path / "content")
    build_site(tmp_path, base_url="https://lab.example.org/")
    owner = (tmp_path / "content/site.yaml").read_text()
    for person in ("lena-okafor", "maria-rossi", "tomas-dvorak"):
        if f"author: {person}" in owner:
            continue
        feed = ET.parse(tmp_path / f"output/people/{person}/feed.xml").getroot()
        assert (
            feed.find(f"{ATOM}link[@rel='self']").get("href")
            == f"https://lab.example.org/people/{person}/feed.xml"
        )
        assert feed.findall(f"{ATOM}entry"), person
        page = (tmp_path / f"output/people/{person}/index.html").read_text()
        assert 'type="application/atom+xml"' in page and 'href="feed.xml"' in page
