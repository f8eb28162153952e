"""Importing a values file: match each row's measure, area and period, then record the values
through ``services.value_record``, in one transaction.

Any bad row and nothing is written; every bad row is named. Rows for areas that are not
the plan's, its region, its statistical neighbours or England are skipped and reported.
A cell with a suppression mark ("c") gives no value and is reported with what the mark
means. A file that gives no value for the plan's area or its comparators is refused.
Re-importing the same file writes nothing: unchanged values write no history.

The DfE's tidy files (``values_file.TidyTable``) are read by ``geographic_level``: National
rows are England, Regional rows the area's region, Local authority rows the area itself
(by ``new_la_code``, then by name) and its statistical neighbours; one indicator column,
and of each filter column the rows chosen or else its total rows.
"""

import re
from collections import Counter
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
from .periods import period_end, tidy_period
from .values_file import (
    MARKS,
    Cell,
    TidyTable,
    ValuesFileError,
    mark_of,
    parse_number,
    read_values,
)

ENGLAND_CODE = "E92000001"

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
class TidyChoices:
    """What a tidy file offers to choose, and what this import read."""

    indicators: list[str]
    filters: dict[str, list[str]]
    column: str = ""
    chosen: dict[str, str] = field(default_factory=dict)  # filter column: value chosen
    totals: dict[str, str] = field(default_factory=dict)  # filter column: its total rows


@dataclass
class ValuesImportReport:
    file_name: str
    layout: str = ""
    created: list[ValueChange] = field(default_factory=list)
    updated: list[ValueChange] = field(default_factory=list)
    unchanged: int = 0
    # Rows neither used nor deliberately left out, each named.
    unmatched: list[str] = field(default_factory=list)
    # Cells of the plan's series that give no value: "Row 12: Medway, 2021: “c” (confidential)".
    suppressed: list[str] = field(default_factory=list)
    marks: Counter = field(default_factory=Counter)
    # Rows deliberately left out, counted by why: "for other local authorities": 740.
    left_out: Counter = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)
    tidy: TidyChoices | None = None

    def summary_lines(self) -> list[str]:
        lines = [
            f"{len(self.created)} values added, {len(self.updated)} changed, "
            f"{self.unchanged} unchanged ({self.layout} layout)."
        ]
        if self.tidy and self.tidy.column:
            rows = [
                f"{name} = {value}"
                for name, value in {**self.tidy.totals, **self.tidy.chosen}.items()
            ]
            lines.append(
                f"Read the column {self.tidy.column}"
                + (f", rows where {', '.join(rows)}." if rows else ".")
            )
        if self.marks:
            marks = ", ".join(
                f"{count} {mark_words(mark)}" for mark, count in sorted(self.marks.items())
            )
            total = sum(self.marks.values())
            lines.append(
                f"{total} {'cell gives' if total == 1 else 'cells give'} no value: {marks}."
            )
        if self.unmatched:
            count = len(self.unmatched)
            rows = "row" if count == 1 else "rows"
            lines.append(f"{count} {rows} not matched to an area, and skipped.")
        for why, count in sorted(self.left_out.items()):
            lines.append(f"Left out: {count} {'row' if count == 1 else 'rows'} {why}.")
        return [*lines, *self.notes]


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
        self.home_code = comparators.la_code if comparators else ""
        self.region = comparators.region if comparators else ""
        self.neighbours = {
            area_key(neighbour): neighbour
            for neighbour in (comparators.neighbour_list if comparators else [])
        }
        self.names: dict[str, tuple[str, str]] = {
            area_key(area.name): (Series.ACTUAL, ""),
            "england": (Series.ENGLAND, ""),
        }
        if self.region:
            self.names[area_key(self.region)] = (Series.REGION, self.region)
        for key, neighbour in self.neighbours.items():
            self.names[key] = (Series.NEIGHBOUR, neighbour)

    def match(self, name: str) -> tuple[str, str] | None:
        return self.names.get(area_key(name))

    def is_home(self, code: str, name: str) -> bool:
        """The plan's own local authority: by its code, stabler than names, when both
        sides have one; else by name."""
        if self.home_code and code:
            return code.casefold() == self.home_code.casefold()
        return area_key(name) == area_key(self.home)


def values_import(
    *,
    strategy: Strategy,
    file_name: str,
    data: bytes,
    user,
    measure: Measure | None = None,
    column: str = "",
    filters: dict[str, str] | None = None,
    dry_run: bool = False,
) -> ValuesImportReport:
    """Import a values file into a plan's measures; ``measure`` names the measure of a wide
    or tidy file, ``column`` and ``filters`` which of a tidy file's figures to read (by
    default, those the measure keeps).

    Raises ValuesImportError (with the report so far and every error) and writes nothing
    when the file cannot be read, any row is bad, or it gives no value for the plan.
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
    if values_file.layout != "long" and measure is None:
        raise ValuesImportError(
            report,
            [
                "This file has a column per period: choose the measure its values are for."
                if values_file.layout == "wide"
                else "This file holds published statistics: choose the measure they are for."
            ],
        )
    areas = _Areas(strategy)
    errors: list[str] = []
    if values_file.layout == "tidy":
        if measure is not None and not column:
            column = measure.source_column
            filters = filters or measure.filter_choices()
        rows = _tidy_rows(values_file.tidy, measure, column, filters or {}, areas, report, errors)
    else:
        measures = {
            " ".join(m.name.split()).casefold(): m
            for m in Measure.objects.filter(strategy=strategy)
        }
        rows = []
        for cell in values_file.cells:
            row, problem = _row(cell, measure, measures, areas, report)
            if problem:
                errors.append(f"Row {cell.row}: {problem}")
            elif row is not None:
                rows.append(row)
    rows = _once_each(rows, errors)
    if not errors and not rows:
        errors.append(_why_nothing(report, areas))
    if errors:
        # In the file's order, as the uploader reads it; a whole file's problem first.
        errors.sort(key=lambda error: int(m[1]) if (m := re.match(r"Row (\d+):", error)) else 0)
        raise ValuesImportError(report, errors)
    with transaction.atomic():
        _write(rows, report, user)
        if dry_run:
            transaction.set_rollback(True)
    return report


def _once_each(rows: list[dict], errors: list[str]) -> list[dict]:
    seen: dict[tuple, dict] = {}
    for row in rows:
        key = (row["measure"].pk, row["series"], row["comparator"], row["period_end"])
        if key in seen:
            errors.append(
                f"Row {row['row']}: a second value for {row['area']}, {row['period_label']} "
                f"(the first is in row {seen[key]['row']})."
            )
        else:
            seen[key] = row
    return list(seen.values())


def _why_nothing(report: ValuesImportReport, areas: _Areas) -> str:
    names = [areas.home, "England", *([areas.region] if areas.region else [])]
    if areas.neighbours:
        names.append("its statistical neighbours")
    who = f"{', '.join(names[:-1])} or {names[-1]}"
    if report.marks:
        return (
            f"The file gives no value for {who}: every figure for them is suppressed or "
            "blank ("
            + ", ".join(
                f"{n} “{m}”" if m else f"{n} blank" for m, n in sorted(report.marks.items())
            )
            + ")."
        )
    if report.unmatched or report.left_out:
        return (
            f"The file gives no value for {who}: none of its rows is for these areas. "
            "Check the plan, or the area's code, region and neighbours under "
            "“Comparators of areas”."
        )
    return "The file gives no value: it has no rows of figures."


def _tidy_rows(
    table: TidyTable, measure, column, filters, areas: _Areas, report, errors
) -> list[dict]:
    choices = report.tidy = TidyChoices(table.indicators, table.filters, column, dict(filters))
    if not column:
        errors.append(
            "Choose the indicator column to read: "
            + (", ".join(table.indicators) or "the file has none")
            + "."
        )
        return []
    if column not in table.indicators:
        errors.append(
            f"The file has no indicator column “{column}”; its indicator columns are "
            f"{', '.join(table.indicators) or 'none'}."
        )
        return []
    rows = table.rows
    for name, value in filters.items():
        if name not in table.filters:
            errors.append(
                f"The file has no filter column “{name}”; its filter columns are "
                f"{', '.join(table.filters) or 'none'}."
            )
        elif value not in table.filters[name]:
            errors.append(f"The column {name} has no rows “{value}”.")
    if errors:
        return []
    kept = [(n, row) for n, row in rows if all(row[k] == v for k, v in filters.items())]
    for name in table.filters:
        if name in filters:
            continue
        present = list(dict.fromkeys(row[name] for _, row in kept))
        total = _total(present)
        if total is None:
            errors.append(
                f"The column {name} has no total rows: choose which of its rows to read "
                f"({', '.join(present)})."
            )
            continue
        choices.totals[name] = total
        kept = [(n, row) for n, row in kept if row[name] == total]
    if errors:
        return []
    if len(kept) < len(rows):
        report.left_out[f"of other {', '.join(table.filters)}"] += len(rows) - len(kept)
    region = areas.region
    if not region:
        region = next(
            (row.get("region_name", "") for _, row in kept if _is_home_row(row, areas)), ""
        )
        if region:
            report.notes.append(
                f"{areas.home} has no region set: its rows name {region}, used for the "
                "region series (set it under “Comparators of areas” to keep it)."
            )
    result = []
    for number, row in kept:
        place = _tidy_place(number, row, areas, region, report)
        if place is None:
            continue
        series, comparator, name = place
        period = tidy_period(row["time_period"], row["time_identifier"])
        if period is None:
            errors.append(
                f"Row {number}: the period {row['time_period']} “{row['time_identifier']}” "
                "is not one this import reads (calendar, academic, financial or tax years, "
                "their quarters, months and terms)."
            )
            continue
        label, end = period
        value = row[column]
        if (mark := mark_of(value)) is not None:
            _suppressed(report, number, name, label, mark)
            continue
        result.append(
            {
                "row": number,
                "area": name,
                "measure": measure,
                "series": series,
                "comparator": comparator,
                "period_end": end,
                "period_label": label,
                "value": parse_number(value),
                "is_provisional": False,
                "note": "",
            }
        )
    return result


def _total(values: list[str]) -> str | None:
    """The value a filter column gives its rows for all: the only one, "Total", or the
    one "All ..." ("All EHC plans"); None when that is not clear."""
    if len(values) == 1:
        return values[0]
    for value in values:
        if value.casefold() == "total":
            return value
    alls = [value for value in values if value.casefold().startswith("all ")]
    return alls[0] if len(alls) == 1 else None


def _is_home_row(row: dict, areas: _Areas) -> bool:
    return row["geographic_level"].casefold() == "local authority" and areas.is_home(
        row.get("new_la_code", ""), row.get("la_name", "")
    )


def _tidy_place(number, row, areas: _Areas, region, report) -> tuple[str, str, str] | None:
    """(series, comparator, area name) of a tidy row, or None when it is left out."""
    level = row["geographic_level"]
    if level.casefold() == "national":
        code, name = row.get("country_code", ""), row.get("country_name", "")
        if code == ENGLAND_CODE or (not code and area_key(name) in ("england", "")):
            return Series.ENGLAND, "", "England"
        report.unmatched.append(f"Row {number}: national figures for {name or code}")
        return None
    if level.casefold() == "regional":
        name = row.get("region_name", "")
        if region and area_key(name) == area_key(region):
            return Series.REGION, region, name
        report.left_out["for other regions"] += 1
        return None
    if level.casefold() == "local authority":
        code, name = row.get("new_la_code", ""), row.get("la_name", "")
        if not (code or name):
            report.unmatched.append(f"Row {number}: a local authority row with no code or name")
            return None
        if areas.is_home(code, name):
            return Series.ACTUAL, "", name
        if (neighbour := areas.neighbours.get(area_key(name))) is not None:
            return Series.NEIGHBOUR, neighbour, name
        report.left_out["for other local authorities"] += 1
        return None
    report.unmatched.append(
        f"Row {number}: the geographic level “{level}” (this import reads National, "
        "Regional and Local authority rows)"
    )
    return None


def _suppressed(report, number, area, period, mark) -> None:
    report.marks[mark] += 1
    report.suppressed.append(f"Row {number}: {area}, {period}: {mark_words(mark)}")


def mark_words(mark: str) -> str:
    """A mark as the report shows it: “c” (confidential); a blank cell as blank."""
    return f"“{mark}” ({MARKS[mark]})" if mark else MARKS[mark]


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
    if (mark := mark_of(cell.value)) is not None:
        _suppressed(report, cell.row, cell.area, cell.period, mark)
        return None, ""
    number = parse_number(cell.value)
    if number is None:
        return None, f"the value “{cell.value}” is not a number."
    return {
        "row": cell.row,
        "area": cell.area,
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
        fields = {name: value for name, value in row.items() if name not in ("row", "area")}
        try:
            _, written = services.value_record(
                **fields,
                user=user,
                reason=f"Imported from {report.file_name}",
                check_permission=False,
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
