"""Property tests: whatever the bytes, the BibTeX reader returns results and never raises."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import pytest
from bibtexparser.entrypoint import parse_string
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.sources.bibtex import BibResult, ParsedBib, papers_from_bib, parse_bib_file
from generator.sources.files import SourceFile

FIXTURES = Path(__file__).parent / "fixtures" / "bib"
FIXTURE_TEXTS = [p.read_text("utf-8") for p in sorted(FIXTURES.glob("*.bib"))]

pytestmark = pytest.mark.fuzz

# `make fuzz` (HYPOTHESIS_PROFILE=fuzz) runs the long campaign; the test suite a short one.
LONG = os.environ.get("HYPOTHESIS_PROFILE") == "fuzz"
FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "20000")) // 4 if LONG else 200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

PIECES = st.sampled_from(
    [
        "@article{",
        "@misc(",
        "@string{",
        "@STRING(",
        "@comment{",
        "@preamble{",
        "@proceedings{",
        "@xdata{",
        "@",
        "{",
        "}",
        "(",
        ")",
        '"',
        ",",
        "=",
        " # ",
        "%",
        "\n",
        " ",
        "\t",
        "\r\n",
        "key",
        "title = ",
        "author = ",
        "editor = ",
        "year = ",
        "month = ",
        "date = ",
        "crossref = ",
        "url = ",
        "code = ",
        "doi = ",
        "eprint = ",
        "archivePrefix = {arXiv}",
        "citations = ",
        "oct",
        "jan",
        "2023",
        "2310.19341",
        "javascript:alert(1)",
        "https://x.org/a_b",
        " and ",
        "others",
        "Zhang, J.",
        '{\\"u}',
        "\\'e",
        "\\emph{",
        "$x^2$",
        "$",
        "\\",
        "--",
        "~",
        "*",
        "$^\\dagger$",
        "é",
        "\x00",
    ]
)


def _check(parsed: list[ParsedBib], result: BibResult) -> None:
    for bib in parsed:
        assert pickle.loads(pickle.dumps(bib)) == bib
    for diag in result.diagnostics:
        assert diag.code != "internal", diag.format()
        assert diag.location is None or diag.location.path.endswith(".bib")
    keys = [paper.key.lower() for paper in result.papers]
    assert len(keys) == len(set(keys))
    for paper in result.papers:
        assert paper.title
        reread = parse_string(paper.bibtex)
        assert reread.failed_blocks == [], paper.bibtex
        assert [entry.key for entry in reread.entries] == [paper.key]
        assert all(link.url for link in paper.links)
        assert all(not link.url.lower().startswith(("javascript:", "data:", "file:")) for link in paper.links)


def _run(*datas: bytes) -> None:
    parsed = [parse_bib_file(SourceFile.from_bytes(f"f{i}.bib", data)) for i, data in enumerate(datas)]
    _check(parsed, papers_from_bib(parsed))


@FUZZ
@given(st.binary(max_size=400))
def test_arbitrary_bytes(data: bytes) -> None:
    _run(data)


@FUZZ
@given(st.text(max_size=300))
def test_arbitrary_text(text: str) -> None:
    _run(text.encode("utf-8", "surrogatepass"))


@FUZZ
@given(st.lists(PIECES, max_size=60).map("".join))
def test_bibtex_like_token_soup(text: str) -> None:
    _run(text.encode("utf-8"))


@FUZZ
@given(st.lists(st.lists(PIECES, max_size=40).map("".join), min_size=2, max_size=3))
def test_several_files(texts: list[str]) -> None:
    _run(*(t.encode("utf-8") for t in texts))


@st.composite
def mutated_fixture(draw: st.DrawFn) -> str:
    """A real-world file with a few slices deleted, duplicated or replaced."""
    text = draw(st.sampled_from(FIXTURE_TEXTS))
    for _ in range(draw(st.integers(1, 4))):
        start = draw(st.integers(0, len(text)))
        end = draw(st.integers(start, min(len(text), start + 40)))
        action = draw(st.sampled_from(["delete", "duplicate", "replace"]))
        if action == "delete":
            text = text[:start] + text[end:]
        elif action == "duplicate":
            text = text[:end] + text[start:end] + text[end:]
        else:
            text = text[:start] + draw(PIECES) + text[end:]
    return text


@FUZZ
@given(mutated_fixture())
def test_mutated_real_files(text: str) -> None:
    _run(text.encode("utf-8"))


def test_all_fixtures_at_once() -> None:
    _run(*(t.encode("utf-8") for t in FIXTURE_TEXTS))
