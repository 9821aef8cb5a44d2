"""The paper index: lists updated after an edit are those counted afresh."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator import views
from generator.diagnostics import SourceLocation
from generator.model import Paper
from generator.paperindex import PaperGroups, PaperIndex, _grouped

LOC = SourceLocation("papers.bib", 1)
CATEGORIES = st.lists(st.sampled_from(["cs.CL", "cs.LG", "stat.ML", "q-bio"]), max_size=3).map(tuple)
KINDS = st.sampled_from(["journal", "conference", "preprint", "other", "", "odd"])
PAPERS = st.builds(
    lambda n, cats, kind, bib: Paper(
        key=f"k{n}", entry_type="article", title="T", authors=(), source=LOC, categories=cats,
        venue_kind=kind, bibtex="@misc{k}" if bib else "",
    ),
    st.integers(0, 99), CATEGORIES, KINDS, st.booleans(),
)  # fmt: skip
# An edit: replace papers[at:at+remove] by new ones, or move one paper elsewhere.
EDITS = st.tuples(st.integers(0, 40), st.integers(0, 3), st.lists(PAPERS, max_size=3), st.booleans())


def _same(a: PaperGroups, b: PaperGroups) -> None:
    assert a.papers is b.papers or a.papers == b.papers
    assert a.kinds == b.kinds
    assert a.with_bibtex == b.with_bibtex
    for mine, theirs in ((a.by_category, b.by_category), (a.by_kind, b.by_kind)):
        assert mine.keys() == theirs.keys()
        for name, listed in mine.items():
            assert len(listed) == len(theirs[name])
            assert all(x is y for x, y in zip(listed, theirs[name], strict=True))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(PAPERS, max_size=40), st.lists(EDITS, max_size=6))
def test_updates_equal_a_fresh_count(
    start: list[Paper], edits: list[tuple[int, int, list[Paper], bool]]
) -> None:
    index = PaperIndex(views._kind_of)
    papers = tuple(start)
    _same(index.of(papers), _grouped(papers, views._kind_of))
    for at, remove, new, move in edits:
        items = list(papers)
        at = min(at, len(items))
        if move and items:
            items.insert(at, items.pop(-1))  # the same record elsewhere: order changes
        else:
            items[at : at + remove] = new
        if items and at % 3 == 0:
            items.append(items[0])  # the very same record twice
        papers = tuple(items)
        _same(index.of(papers), _grouped(papers, views._kind_of))
        _same(index.of(tuple(items)), _grouped(papers, views._kind_of))  # a new tuple, same records


def test_views_read_the_index() -> None:
    a = Paper(key="a", entry_type="article", title="A", authors=(), source=LOC, categories=("x", "x", "y"))
    b = Paper(key="b", entry_type="article", title="B", authors=(), source=LOC, categories=("y",))
    groups = PaperIndex(views._kind_of).of((a, b))
    assert groups.category("x") == (a,)
    assert groups.category("y") == (a, b)
    assert groups.kind("other") == (a, b)
    assert groups.category("none") == ()
