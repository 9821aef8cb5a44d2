import json
import os

import pytest

from generator.write import MANIFEST, UnsafeOutput, check_output_dir, safe_relpath, write_site


def test_writes_then_leaves_unchanged_files_alone(tmp_path):
    out = tmp_path / "output"
    first = write_site(out, {"index.html": b"home", "papers/a/index.html": b"a"})
    assert sorted(first.written) == ["index.html", "papers/a/index.html"]
    mtime = os.stat(out / "index.html").st_mtime_ns
    second = write_site(out, {"index.html": b"home", "papers/a/index.html": b"a2"})
    assert second.written == ["papers/a/index.html"]
    assert second.unchanged == ["index.html"]
    assert os.stat(out / "index.html").st_mtime_ns == mtime
    assert (out / "papers/a/index.html").read_bytes() == b"a2"


def test_stale_generated_pages_are_removed_user_files_kept(tmp_path):
    out = tmp_path / "output"
    write_site(out, {"index.html": b"home", "papers/a/index.html": b"a"})
    (out / "CNAME").write_text("example.org")
    result = write_site(out, {"index.html": b"home"})
    assert result.removed == ["papers/a/index.html"]
    assert not (out / "papers").exists()
    assert (out / "CNAME").read_text() == "example.org"


def test_refuses_to_overwrite_a_file_it_did_not_create(tmp_path):
    out = tmp_path / "output"
    out.mkdir()
    (out / "index.html").write_text("my own page")
    with pytest.raises(UnsafeOutput, match="was not created by scholarpages"):
        write_site(out, {"index.html": b"generated"})
    assert (out / "index.html").read_text() == "my own page"


def test_manifest_records_every_generated_file(tmp_path):
    out = tmp_path / "output"
    write_site(out, {"index.html": b"x"})
    data = json.loads((out / MANIFEST).read_text())
    assert list(data["files"]) == ["index.html"]


def test_corrupt_manifest_is_treated_as_missing(tmp_path):
    out = tmp_path / "output"
    write_site(out, {"index.html": b"x"})
    (out / MANIFEST).write_text("{not json")
    result = write_site(out, {"index.html": b"x"})
    assert result.written == ["index.html"]  # same bytes as on disk: not foreign, rewritten


@pytest.mark.parametrize("rel", ["../evil", "/etc/passwd", "a/../../b", "a\\b", "a\x00b", ""])
def test_paths_cannot_escape(rel):
    with pytest.raises(UnsafeOutput):
        safe_relpath(rel)


def test_output_may_not_contain_the_sources(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    with pytest.raises(UnsafeOutput):
        check_output_dir(tmp_path, [content])
    with pytest.raises(UnsafeOutput):
        check_output_dir(content, [content])
    check_output_dir(tmp_path / "output", [content])


def test_no_temporary_files_are_left(tmp_path):
    out = tmp_path / "output"
    write_site(out, {"a/index.html": b"x", "b.css": b"y"})
    assert not [p for p in out.rglob("*.tmp")]
