"""Read a due date out of a deadline as people write it in an action plan.

"February 2020" is due at the end of February 2020; "ongoing" and cadences such as
"Bi monthly /ongoing" have no due date but are ongoing; "September 2020 an ongoing" has
both. The words themselves are always kept by the caller: this only derives from them.
"""

import calendar
import datetime
import functools
import re
from dataclasses import dataclass

MONTHS = {
    name.casefold(): number
    for number in range(1, 13)
    for name in (calendar.month_name[number], calendar.month_abbr[number])
}
MONTHS["sept"] = 9

ONGOING_WORDS = re.compile(
    r"\b(ongoing|on-going|on going|continuous|rolling|termly|monthly|bi[\s-]?monthly|"
    r"quarterly|annually|annual|yearly|weekly|fortnightly|regular)\b",
    re.IGNORECASE,
)
MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
DAY_MONTH_YEAR = re.compile(
    rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({MONTH_NAMES})\.?,?\s+(\d{{4}})\b", re.IGNORECASE
)
MONTH_YEAR = re.compile(rf"\b({MONTH_NAMES})\.?,?[\s-]*'?(\d{{4}}|\d{{2}})\b", re.IGNORECASE)
NUMERIC_DATE = re.compile(r"\b(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})\b")
ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
QUARTER = re.compile(r"\bQ([1-4])\s*(\d{4})\b", re.IGNORECASE)


@dataclass(frozen=True)
class Deadline:
    due_date: datetime.date | None
    is_ongoing: bool


def _year(text: str) -> int:
    year = int(text)
    return year + 2000 if year < 100 else year


def _end_of_month(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def _safe_date(year: int, month: int, day: int) -> datetime.date | None:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


# A plan repeats a few deadlines ("ongoing", "September 2020") over thousands of actions.
@functools.lru_cache(maxsize=1024)
def parse_deadline(text: str) -> Deadline:
    """The due date the words give (the end of a named month), and whether they say ongoing."""
    text = " ".join((text or "").replace("\u00a0", " ").split())
    is_ongoing = bool(ONGOING_WORDS.search(text))
    return Deadline(due_date=_first_date(text), is_ongoing=is_ongoing)


def _first_date(text: str) -> datetime.date | None:
    if match := ISO_DATE.search(text):
        return _safe_date(int(match[1]), int(match[2]), int(match[3]))
    if match := NUMERIC_DATE.search(text):
        # UK order: day/month/year.
        return _safe_date(_year(match[3]), int(match[2]), int(match[1]))
    if match := DAY_MONTH_YEAR.search(text):
        return _safe_date(int(match[3]), MONTHS[match[2].casefold()], int(match[1]))
    if match := MONTH_YEAR.search(text):
        return _end_of_month(_year(match[2]), MONTHS[match[1].casefold()])
    if match := QUARTER.search(text):
        return _end_of_month(int(match[2]), int(match[1]) * 3)
    return None
