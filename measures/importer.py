"""Importing a values file: match each row's measure, area and period, then record the values
through ``services.value_record``, in one transaction.

Any bad row and nothing is written; every bad row is named. Rows for areas that are not
the plan's, its region, its statistical neighbours or England are skipped and reported.
Re-importing the same file writes nothing: unchanged values write no history.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from priorities.models import Strategy
from sendplan.roles import can_manage_measures, require_in_areas

from . import services
from .choices import Series
from .models import AreaComparators, Measure, MeasureValue, format_value
from .periods import period_end
from .values_file import Cell, ValuesFileError, parse_number, read_values

SERIES_WORDS = {
    "": None,
    "actual": Series.ACTUAL,
    "value": Series.ACTUAL,
    "target": Series.TARGET,
    "trajectory": Series.TARGET,
    "england": Series.ENGLAND,
    "national": Series.ENGLAND,
    "region": Series.REGION,
    "regional": Series.REGION,
    "neighbour": Series.NEIGHBOUR,
    "statistical neighbour": Series.NEIGHBOUR,
    "neighbor": Series.NEIGHBOUR,
}
# Words that name the kind of body rather than the place: "Medway Council" is Medway.
_SUFFIX = re.compile(
    r"\b(metropolitan borough|royal borough|borough|county|city|district)?\s*"
    r"(council|unitary authority|\(ua\)|ua)$"
)


def area_key(name: str) -> str:
    """The key two spellings of one area share: "MEDWAY", "Medway Council", "Medway (UA)"."""
    text = " ".join(name.replace("&", " and ").replace("\u00a0", " ").split()).casefold()
    text = re.sub(r"[^\w\s()-]", "", text).removeprefix("the ")
    text = _SUFFIX.sub("", text).strip()
    return " ".join(text.replace("-", " ").split())


@dataclass
class ValueChange:
    measure: str
    series: str
    period: str
    old: str
    new: str


@dataclass
class ValuesImportReport:
    file_name: str
    layout: str = ""
    created: list[ValueChange] = field(default_factory=list)
    updated: list[ValueChange] = field(default_factory=list)
    unchanged: int = 0
    unmatched: list[str] = field(default_factory=list)

    def summary_lines(self) -> list[str]:
        lines = [
            f"{len(self.created)} values added, {len(self.updated)} changed, "
            f"{self.unchanged} unchanged ({self.layout} layout)."
        ]
        if self.unmatched:
            count = len(self.unmatched)
            rows = "row" if count == 1 else "rows"
            lines.append(f"{count} {rows} not matched to an area, and skipped.")
        return lines


class ValuesImportError(Exception):
    def __init__(self, report: ValuesImportReport, errors: list[str]):
        self.report = report
        self.errors = errors
        super().__init__("; ".join(errors))


class _Areas:
    """Which series a row's area names, for one plan's local area."""

    def __init__(self, strategy: Strategy):
        area = strategy.area
        comparators = AreaComparators.objects.filter(area=area).first()
        self.home = area.name
        self.names: dict[str, tuple[str, str]] = {
            area_key(area.name): (Series.ACTUAL, ""),
            "england": (Series.ENGLAND, ""),
        }
        if comparators:
            if comparators.region:
                self.names[area_key(comparators.region)] = (Series.REGION, comparators.region)
            for neighbour in comparators.neighbour_list:
                self.names[area_key(neighbour)] = (Series.NEIGHBOUR, neighbour)

    def match(self, name: str) -> tuple[str, str] | None:
        return self.names.get(area_key(name))


def values_import(
    *,
    strategy: Strategy,
    file_name: str,
    data: bytes,
    user,
    measure: Measure | None = None,
    dry_run: bool = False,
) -> ValuesImportReport:
    """Import a values file into a plan's measures; ``measure`` names the wide layout's measure.

    Raises ValuesImportError (with the report so far and every error) and writes nothing
    when the file cannot be read or any row is bad.
    """
    if user is not None and not can_manage_measures(user):
        raise PermissionDenied("Only plan admins import measure values.")
    require_in_areas(user, strategy, perm="measures.change_measure")
    report = ValuesImportReport(file_name=file_name)
    if len(data) > settings.SENDPLAN_MAX_IMPORT_BYTES:
        raise ValuesImportError(report, ["The file is larger than an import may be."])
    try:
        values_file = read_values(file_name, data)
    except ValuesFileError as error:
        raise ValuesImportError(report, [str(error)]) from error
    report.layout = values_file.layout
    if values_file.layout == "wide" and measure is None:
        raise ValuesImportError(
            report, ["This file has a column per period: choose the measure its values are for."]
        )
    measures = {
        " ".join(m.name.split()).casefold(): m for m in Measure.objects.filter(strategy=strategy)
    }
    areas = _Areas(strategy)
    errors: list[str] = []
    rows = []
    seen: dict[tuple, int] = {}
    for cell in values_file.cells:
        row, problem = _row(cell, measure, measures, areas, report)
        if problem:
            errors.append(f"Row {cell.row}: {problem}")
            continue
        if row is None:
            continue
        key = (row["measure"].pk, row["series"], row["comparator"], row["period_end"])
        if key in seen:
            errors.append(
                f"Row {cell.row}: a second value for {cell.area}, {cell.period} "
                f"(the first is in row {seen[key]})."
            )
            continue
        seen[key] = cell.row
        rows.append(row)
    if errors:
        raise ValuesImportError(report, errors)
    with transaction.atomic():
        _write(rows, report, user)
        if dry_run:
            transaction.set_rollback(True)
    return report


def _row(cell: Cell, measure, measures, areas: _Areas, report) -> tuple[dict | None, str]:
    """The row as values for value_record, or the problem with it; (None, "") to skip it."""
    if measure is None:
        if not cell.measure:
            return None, "no measure named."
        measure = measures.get(" ".join(cell.measure.split()).casefold())
        if measure is None:
            return None, f"no measure “{cell.measure}” in this plan."
    if not cell.area:
        return None, "no area named."
    matched = areas.match(cell.area)
    if matched is None:
        unmatched = f"Row {cell.row}: {cell.area}"
        if unmatched not in report.unmatched[-1:]:  # a wide row has a cell per period
            report.unmatched.append(unmatched)
        return None, ""
    series, comparator = matched
    stated = SERIES_WORDS.get(cell.series.casefold(), "?")
    if stated == "?":
        return (
            None,
            f"the series “{cell.series}” is not one of actual, target, England, region, neighbour.",
        )
    if stated == Series.TARGET and series == Series.ACTUAL:
        series = Series.TARGET
    elif stated is not None and stated != series:
        return None, (
            f"the series is {Series(stated).label} but the area {cell.area} is "
            f"{'this plan' if series == Series.ACTUAL else Series(series).label}."
        )
    if not cell.period:
        return None, "no period given."
    day = period_end(cell.period_end) if cell.period_end else period_end(cell.period)
    if day is None:
        return (
            None,
            f"the period “{cell.period_end or cell.period}” gives no end date "
            "(write it like 2023, Q2 2024-25 or 31/03/2025).",
        )
    number = parse_number(cell.value)
    if number is None:
        return (
            None,
            f"the value “{cell.value}” is not a number." if cell.value else "no value given.",
        )
    return {
        "measure": measure,
        "series": series,
        "comparator": comparator,
        "period_end": day,
        "period_label": cell.period,
        "value": number,
        "is_provisional": cell.provisional.casefold() in {"yes", "y", "true", "provisional", "p"},
        "note": cell.note,
    }, ""


def _write(rows: list[dict], report: ValuesImportReport, user) -> None:
    existing = {
        (v.measure_id, v.series, v.comparator, v.period_end): v.value
        for v in MeasureValue.objects.filter(measure__in={row["measure"] for row in rows})
    }
    for row in rows:
        measure = row["measure"]
        old = existing.get((measure.pk, row["series"], row["comparator"], row["period_end"]))
        try:
            _, written = services.value_record(
                **row, user=user, reason=f"Imported from {report.file_name}", check_permission=False
            )
        except ValidationError as error:  # a value too long for its column, and the like
            raise ValuesImportError(
                report, [f"{measure.name}, {row['period_label']}: {'; '.join(error.messages)}"]
            ) from error
        if not written:
            report.unchanged += 1
            continue
        series = Series(row["series"]).label + (
            f" ({row['comparator']})" if row["comparator"] else ""
        )
        change = ValueChange(
            measure.name,
            series,
            row["period_label"],
            format_value(old, measure.unit) if old is not None else "",
            format_value(Decimal(row["value"]), measure.unit),
        )
        (report.created if old is None else report.updated).append(change)
