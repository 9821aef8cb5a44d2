"""Citations files (content/papers/*.yaml): what they say, what they change, what they report."""

from __future__ import annotations

import dataclasses

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.dedup import merge
from generator.diagnostics import SourceLocation
from generator.incremental.papers import CitationsCache
from generator.model import Paper
from generator.sources.authors import read_author
from generator.sources.citations import (
    CitationCounts,
    CitationsFile,
    apply_citations,
    read_citations,
)
from generator.sources.files import SourceFile
from generator.sources.yaml_source import load_yaml_text

PATH = "content/papers/citations.yaml"


def read(text: str, display: str = PATH) -> CitationsFile:
    return read_citations(SourceFile.from_bytes(display, text.encode()))


def messages(file: CitationsFile) -> list[str]:
    return [d.format() for d in file.diagnostics]


def paper(key: str, citations: int | None = None) -> Paper:
    return Paper(
        key, "misc", f"Title {key}", (), SourceLocation("content/papers/a.bib", 1), citations=citations
    )


# --- reading -------------------------------------------------------------------------------


def test_the_short_and_the_long_form() -> None:
    file = read(
        "ada2020: 120\n"
        "turing1950:\n"
        "  citations: 40\n"
        "  citations_by_year:\n"
        "    2023: 30\n"
        "    2022: 10\n"
        "hopper1952:\n"
        "  citations_by_year: {2021: 2, 2022: 5}\n"
    )
    assert messages(file) == []
    assert [(c.key, c.citations, c.by_year) for c in file.counts] == [
        ("ada2020", 120, ()),
        ("turing1950", 40, ((2022, 10), (2023, 30))),  # oldest first, whatever the order written
        ("hopper1952", None, ((2021, 2), (2022, 5))),
    ]
    assert str(file.counts[1].source) == f"{PATH}:2:1"


def test_empty_files_and_empty_values_say_nothing() -> None:
    assert read("") == CitationsFile(PATH)
    assert read("# only a comment\n") == CitationsFile(PATH)
    file = read("ada2020:\nturing1950: {citations: ~}\n")
    assert messages(file) == []
    assert [(c.key, c.citations, c.by_year) for c in file.counts] == [("turing1950", None, ())]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "- ada2020\n",
            f"{PATH}:1: error: a citations file must map BibTeX keys to counts, not a list "
            "(write `key: 120` lines, or `key:` with `citations:` and `citations_by_year:` under it)",
        ),
        (
            "ada2020: lots\n",
            f"{PATH}:1:1: error: the citations of 'ada2020' must be a whole number, not 'lots' "
            "(for example: `ada2020: 120`, or `citations:` and `citations_by_year:` under `ada2020:`)",
        ),
        (
            "ada2020: 12.5\n",
            f"{PATH}:1:1: error: the citations of 'ada2020' must be a whole number, not 12.5 "
            "(for example: `ada2020: 120`, or `citations:` and `citations_by_year:` under `ada2020:`)",
        ),
        (
            "ada2020: -3\n",
            f"{PATH}:1:1: error: the citations of 'ada2020' must be 0 or more, not -3 "
            "(a count cannot be negative)",
        ),
        (
            "ada2020:\n  citations: true\n",
            f"{PATH}:2:3: error: 'citations' of 'ada2020' must be a whole number, not true/false "
            "(for example: `citations: 120`)",
        ),
        (
            "ada2020:\n  citation: 4\n",
            f"{PATH}:2:3: warning: unknown key 'citation' (did you mean 'citations'?)",
        ),
        (
            "ada2020:\n  citations_by_year: 40\n",
            f"{PATH}:2:3: error: 'citations_by_year' of 'ada2020' must be a mapping of years to counts, "
            "not 40 (for example: `citations_by_year: {2022: 10, 2023: 40}`)",
        ),
        (
            "ada2020:\n  citations_by_year:\n    total: 40\n",
            f"{PATH}:3:5: error: 'total' in citations_by_year of 'ada2020' is not a year "
            "(write four-digit years, e.g. `2023: 40`)",
        ),
        (
            "ada2020:\n  citations_by_year:\n    2023: [1, 2]\n",
            f"{PATH}:3:5: error: the count for 2023 in citations_by_year of 'ada2020' must be a whole "
            "number, not a list (for example: `2023: 40`)",
        ),
        (
            "ada2020:\n  citations_by_year:\n    2023: -1\n",
            f"{PATH}:3:5: error: the count for 2023 in citations_by_year of 'ada2020' must be 0 or more, "
            "not -1 (a count cannot be negative)",
        ),
    ],
    ids=[
        "list",
        "text",
        "fraction",
        "negative",
        "bool",
        "unknown-field",
        "by-year-not-mapping",
        "not-a-year",
        "count-a-list",
        "count-negative",
    ],
)
def test_bad_values_are_reported_and_left_out(text: str, message: str) -> None:
    file = read(text)
    assert messages(file) == [message]
    assert all(c.citations is None and not c.by_year for c in file.counts)


def test_good_years_survive_next_to_bad_ones() -> None:
    file = read("ada2020:\n  citations_by_year:\n    2022: 4\n    '20x3': 9\n    2023: -2\n    2024: 6\n")
    assert len(messages(file)) == 2
    assert file.counts[0].by_year == ((2022, 4), (2024, 6))


def test_broken_yaml_is_an_error_and_no_counts() -> None:
    file = read("ada2020: [12\n")
    assert file.counts == ()
    assert [d.level for d in file.diagnostics] == ["error"]
    assert messages(file)[0].startswith(f"{PATH}:2:1: error: YAML syntax error")


VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**6), 10**6)
    | st.floats(allow_nan=False)
    | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6) | st.integers(), inner),
    max_leaves=12,
)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.text(max_size=8), VALUES, max_size=4) | VALUES)
def test_any_yaml_gives_valid_counts_or_diagnostics(data: object) -> None:
    """Whatever a script (or a person) writes: no exception, and what is kept is valid."""
    file = read(yaml.safe_dump(data, allow_unicode=True))
    for counts in file.counts:
        assert counts.citations is None or counts.citations >= 0
        assert all(1000 <= year <= 9999 and n >= 0 for year, n in counts.by_year)
        assert list(counts.by_year) == sorted(counts.by_year)


# --- matching keys to papers ---------------------------------------------------------------


def test_the_file_wins_and_keys_match_in_any_case() -> None:
    papers = [
        paper("Ada2020", citations=7),
        paper("turing1950", citations=3),
        paper("hopper1952", citations=2),
    ]
    file = read("ada2020: 120\nTURING1950:\n  citations_by_year: {2021: 4, 2022: 5}\n")
    out, diags = apply_citations(papers, [file])
    assert diags == []
    assert [(p.key, p.citations, p.citations_by_year) for p in out] == [
        ("Ada2020", 120, ()),
        ("turing1950", 9, ((2021, 4), (2022, 5))),  # only years given: the count is their sum
        ("hopper1952", 2, ()),
    ]
    assert out[2] is papers[2]  # untouched papers are the same records


def test_unknown_and_repeated_keys_are_warnings() -> None:
    first = read("ada2020: 1\nturing1905: 2\nzzz: 3\n")
    second = read("ADA2020: 5\n", "content/papers/more.yml")
    out, diags = apply_citations([paper("ada2020"), paper("turing1950")], [first, second])
    assert [d.format() for d in diags] == [
        "content/papers/more.yml:1:1: warning: citations of 'ADA2020' are given twice "
        f"(first at {PATH}:1:1); the first are used (remove one of them)",
        f"{PATH}:2:1: warning: no BibTeX entry has the key 'turing1905'; its citations are not used "
        "(did you mean 'turing1950'?)",
        f"{PATH}:3:1: warning: no BibTeX entry has the key 'zzz'; its citations are not used "
        "(check the key against your .bib files)",
    ]
    assert out[0].citations == 1


def test_the_cache_applies_like_apply_citations_and_keeps_untouched_papers() -> None:
    papers = (paper("a"), paper("b"), paper("c"))
    cache = CitationsCache()
    texts = ["a: 1\n", "a: 1\nb: {citations_by_year: {2020: 2}}\n"]
    texts += [texts[1], "a: 1\nb: {citations_by_year: {2020: 3}}\n"]
    results = []
    for text in texts:
        got = cache.apply(papers, [read(text)])
        assert got == apply_citations(papers, [read(text)])
        results.append(got[0])
    assert results[2] is results[1]  # the same counts again: the same tuple, later stages skip it
    assert results[3][0] is results[2][0] and results[3][2] is papers[2]  # untouched: the same records
    assert results[3][1] is not results[2][1] and results[3][1].citations_by_year == ((2020, 3),)
    unchanged, diags = cache.apply(papers, [read("")])
    assert unchanged is papers and diags == []  # no counts: the BibTeX stage's papers as they are


def test_merged_duplicates_keep_the_larger_histogram_whole() -> None:
    one = dataclasses.replace(paper("a", 10), citations_by_year=((2020, 4), (2021, 6)))
    other = dataclasses.replace(paper("b", 12), citations_by_year=((2021, 12),))
    assert merge(one, other).citations_by_year == ((2021, 12),)
    assert merge(other, one).citations_by_year == ((2021, 12),)
    assert merge(one, paper("c", 3)).citations_by_year == ((2020, 4), (2021, 6))


def test_counts_record_values_ignore_where_they_are_written() -> None:
    here = CitationCounts("a", SourceLocation(PATH, 1), 3, ((2020, 3),))
    there = dataclasses.replace(here, source=SourceLocation(PATH, 9))
    assert here.values == there.values and here != there


# --- the profile's own histogram -----------------------------------------------------------


def test_a_profile_histogram() -> None:
    doc = load_yaml_text("content/authors/ada.yaml", "name: Ada\ncitations_by_year:\n  2024: 41\n  2022: 3\n")
    author, diags = read_author(doc, "ada")
    assert diags == [] and author is not None
    assert author.citations_by_year == ((2022, 3), (2024, 41))


def test_a_bad_profile_histogram_is_reported() -> None:
    text = "name: Ada\ncitations_by_year:\n  last year: 3\n  2023: many\n  2024: 5\n"
    author, diags = read_author(load_yaml_text("content/authors/ada.yaml", text), "ada")
    assert author is not None and author.citations_by_year == ((2024, 5),)
    assert [d.format() for d in diags] == [
        "content/authors/ada.yaml:3:3: error: 'last year' in citations_by_year is not a year "
        "(write four-digit years, e.g. `2023: 40`)",
        "content/authors/ada.yaml:4:3: error: the count for 2023 in citations_by_year must be a whole "
        "number, not 'many' (for example: `2023: 40`)",
    ]
    author, diags = read_author(
        load_yaml_text("content/authors/ada.yaml", "name: Ada\ncitations_by_year: 9\n"), "ada"
    )
    assert author is not None and author.citations_by_year == ()
    assert [d.format() for d in diags] == [
        "content/authors/ada.yaml:2:1: error: 'citations_by_year' must be a mapping, not a number "
        "(for example: `citations_by_year:` followed by indented `name: value` lines)"
    ]
