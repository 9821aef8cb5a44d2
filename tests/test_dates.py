"""generator.dates: month names and publication dates."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.dates import month_number, parse_date
from generator.model import PaperDate


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("jan", 1),
        ("Feb", 2),
        ("MARCH", 3),
        ("Oct.", 10),
        ("october", 10),
        ("sept", 9),
        ("Sep", 9),
        ("10", 10),
        ("01", 1),
        (" dec ", 12),
        ("{may}", 5),
    ],
)
def test_month_number(text: str, number: int) -> None:
    assert month_number(text) == number


@pytest.mark.parametrize("text", ["", "13", "0", "Octember", "spring", "1.5", "j"])
def test_month_number_rejects(text: str) -> None:
    assert month_number(text) is None


def _date(fields: dict[str, str], arxiv_id: str = "") -> PaperDate:
    date, problems = parse_date(fields, arxiv_id)
    assert problems == []
    return date


def test_year_only() -> None:
    assert _date({"year": "2023"}) == PaperDate(2023)


def test_year_month_day() -> None:
    assert _date({"year": "2023", "month": "October", "day": "30"}) == PaperDate(2023, 10, 30)


def test_numeric_month() -> None:
    assert _date({"year": "2023", "month": "10"}) == PaperDate(2023, 10)


def test_braced_year() -> None:
    assert _date({"year": "{2023}"}) == PaperDate(2023)


def test_year_with_letter_suffix() -> None:
    assert _date({"year": "2023a"}) == PaperDate(2023)


def test_year_range_takes_the_first() -> None:
    assert _date({"year": "2020–2021"}) == PaperDate(2020)


@pytest.mark.parametrize("text", ["in press", "In Press", "forthcoming", "to appear", "submitted"])
def test_not_yet_published(text: str) -> None:
    assert _date({"year": text}) == PaperDate()


def test_month_range_takes_the_first() -> None:
    assert _date({"year": "2023", "month": "jan–feb"}) == PaperDate(2023, 1)


def test_month_with_day() -> None:
    assert _date({"year": "2023", "month": "Oct 30"}) == PaperDate(2023, 10, 30)


def test_biblatex_date_year() -> None:
    assert _date({"date": "2023"}) == PaperDate(2023)


def test_biblatex_date_year_month() -> None:
    assert _date({"date": "2023-10"}) == PaperDate(2023, 10)


def test_biblatex_date_full() -> None:
    assert _date({"date": "2023-10-30"}) == PaperDate(2023, 10, 30)


def test_biblatex_date_range_takes_the_start() -> None:
    assert _date({"date": "2023-10-30/2023-11-02"}) == PaperDate(2023, 10, 30)


def test_biblatex_date_open_range() -> None:
    assert _date({"date": "2023-10/"}) == PaperDate(2023, 10)


def test_biblatex_date_with_time() -> None:
    assert _date({"date": "2023-10-30T12:00:00Z"}) == PaperDate(2023, 10, 30)


def test_biblatex_date_uncertain_marker() -> None:
    assert _date({"date": "2023?"}) == PaperDate(2023)


def test_date_wins_over_year() -> None:
    assert _date({"date": "2022-05", "year": "2023", "month": "jan"}) == PaperDate(2022, 5)


def test_arxiv_new_style() -> None:
    assert _date({}, "2310.19341") == PaperDate(2023, 10)


def test_arxiv_new_style_with_version_and_prefix() -> None:
    assert _date({}, "arXiv:1905.01234v3") == PaperDate(2019, 5)


def test_arxiv_old_style() -> None:
    assert _date({}, "hep-th/9901001") == PaperDate(1999, 1)
    assert _date({}, "math.AG/0601001") == PaperDate(2006, 1)


def test_year_wins_over_arxiv() -> None:
    assert _date({"year": "2024"}, "2310.19341") == PaperDate(2024)


def test_arxiv_month_fills_a_missing_month_of_the_same_year() -> None:
    assert _date({"year": "2023"}, "2310.19341") == PaperDate(2023, 10)


def test_nothing_known() -> None:
    assert _date({}) == PaperDate()
    assert _date({}, "not-an-id") == PaperDate()


def test_bad_month_keeps_year() -> None:
    date, problems = parse_date({"year": "2023", "month": "Octember"})
    assert date == PaperDate(2023)
    assert problems == ["month 'Octember' is not a month name or number"]


def test_bad_year() -> None:
    date, problems = parse_date({"year": "soon"})
    assert date == PaperDate()
    assert problems == ["year 'soon' is not a four-digit year"]


def test_bad_year_falls_back_to_arxiv() -> None:
    date, problems = parse_date({"year": "soon"}, "2310.19341")
    assert date == PaperDate(2023, 10)
    assert len(problems) == 1


def test_bad_date_falls_back_to_year() -> None:
    date, problems = parse_date({"date": "last autumn", "year": "2021"})
    assert date == PaperDate(2021)
    assert problems == ["date 'last autumn' is not a date like 2023, 2023-10 or 2023-10-30"]


def test_impossible_month_in_date() -> None:
    date, problems = parse_date({"date": "2023-13-01"})
    assert date == PaperDate(2023)
    assert problems == ["month 13 in '2023-13-01' is not between 1 and 12"]


def test_impossible_day() -> None:
    date, problems = parse_date({"year": "2023", "month": "feb", "day": "30"})
    assert date == PaperDate(2023, 2)
    assert problems == ["day 30 in '2023-2-30' does not exist in that month"]


def test_bad_day() -> None:
    date, problems = parse_date({"year": "2023", "month": "feb", "day": "first"})
    assert date == PaperDate(2023, 2)
    assert problems == ["day 'first' is not a number"]


def test_day_without_month_is_ignored() -> None:
    assert _date({"year": "2023", "day": "5"}) == PaperDate(2023)


@settings(max_examples=300)
@given(
    st.dictionaries(st.sampled_from(["date", "year", "month", "day"]), st.text(max_size=20)),
    st.text(max_size=20),
)
def test_parse_date_never_fails(fields: dict[str, str], arxiv_id: str) -> None:
    date, problems = parse_date(fields, arxiv_id)
    assert isinstance(date, PaperDate)
    assert all(isinstance(p, str) for p in problems)
    if date.month is not None:
        assert 1 <= date.month <= 12
