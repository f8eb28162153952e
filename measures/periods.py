"""Periods as people write them ("2023", "Q2 2024-25", "Spring term 2025") and the day each ends.

Years are calendar years (as the DfE's SEN2 return counts EHC plans); "2022-23" or
"2022/23" is an academic year, ending 31 August; quarters are of the financial year
(Q1 April to June); terms end with December (autumn), March (spring) and July (summer).
"""

import calendar
import datetime
import re

MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): number for number, name in enumerate(calendar.month_abbr) if name})
TERM_END_MONTH = {"autumn": 12, "spring": 3, "summer": 7}
QUARTER_END_MONTH = {1: 6, 2: 9, 3: 12, 4: 3}

_YEAR = re.compile(r"^(\d{4})$")
_SPAN = re.compile(r"^(\d{4})\s*[-/]\s*(\d{2}|\d{4})$")
_QUARTER = re.compile(r"^q([1-4])\s+(\d{4})\s*[-/]\s*(\d{2}|\d{4})$")
_TERM = re.compile(r"^(autumn|spring|summer)(?:\s+term)?\s+(\d{4})$")
_MONTH = re.compile(r"^([a-z]+)\s+(\d{4})$")


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
    if match := _TERM.match(text):
        return _month_end(int(match[2]), TERM_END_MONTH[match[1]])
    if (match := _MONTH.match(text)) and match[1] in MONTHS:
        return _month_end(int(match[2]), MONTHS[match[1]])
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
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
