"""Demo measures of the Joint SEND Strategy 2022-25: illustrative figures, never statistics.

A handful of measures a SEND board tracks, each with a baseline, a target trajectory,
values spread over the demo's board meetings (12 and 4 weeks before the first load) and an
England series. Every page of these measures says that the figures are illustrative.

The history is dated with sendplan.audit.history_stamped. Idempotent: the measures are
written once, when the plan has none.
"""

import datetime
from contextlib import contextmanager
from decimal import Decimal

from django.db.models.signals import pre_save
from django.utils import timezone

from actions.models import Action, Owner
from priorities.models import LocalArea, Priority, Strategy
from sendplan.audit import history_stamped

from . import services
from .choices import Better, Frequency, Series, Unit
from .models import AreaComparators, Measure, MeasureValue

REASON = "Demo data (illustrative figures)"
ILLUSTRATIVE = " The figures in this demonstration are illustrative, not official statistics."

QUARTER_NAMES = {6: 1, 9: 2, 12: 3, 3: 4}
TERM_NAMES = {12: "Autumn", 3: "Spring", 7: "Summer"}


def _quarter_label(end: datetime.date) -> str:
    number = QUARTER_NAMES[end.month]
    first = end.year - 1 if number == 4 else end.year
    return f"Q{number} {first}-{(first + 1) % 100:02d}"


def _month_ends(today: datetime.date, months: set[int], count: int, lag_days: int):
    """The last ``count`` ends of the given months whose values were in by ``today``."""
    ends = []
    year, month = today.year, today.month
    while len(ends) < count:
        if month in months:
            end = (datetime.date(year + (month == 12), month % 12 + 1, 1)) - datetime.timedelta(
                days=1
            )
            if end + datetime.timedelta(days=lag_days) <= today:
                ends.append(end)
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return list(reversed(ends))


# name, definition, source, unit, better, frequency, owner, priority numbers, action refs,
# the actual values oldest first, the target trajectory (from the baseline on), England.
MEASURES = [
    (
        "EHC plans issued within 20 weeks, excluding exceptions",
        "Of the EHC plans issued in the period, the percentage issued within 20 weeks of the "
        "request for assessment, excluding the exceptions the SEND Code of Practice allows.",
        "Local case system (as returned in the DfE SEN2 return)",
        Unit.PERCENT,
        Better.HIGHER,
        Frequency.QUARTERLY,
        "Head of 0-25 Integrated Service",
        [3],
        ["3.2"],
        [38, 42, 47, 45, 52, 58],
        [40, 45, 50, 55, 60, 65, 70, 75],
        [49, 50],
    ),
    (
        "Annual reviews of EHC plans completed on time",
        "Of the annual reviews due in the period, the percentage whose outcome was issued "
        "within four weeks of the review meeting.",
        "Local case system",
        Unit.PERCENT,
        Better.HIGHER,
        Frequency.QUARTERLY,
        "Head of 0-25 Integrated Service",
        [3, 4],
        ["4.1"],
        [61, 60, 64, 66, 63, 69],
        [60, 65, 70, 75, 80, 85, 85, 90],
        [],
    ),
    (
        "SEND tribunal appeals per 10,000 EHC plans",
        "Appeals registered with the First-tier Tribunal (SEND) in the calendar year, per "
        "10,000 EHC plans maintained in January.",
        "Ministry of Justice tribunal statistics and DfE SEN2",
        Unit.RATE_10K,
        Better.LOWER,
        Frequency.ANNUAL,
        None,
        [5],
        [],
        [180, 165, 170],
        [180, 160, 140, 120],
        [190, 210, 230],
    ),
    (
        "Parent carers confident in the SEND system",
        "Percentage of parent carers answering the forum's termly survey who agree they are "
        "confident their child's needs will be met.",
        "Parent carer forum survey (Medway Parents and Carers Forum)",
        Unit.PERCENT,
        Better.HIGHER,
        Frequency.TERMLY,
        "Medway Parents and Carers Forum",
        [5],
        ["5.2"],
        [31, 34, 33, 39],
        [30, 35, 40, 45, 50],
        [],
    ),
]


@contextmanager
def _as_if_at(when: datetime.datetime):
    """Date the history rows, and the values' own entered_at, written in the block."""

    def backdate(sender, instance, **kwargs):
        instance.entered_at = when

    pre_save.connect(backdate, sender=MeasureValue)
    try:
        with history_stamped(date=when):
            yield
    finally:
        pre_save.disconnect(backdate, sender=MeasureValue)


def load_measures_demo(*, strategy_title: str, plan_admin, officer) -> None:
    """Write the demo measures of the Medway plan named, dated relative to today."""
    medway = LocalArea.objects.get(name="Medway")
    if not AreaComparators.objects.filter(area=medway).exists():
        # An example list for the demo's comparators; a real area keeps the DfE's.
        comparators = AreaComparators(
            area=medway,
            la_code="E06000035",  # as the DfE's published statistics code Medway
            region="South East",
            statistical_neighbours="Thurrock\nSwindon",
        )
        services.comparators_save(comparators=comparators, user=plan_admin, reason=REASON)
    strategy = Strategy.objects.get(area=medway, title=strategy_title)
    if Measure.objects.filter(strategy=strategy).exists():
        return
    today = timezone.localdate()

    def at(day: datetime.date) -> datetime.datetime:
        return datetime.datetime.combine(
            day, datetime.time(10), tzinfo=timezone.get_default_timezone()
        )

    for order, spec in enumerate(MEASURES):
        _measure(spec, order, strategy, plan_admin, officer, today, at)
    # A correction after the last meeting: today's page shows it, that meeting's pack does not.
    latest = (
        MeasureValue.objects.filter(measure__strategy=strategy, series=Series.ACTUAL)
        .order_by("measure__order", "-period_end")
        .first()
    )
    with _as_if_at(at(today - datetime.timedelta(days=7))):
        services.value_record(
            measure=latest.measure,
            period_end=latest.period_end,
            period_label=latest.period_label,
            value=latest.value + 1,
            user=officer,
            note="Corrected: late returns from two schools added.",
        )


def _periods(frequency: str, today: datetime.date, count: int):
    """(end, label, day the value was entered) for the last ``count`` periods."""
    if frequency == Frequency.QUARTERLY:
        ends = _month_ends(today, {3, 6, 9, 12}, count, lag_days=21)
        return [(e, _quarter_label(e), e + datetime.timedelta(days=21)) for e in ends]
    if frequency == Frequency.TERMLY:
        ends = _month_ends(today, {3, 7, 12}, count, lag_days=14)
        return [
            (e, f"{TERM_NAMES[e.month]} term {e.year}", e + datetime.timedelta(days=14))
            for e in ends
        ]
    ends = _month_ends(today, {12}, count, lag_days=80)
    return [(e, str(e.year), e + datetime.timedelta(days=80)) for e in ends]


def _future(frequency: str, after: datetime.date, count: int):
    months = {Frequency.QUARTERLY: {3, 6, 9, 12}, Frequency.TERMLY: {3, 7, 12}}.get(frequency, {12})
    far = after + datetime.timedelta(days=400 * count)
    ends = [e for e in _month_ends(far, months, 5 * count, lag_days=0) if e > after]
    return ends[:count]


def _label(frequency: str, end: datetime.date) -> str:
    if frequency == Frequency.QUARTERLY:
        return _quarter_label(end)
    if frequency == Frequency.TERMLY:
        return f"{TERM_NAMES[end.month]} term {end.year}"
    return str(end.year)


def _measure(spec, order, strategy, plan_admin, officer, today, at) -> None:
    (name, definition, source, unit, better, frequency, owner_name, priority_numbers) = spec[:8]
    action_refs, actuals, trajectory, england = spec[8:]
    periods = _periods(frequency, today, len(actuals) + 1)
    baseline_end, baseline_label, _ = periods[0]
    periods = periods[1:]
    owner = Owner.objects.filter(area=strategy.area, name=owner_name).first()
    written = at(today - datetime.timedelta(days=150))
    with _as_if_at(written):
        measure = Measure(
            strategy=strategy,
            name=name,
            definition=definition + ILLUSTRATIVE,
            source=source,
            unit=unit,
            better=better,
            frequency=frequency,
            owner=owner,
            baseline_value=Decimal(trajectory[0]) - 2 * (1 if better == Better.HIGHER else -1),
            baseline_period_end=baseline_end,
            baseline_period_label=baseline_label,
            is_illustrative=True,
            order=order,
        )
        services.measure_save(measure=measure, user=plan_admin, reason=REASON)
        services.measure_set_links(
            measure=measure,
            priorities=list(
                Priority.objects.filter(strategy=strategy, number__in=priority_numbers)
            ),
            actions=list(
                Action.objects.filter(priority__strategy=strategy, reference__in=action_refs)
            ),
            user=plan_admin,
            reason=REASON,
        )
        target_ends = [end for end, _, _ in periods]
        target_ends += _future(frequency, target_ends[-1], len(trajectory) - len(target_ends))
        for end, value in zip(target_ends, trajectory, strict=False):
            _value(measure, end, _label(frequency, end), value, plan_admin, Series.TARGET)
    enterer = officer if owner and owner.holders.filter(pk=officer.pk).exists() else plan_admin
    set_up = written.date()
    # Figures from before the measure was set up were entered with it; later ones as they came.
    for (end, label, entered), value in zip(periods, actuals, strict=True):
        with _as_if_at(at(max(entered, set_up))):
            _value(measure, end, label, value, enterer, Series.ACTUAL)
    years = _periods(Frequency.ANNUAL, today, len(england))
    for (end, label, entered), value in zip(years, england, strict=True):
        with _as_if_at(at(max(entered, set_up))):
            _value(measure, end, label, value, plan_admin, Series.ENGLAND)


def _value(measure, end, label, value, user, series) -> None:
    services.value_record(
        measure=measure,
        period_end=end,
        period_label=label,
        value=Decimal(value),
        series=series,
        user=user,
        reason=REASON,
    )
