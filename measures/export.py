"""The measures sheet of the board pack workbook: a row per measure, and a native Excel line
chart of each measure's lines drawn from its figures, written under the table."""

from decimal import Decimal

from openpyxl.chart import LineChart, Reference
from openpyxl.styles import Font
from openpyxl.workbook import Workbook

from .selectors import MeasureFigures

HEADER = [
    "Measure",
    "Latest period",
    "Latest value",
    "Target due",
    "Judgement",
    "Since the previous value",
    "Since the previous meeting",
    "Comparators",
    "Unit",
]
MARKERS = ["circle", "square", "triangle", "diamond", "x", "star"]
DASHES = ["solid", "dash", "sysDot", "dashDot", "lgDash", "sysDash"]
CHART_ROWS = 16  # rows a chart covers, so the next starts below it


def _cell(sheet, row: int, column: int, value):
    cell = sheet.cell(row=row, column=column, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # never "f": a name starting with "=" stays text
    return cell


def _number(value) -> float | None:
    return float(value) if isinstance(value, Decimal) else value


def add_measures_sheet(workbook: Workbook, measures: list[MeasureFigures], *, has_previous: bool):
    sheet = workbook.create_sheet("Measures")
    for column, title in enumerate(HEADER, start=1):
        _cell(sheet, 1, column, title).font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for row, figures in enumerate(measures, start=2):
        j = figures.judgement
        values = [
            figures.measure.name,
            j.latest.period_label if j.latest else "",
            _number(j.latest.value) if j.latest else None,
            _number(j.target.value) if j.target else None,
            j.track_words,
            figures.since_previous_words if j.latest else "",
            figures.since_earlier_words if j.latest and has_previous else "",
            "; ".join(f"{label}: {shown}" for label, shown in figures.latest_comparators),
            figures.measure.get_unit_display(),
        ]
        for column, value in enumerate(values, start=1):
            _cell(sheet, row, column, value)
    row = len(measures) + 4
    for figures in measures:
        if figures.lines:
            row = _chart_block(sheet, figures, row)


def _chart_block(sheet, figures: MeasureFigures, top: int) -> int:
    """The measure's figures as a small table at ``top``, and a line chart beside it."""
    lines = figures.lines
    _cell(sheet, top, 1, f"Figures for the chart: {figures.measure.name}").font = Font(bold=True)
    _cell(sheet, top + 1, 1, "Period")
    for column, line in enumerate(lines, start=2):
        _cell(sheet, top + 1, column, line.label)
    rows = {}
    for offset, table_row in enumerate(figures.table, start=2):
        _cell(sheet, top + offset, 1, table_row.period_label)
        rows[table_row.period_end] = top + offset
    for column, line in enumerate(lines, start=2):
        for point in line.points:
            _cell(sheet, rows[point.period_end], column, _number(point.value))
    last = top + 1 + len(figures.table)
    chart = LineChart()
    chart.title = figures.measure.name
    chart.y_axis.title = figures.measure.get_unit_display()
    chart.x_axis.title = "Period"
    chart.add_data(
        Reference(sheet, min_col=2, max_col=1 + len(lines), min_row=top + 1, max_row=last),
        titles_from_data=True,
    )
    chart.set_categories(Reference(sheet, min_col=1, min_row=top + 2, max_row=last))
    for position, series in enumerate(chart.series):
        # Each line its own marker and dash, so the chart reads without colour.
        series.marker.symbol = MARKERS[position % len(MARKERS)]
        series.graphicalProperties.line.dashStyle = DASHES[position % len(DASHES)]
        series.smooth = False
    chart.width, chart.height = 18, 7.5
    sheet.add_chart(chart, f"K{top}")
    return max(last, top + CHART_ROWS) + 2
