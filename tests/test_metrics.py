import pytest

from generator.diagnostics import SourceLocation
from generator.metrics import h_index, i10_index, metrics_for
from generator.model import Author, Paper

LOC = SourceLocation("x.bib", 1)


def paper(key: str, citations: int | None) -> Paper:
    return Paper(key=key, entry_type="article", title=key, authors=(), source=LOC, citations=citations)


@pytest.mark.parametrize(
    ("counts", "h"),
    [
        ([], 0),
        ([0], 0),
        ([1], 1),
        ([10, 8, 5, 4, 3], 4),
        ([25, 8, 5, 3, 3], 3),
        ([100] * 3, 3),
        ([3, 3, 3], 3),
    ],
)
def test_h_index(counts, h):
    assert h_index(counts) == h


def test_i10():
    assert i10_index([10, 9, 12, 100]) == 3


def test_computed_strip_without_overrides():
    author = Author(slug="a", name="A", source=LOC)
    strip = metrics_for(author, [paper("p1", 12), paper("p2", 1500), paper("p3", None)])
    assert [(m.label, m.value) for m in strip] == [
        ("h-index", "2"),
        ("papers", "3"),
        ("citations", "1,512"),
        ("i10-index", "2"),
    ]


def test_no_citation_data_shows_only_the_paper_count():
    author = Author(slug="a", name="A", source=LOC)
    assert [(m.label, m.value) for m in metrics_for(author, [paper("p", None)])] == [("papers", "1")]


def test_overrides_win_and_custom_metrics_keep_their_order():
    author = Author(
        slug="a",
        name="A",
        source=LOC,
        metric_overrides=(("h-index", "19"), ("citations", "319"), ("Novelty", "54%"), ("AI Score", "44")),
    )
    strip = metrics_for(author, [paper(f"p{i}", None) for i in range(6)])
    assert [(m.label, m.value) for m in strip] == [
        ("h-index", "19"),
        ("papers", "6"),
        ("citations", "319"),
        ("Novelty", "54%"),
        ("AI Score", "44"),
    ]
    assert [m.key for m in strip][:3] == ["h_index", "papers", "citations"]


def test_override_spellings():
    author = Author(slug="a", name="A", source=LOC, metric_overrides=(("H_Index", "7"), ("i10 index", "3")))
    strip = metrics_for(author, [])
    assert [(m.label, m.value) for m in strip] == [("h-index", "7"), ("papers", "0"), ("i10-index", "3")]


def test_numbers_are_localised():
    author = Author(slug="a", name="A", source=LOC)
    strip = metrics_for(author, [paper("p", 12345)], language="de")
    assert ("citations", "12.345") in [(m.label, m.value) for m in strip]
