"""The judgement of a measure, derived from its values and never stored.

On track or off track against the target due by the latest value's period; the direction
of travel since the previous value and since an earlier moment (the board's previous
meeting), each judged by the measure's better direction and said in words.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from .choices import Better, Direction, Frequency

# Longer than this between two values of a measure, and a period's value is missing.
MAX_GAP_DAYS = {
    Frequency.MONTHLY: 35,
    Frequency.QUARTERLY: 95,
    Frequency.TERMLY: 160,  # the summer term to the autumn term is five months
    Frequency.ANNUAL: 370,
}
ARROWS = {Direction.BETTER: "▲", Direction.WORSE: "▼", Direction.SAME: "●"}


@dataclass(frozen=True)
class Point:
    period_end: datetime.date
    period_label: str
    value: Decimal
    is_provisional: bool = False


def direction(better: str, earlier: Decimal, later: Decimal) -> Direction:
    if later == earlier:
        return Direction.SAME
    return Direction.BETTER if (later > earlier) == (better == Better.HIGHER) else Direction.WORSE


def meets(better: str, value: Decimal, target: Decimal) -> bool:
    return value >= target if better == Better.HIGHER else value <= target


@dataclass
class Judgement:
    latest: Point | None
    target: Point | None
    on_track: bool | None
    previous: Point | None
    since_previous: Direction | None
    periods_missing: bool
    earlier: Point | None = None
    since_earlier: Direction | None = None

    @property
    def arrow(self) -> str:
        return ARROWS[self.since_previous] if self.since_previous else ""

    @property
    def earlier_arrow(self) -> str:
        return ARROWS[self.since_earlier] if self.since_earlier else ""

    @property
    def track_words(self) -> str:
        if self.latest is None:
            return "No value yet"
        if self.target is None:
            return f"No target due by {self.latest.period_label}"
        return "On track" if self.on_track else "Off track"


def judge(
    *,
    better: str,
    frequency: str,
    actual: list[Point],
    targets: list[Point],
    earlier: Point | None = None,
) -> Judgement:
    """Judge the latest of ``actual`` (in period order); ``earlier`` is the value to compare
    with beside the previous one, such as the latest known at the board's previous meeting."""
    if not actual:
        return Judgement(None, None, None, None, None, False)
    latest = actual[-1]
    due = [target for target in targets if target.period_end <= latest.period_end]
    target = due[-1] if due else None
    previous = actual[-2] if len(actual) > 1 else None
    gap = (latest.period_end - previous.period_end).days if previous else 0
    return Judgement(
        latest=latest,
        target=target,
        on_track=meets(better, latest.value, target.value) if target else None,
        previous=previous,
        since_previous=direction(better, previous.value, latest.value) if previous else None,
        periods_missing=gap > MAX_GAP_DAYS[frequency],
        earlier=earlier,
        since_earlier=direction(better, earlier.value, latest.value) if earlier else None,
    )
