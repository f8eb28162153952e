"""Reads of measures: their figures now, and as they were known at a moment (a meeting day).

Each read is a fixed number of queries whatever the number of measures or values: the
values come in one query (or one history query for an as-at read) and are grouped here.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import OuterRef, Prefetch, Subquery
from django.utils import timezone

from sendplan.roles import within_areas

from .choices import COMPARATOR_SERIES, Direction, Series
from .judgement import Judgement, Point, judge
from .models import Measure, MeasureValue, format_value

SINCE_EARLIER = {
    Direction.BETTER: "Better than",
    Direction.WORSE: "Worse than",
    Direction.SAME: "No change from",
}
MOVED = {
    Direction.BETTER: "Better than",
    Direction.WORSE: "Worse than",
    Direction.SAME: "No change since",
}


@dataclass
class Line:
    """One series of a measure over time: the area's values, its targets or a comparator."""

    series: str
    comparator: str
    points: list[Point]

    @property
    def label(self) -> str:
        if self.series == Series.REGION:
            return f"{self.comparator} (region)"
        if self.series == Series.NEIGHBOUR:
            return f"{self.comparator} (statistical neighbour)"
        return Series(self.series).label

    @property
    def key(self) -> str:
        return f"{self.series}:{self.comparator}"


@dataclass
class TableRow:
    period_end: datetime.date
    period_label: str
    cells: list[str]
    provisional: bool


@dataclass
class MeasureFigures:
    measure: Measure
    actual: Line
    targets: Line
    comparators: list[Line]
    judgement: Judgement
    # When the earlier value compared with was known, in words.
    compared_with: str = "at the previous meeting"

    @property
    def lines(self) -> list[Line]:
        return [line for line in (self.actual, self.targets, *self.comparators) if line.points]

    def show(self, value) -> str:
        return format_value(value, self.measure.unit)

    @property
    def baseline_words(self) -> str:
        measure = self.measure
        if measure.baseline_period_end is None:
            return "Not set"
        label = measure.baseline_period_label or f"{measure.baseline_period_end:%d/%m/%Y}"
        return f"{self.show(measure.baseline_value)} ({label})"

    @property
    def latest_words(self) -> str:
        j = self.judgement
        if j.latest is None:
            return "No value yet."
        provisional = " (provisional)" if j.latest.is_provisional else ""
        text = f"{self.show(j.latest.value)} in {j.latest.period_label}{provisional}"
        if j.target is None:
            return f"{text}."
        return (
            f"{text}, against a target of {self.show(j.target.value)} by {j.target.period_label}."
        )

    @property
    def since_previous_words(self) -> str:
        j = self.judgement
        if j.previous is None:
            return "No earlier value to compare with."
        text = (
            f"{MOVED[j.since_previous]} {j.previous.period_label} ({self.show(j.previous.value)})."
        )
        if j.periods_missing:
            text += " No value for the period or periods between."
        return text

    @property
    def since_earlier_words(self) -> str:
        j = self.judgement
        if j.earlier is None:
            return f"No value was known {self.compared_with}."
        return (
            f"{SINCE_EARLIER[j.since_earlier]} the value known {self.compared_with} "
            f"({j.earlier.period_label}: {self.show(j.earlier.value)})."
        )

    @property
    def latest_comparators(self) -> list[tuple[str, str]]:
        """Each comparator's latest value up to the latest value's period, with its period
        named when it differs (an annual England figure beside a quarterly measure)."""
        latest = self.judgement.latest
        if latest is None:
            return []
        found = []
        for line in self.comparators:
            known = [p for p in line.points if p.period_end <= latest.period_end]
            if known:
                point = known[-1]
                shown = self.show(point.value)
                if point.period_end != latest.period_end:
                    shown = f"{shown} ({point.period_label})"
                found.append((line.label, shown))
        return found

    @property
    def table(self) -> list[TableRow]:
        """The chart's figures: a row per period, a column per line, oldest first."""
        lines = self.lines
        by_period: dict[datetime.date, dict] = defaultdict(dict)
        labels: dict[datetime.date, str] = {}
        provisional: set[datetime.date] = set()
        for line in lines:
            for point in line.points:
                by_period[point.period_end][line.key] = point.value
                if line.series == Series.ACTUAL or point.period_end not in labels:
                    labels[point.period_end] = point.period_label
                if line.series == Series.ACTUAL and point.is_provisional:
                    provisional.add(point.period_end)
        return [
            TableRow(
                period_end=day,
                period_label=labels[day],
                cells=[self.show(by_period[day].get(line.key)) for line in lines],
                provisional=day in provisional,
            )
            for day in sorted(by_period)
        ]


def _point(value) -> Point:
    return Point(value.period_end, value.period_label, value.value, value.is_provisional)


def figures_for(measure: Measure, values, earlier: Point | None = None) -> MeasureFigures:
    """Group one measure's values (any order) into its lines and judge them."""
    grouped: dict[tuple[str, str], list[Point]] = defaultdict(list)
    for value in sorted(values, key=lambda v: v.period_end):
        grouped[(value.series, value.comparator)].append(_point(value))
    actual = Line(Series.ACTUAL, "", grouped.pop((Series.ACTUAL, ""), []))
    targets = Line(Series.TARGET, "", grouped.pop((Series.TARGET, ""), []))
    order = {series: position for position, series in enumerate(COMPARATOR_SERIES)}
    comparators = [
        Line(series, comparator, points)
        for (series, comparator), points in sorted(
            grouped.items(), key=lambda item: (order.get(item[0][0], 9), item[0][1])
        )
    ]
    judgement = judge(
        better=measure.better,
        frequency=measure.frequency,
        actual=actual.points,
        targets=targets.points,
        earlier=earlier,
    )
    return MeasureFigures(measure, actual, targets, comparators, judgement)


def _measures(**filters):
    return (
        Measure.objects.filter(**filters)
        .select_related("owner", "strategy__area")
        .prefetch_related(Prefetch("values", queryset=MeasureValue.objects.order_by()))
    )


def strategy_measures(strategy_id: int) -> list[MeasureFigures]:
    """Every measure of a plan with its current figures and judgement: three queries."""
    measures = _measures(strategy_id=strategy_id).prefetch_related("priority_links")
    return [figures_for(measure, measure.values.all()) for measure in measures]


def measure_for_page(pk: int, user, since: datetime.date | None = None) -> MeasureFigures | None:
    """A measure of the user's areas with its figures now; with ``since``, also compared
    with its latest value known at the end of that day (the board pack links here with its
    previous meeting's date)."""
    measure = (
        within_areas(user, _measures(pk=pk))
        .prefetch_related("priorities", "actions__priority", "owner__holders")
        .first()
    )
    if measure is None:
        return None
    earlier = None
    if since is not None:
        next_day = since + datetime.timedelta(days=1)
        cutoff = datetime.datetime.combine(
            next_day, datetime.time.min, tzinfo=timezone.get_default_timezone()
        )
        earlier = _latest_actuals(values_as_at(measure_id=pk, cutoff=cutoff)).get(pk)
    figures = figures_for(measure, measure.values.all(), earlier=earlier)
    if since is not None:
        figures.compared_with = f"on {since.day} {since:%B %Y}"
    return figures


def action_measures(action_id: int) -> list[MeasureFigures]:
    """The measures an action evidences, with their figures: two queries."""
    measures = _measures(action_links__action_id=action_id)
    return [figures_for(measure, measure.values.all()) for measure in measures]


def values_as_at(
    *, cutoff: datetime.datetime, strategy_id: int | None = None, measure_id: int | None = None
) -> list:
    """Each value of a plan's (or one measure's) measures as its latest history row before
    the cutoff showed it.

    A value entered or corrected after the cutoff shows as it was then (or not at all).
    One query: the latest row of each value is a correlated subquery.
    """
    history = MeasureValue.history.model
    latest = history.objects.filter(id=OuterRef("id"), history_date__lt=cutoff).order_by(
        "-history_date", "-history_id"
    )
    scope = {"measure_id": measure_id} if measure_id else {"measure__strategy_id": strategy_id}
    return list(
        history.objects.filter(
            **scope,
            history_date__lt=cutoff,
            history_id=Subquery(latest.values("history_id")[:1]),
        ).exclude(history_type="-")
    )


def _latest_actuals(values) -> dict[int, Point]:
    """Each measure's latest actual value among these."""
    latest: dict[int, Point] = {}
    for value in sorted(values, key=lambda v: v.period_end):
        if value.series == Series.ACTUAL:
            latest[value.measure_id] = _point(value)
    return latest


def measures_as_at(
    *, strategy_id: int, cutoff: datetime.datetime, previous_cutoff: datetime.datetime | None
) -> list[MeasureFigures]:
    """A plan's measures as known at the cutoff, each compared with its latest actual value
    known at the previous cutoff (the board's previous meeting). Three queries."""
    existed = Measure.history.filter(history_date__lt=cutoff).values("id")
    measures = Measure.objects.filter(strategy_id=strategy_id, pk__in=Subquery(existed))
    now_known = defaultdict(list)
    for value in values_as_at(strategy_id=strategy_id, cutoff=cutoff):
        now_known[value.measure_id].append(value)
    then_latest: dict[int, Point] = {}
    if previous_cutoff is not None:
        then_latest = _latest_actuals(values_as_at(strategy_id=strategy_id, cutoff=previous_cutoff))
    return [
        figures_for(measure, now_known[measure.pk], earlier=then_latest.get(measure.pk))
        for measure in measures.select_related("owner")
    ]


@dataclass
class Correction:
    period_label: str
    series: str
    was: str
    became: str
    who: str
    when: datetime.datetime
    why: str


def value_corrections(measure: Measure) -> list[Correction]:
    """Every change of a figure already entered, newest first, from the history: one query."""
    rows = (
        MeasureValue.history.filter(measure_id=measure.pk)
        .select_related("history_user")
        .order_by("id", "history_date", "history_id")
    )
    corrections, before = [], {}
    for row in rows:
        old = before.get(row.id)
        if old is not None and row.history_type == "~" and old.value != row.value:
            user = row.history_user
            corrections.append(
                Correction(
                    period_label=row.period_label,
                    series=Series(row.series).label,
                    was=format_value(old.value, measure.unit),
                    became=format_value(row.value, measure.unit),
                    who=(user.get_full_name() or user.get_username()) if user else "System",
                    when=row.history_date,
                    why=row.history_change_reason or "",
                )
            )
        before[row.id] = row
    return sorted(corrections, key=lambda c: c.when, reverse=True)
