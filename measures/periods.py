"""Periods as people write them ("2023", "Q2 2024-25", "Spring term 2025") and the day each ends.

Years are calendar years (as the DfE's SEN2 return counts EHC plans); "2022-23" or
"2022/23" is an academic year, ending 31 August; "Financial year 2022-23" ends 31 March;
quarters of a span ("Q1 2024-25") are of the financial year (Q1 April to June), of a year
("Q1 2024") of the calendar year; terms end with December (autumn), March (spring) and July
(summer). A date as typed (31/12/2026, 2026-12-31, 31 December 2026) is its own end.

The DfE's published statistics name a period by ``time_period`` (2022, or 202223 for a
span) and ``time_identifier`` ("Calendar year", "Academic year", "Financial year Q2",
"January", "Autumn term"); ``tidy_period`` turns the two into a label and its end.
"""

import calendar
import datetime
import re

MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
FULL_MONTHS = set(MONTHS)
MONTHS.update({name.lower(): number for number, name in enumerate(calendar.month_abbr) if name})
TERM_END_MONTH = {"autumn": 12, "spring": 3, "summer": 7}
QUARTER_END_MONTH = {1: 6, 2: 9, 3: 12, 4: 3}

_YEAR = re.compile(r"^(\d{4})$")
_SPAN = re.compile(r"^(\d{4})\s*[-/]\s*(\d{2}|\d{4})$")
_QUARTER = re.compile(r"^q([1-4])\s+(\d{4})\s*[-/]\s*(\d{2}|\d{4})$")
_TERM = re.compile(r"^(autumn|spring|summer)(?:\s+term)?\s+(\d{4})$")
_MONTH = re.compile(r"^([a-z]+)\s+(\d{4})$")
_NAMED_SPAN = re.compile(r"^(academic|financial|tax) year\s+(\d{4})\s*[-/]\s*(\d{2}|\d{4})$")
_CALENDAR_YEAR = re.compile(r"^calendar year\s+(\d{4})$")
_CALENDAR_QUARTER = re.compile(r"^q([1-4])\s+(\d{4})$")
_ACADEMIC_QUARTER = re.compile(r"^q([1-4]) academic year\s+(\d{4})\s*[-/]\s*(\d{2}|\d{4})$")
_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_DAY_MONTH_NAME_YEAR = re.compile(r"^(\d{1,2})\s+([a-z]+)\s+(\d{4})$")
# Where a span's year ends: the academic year in August, the financial year in March, the
# tax year on 5 April.
SPAN_END = {"academic": (8, 31), "financial": (3, 31), "tax": (4, 5)}
# The DfE's academic year quarters: August to October, November to January, and so on.
ACADEMIC_QUARTER_END_MONTH = {1: 10, 2: 1, 3: 4, 4: 7}


def _month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def _second_year(first: int, text: str) -> int | None:
    second = int(text) if len(text) == 4 else first // 100 * 100 + int(text)
    return second if second == first + 1 else None


def period_end(label: str) -> datetime.date | None:
    """The last day of the period a label names, or None when the words give none."""
    text = " ".join(str(label).split()).lower()
    if match := _YEAR.match(text):
        return datetime.date(int(match[1]), 12, 31)
    if match := _SPAN.match(text):
        first = int(match[1])
        if _second_year(first, match[2]) is None:
            return None
        return datetime.date(first + 1, 8, 31)
    if match := _QUARTER.match(text):
        first, quarter = int(match[2]), int(match[1])
        if _second_year(first, match[3]) is None:
            return None
        year = first + 1 if quarter == 4 else first
        return _month_end(year, QUARTER_END_MONTH[quarter])
    if match := _NAMED_SPAN.match(text):
        first = int(match[2])
        if _second_year(first, match[3]) is None:
            return None
        return datetime.date(first + 1, *SPAN_END[match[1]])
    if match := _CALENDAR_YEAR.match(text):
        return datetime.date(int(match[1]), 12, 31)
    if match := _CALENDAR_QUARTER.match(text):
        return _month_end(int(match[2]), int(match[1]) * 3)
    if match := _ACADEMIC_QUARTER.match(text):
        first, quarter = int(match[2]), int(match[1])
        if _second_year(first, match[3]) is None:
            return None
        month = ACADEMIC_QUARTER_END_MONTH[quarter]
        return _month_end(first if quarter == 1 else first + 1, month)
    if match := _DAY_MONTH_YEAR.match(text):
        return _date(int(match[3]), int(match[2]), int(match[1]))
    if (match := _DAY_MONTH_NAME_YEAR.match(text)) and match[2] in MONTHS:
        return _date(int(match[3]), MONTHS[match[2]], int(match[1]))
    if match := _TERM.match(text):
        return _month_end(int(match[2]), TERM_END_MONTH[match[1]])
    if (match := _MONTH.match(text)) and match[1] in MONTHS:
        return _month_end(int(match[2]), MONTHS[match[1]])
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        return None


def _date(year: int, month: int, day: int) -> datetime.date | None:
    try:
        return datetime.date(year, month, day)
    except ValueError:  # 31/02/2026
        return None


def period_label(value) -> str:
    """A column header or cell as a label: 2023 (a number) is "2023", not "2023.0"."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return " ".join(str(value).split())


def tidy_period(time_period, time_identifier: str) -> tuple[str, datetime.date] | None:
    """The label and end of a period as the DfE publishes it, or None when not one we read.

    ``tidy_period("202223", "Academic year")`` is ("2022-23", 31 August 2023).
    """
    text = period_label(time_period)
    kind = " ".join(str(time_identifier).split()).lower()
    if re.fullmatch(r"\d{4}", text):
        if kind == "calendar year":
            label = text
        elif kind in FULL_MONTHS:
            label = f"{kind.title()} {text}"
        elif match := re.fullmatch(r"calendar year q([1-4])", kind):
            label = f"Q{match[1]} {text}"
        else:
            return None
    elif match := re.fullmatch(r"(\d{4})(\d{2})", text):
        first, second = int(match[1]), match[2]
        if _second_year(first, second) is None:
            return None
        span = f"{first}-{second}"
        if kind == "academic year":
            label = span
        elif kind in ("financial year", "tax year"):
            label = f"{kind.capitalize()} {span}"
        elif quarter := re.fullmatch(r"(academic|financial) year q([1-4])", kind):
            label = f"Q{quarter[2]} {span}"
            if quarter[1] == "academic":
                label = f"Q{quarter[2]} academic year {span}"
        elif term := re.fullmatch(r"(autumn|spring|summer) term", kind):
            label = f"{term[1].title()} term {first if term[1] == 'autumn' else first + 1}"
        else:
            return None
    else:
        return None
    end = period_end(label)
    return (label, end) if end else None
