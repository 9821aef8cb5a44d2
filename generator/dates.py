"""Publication dates from BibTeX/biblatex fields, with arXiv ids as a last resort.

Problems are returned as messages rather than raised: a bad month should cost
the month, not the paper.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Mapping

from generator.model import PaperDate

_MONTHS = {
    name: number
    for number in range(1, 13)
    for name in (calendar.month_name[number].lower(), calendar.month_abbr[number].lower())
}
_MONTHS["sept"] = 9
_ISO_DATE = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:T[\d:.+\-Z]*)?")
_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")
_NO_YEAR_YET = re.compile(
    r"^(?:in\s+press|forthcoming|to\s+appear|submitted|accepted|in\s+preparation|preprint|n\.?\s*d\.?)$",
    re.IGNORECASE,
)
_NEW_ARXIV = re.compile(r"^(?:arxiv:)?(\d{2})(\d{2})\.\d{4,5}(?:v\d+)?$", re.IGNORECASE)
_OLD_ARXIV = re.compile(r"^(?:arxiv:)?[a-z\-]+(?:\.[A-Za-z\-]+)?/(\d{2})(\d{2})\d{3}(?:v\d+)?$", re.I)
_MONTH_DAY = re.compile(r"^([A-Za-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?$")


def month_number(text: str) -> int | None:
    """``jan``, ``January``, ``Oct.``, ``10`` (any case) -> 1..12; None when not a month."""
    word = text.strip().strip("{}").strip().rstrip(".").lower()
    if word.isdigit():
        number = int(word)
        return number if 1 <= number <= 12 else None
    return _MONTHS.get(word)


def parse_date(fields: Mapping[str, str], arxiv_id: str = "") -> tuple[PaperDate, list[str]]:
    """Decoded fields -> (date, problems). ``date`` wins over ``year``/``month``/``day``,
    which win over the date encoded in an arXiv id (whose month fills in a missing
    month when the years agree)."""
    problems: list[str] = []
    raw_date = fields.get("date", "").strip()
    if raw_date:
        date = _from_iso(raw_date, problems)
        if date is not None:
            return date, problems
    raw_year = fields.get("year", "").strip().strip("{}").strip()
    from_arxiv = _from_arxiv(arxiv_id)
    if raw_year:
        date = _from_year_fields(raw_year, fields, problems)
        if date is not None:
            # An arXiv export has a year but no month; the id knows the month.
            if date.month is None and date.year is not None and date.year == from_arxiv.year:
                return from_arxiv, problems
            return date, problems
    return from_arxiv, problems


def _from_iso(text: str, problems: list[str]) -> PaperDate | None:
    """biblatex ``date``: ``2023``, ``2023-10``, ``2023-10-30``, a range (start taken)."""
    start = text.split("/", 1)[0].strip().rstrip("?~%").strip()
    m = _ISO_DATE.fullmatch(start)
    if m is None:
        problems.append(f"date '{text}' is not a date like 2023, 2023-10 or 2023-10-30")
        return None
    year = int(m.group(1))
    month = int(m.group(2)) if m.group(2) else None
    day = int(m.group(3)) if m.group(3) else None
    return _checked(year, month, day, text, problems)


def _checked(year: int, month: int | None, day: int | None, shown: str, problems: list[str]) -> PaperDate:
    """Drop a month or day that does not exist, with a message."""
    if month is not None and not 1 <= month <= 12:
        problems.append(f"month {month} in '{shown}' is not between 1 and 12")
        return PaperDate(year)
    if month is not None and day is not None and not 1 <= day <= calendar.monthrange(year, month)[1]:
        problems.append(f"day {day} in '{shown}' does not exist in that month")
        return PaperDate(year, month)
    return PaperDate(year, month, day if month is not None else None)


def _from_year_fields(raw_year: str, fields: Mapping[str, str], problems: list[str]) -> PaperDate | None:
    if _NO_YEAR_YET.match(raw_year):
        return PaperDate()
    m = _YEAR.search(raw_year)
    if m is None:
        problems.append(f"year '{raw_year}' is not a four-digit year")
        return None
    year = int(m.group(1))
    month, day = _month_and_day(fields, problems)
    if month is None:
        return PaperDate(year)
    return _checked(year, month, day, f"{year}-{month}-{day}" if day else f"{year}-{month}", problems)


def _month_and_day(fields: Mapping[str, str], problems: list[str]) -> tuple[int | None, int | None]:
    raw_month = fields.get("month", "").strip()
    raw_day = fields.get("day", "").strip().strip("{}").strip()
    if not raw_month:
        return None, None
    month = month_number(re.split(r"[–—/]|-{1,3}", raw_month, maxsplit=1)[0])
    day_in_month: int | None = None
    if month is None and (m := _MONTH_DAY.match(raw_month)):
        month, day_in_month = month_number(m.group(1)), int(m.group(2))
    if month is None:
        problems.append(f"month '{raw_month}' is not a month name or number")
        return None, None
    if raw_day:
        if not raw_day.isdigit():
            problems.append(f"day '{raw_day}' is not a number")
            return month, None
        return month, int(raw_day)
    return month, day_in_month


def _from_arxiv(arxiv_id: str) -> PaperDate:
    """``2310.19341`` -> 2023-10; ``hep-th/9901001`` -> 1999-01; else unknown."""
    ident = arxiv_id.strip()
    m = _NEW_ARXIV.match(ident) or _OLD_ARXIV.match(ident)
    if m is None:
        return PaperDate()
    yy, month = int(m.group(1)), int(m.group(2))
    if not 1 <= month <= 12:
        return PaperDate()
    return PaperDate(1900 + yy if yy >= 91 else 2000 + yy, month)
