"""The measures sheet of the board pack workbook: a row per measure, and a native Excel line
chart of each measure's lines drawn from its figures, written under the table."""

from decimal import Decimal

from openpyxl.chart import LineChart, Reference
from openpyxl.styles import Font
from openpyxl.workbook import Workbook

from sendplan.spreadsheets import text_cell

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


def _number(value):
    return float(value) if isinstance(value, Decimal) else value


def _row(sheet, values: list) -> None:
    # Text typed as text (sendplan.spreadsheets): a name starting with "=" is never run.
    sheet.append([text_cell(sheet, _number(value)) for value in values])


def add_measures_sheet(workbook: Workbook, measures: list[MeasureFigures], *, has_previous: bool):
    sheet = workbook.create_sheet("Measures")
    sheet.append([text_cell(sheet, title, font=Font(bold=True)) for title in HEADER])
    sheet.freeze_panes = "A2"
    for figures in measures:
        j = figures.judgement
        _row(
            sheet,
            [
                figures.measure.name,
                j.latest.period_label if j.latest else "",
                _number(j.latest.value) if j.latest else None,
                _number(j.target.value) if j.target else None,
                j.track_words,
                figures.since_previous_words if j.latest else "",
                figures.since_earlier_words if j.latest and has_previous else "",
                "; ".join(f"{label}: {shown}" for label, shown in figures.latest_comparators),
                figures.measure.get_unit_display(),
            ],
        )
    for figures in measures:
        if figures.lines:
            _chart_block(sheet, figures)


def _chart_block(sheet, figures: MeasureFigures) -> None:
    """The measure's figures as a small table below what is written, and a line chart beside
    it, taking at least CHART_ROWS rows so that charts never overlap."""
    lines = figures.lines
    sheet.append([None])
    top = sheet.max_row + 1
    _row(sheet, [f"Figures for the chart: {figures.measure.name}"])
    _row(sheet, ["Period", *(line.label for line in lines)])
    for table_row in figures.table:
        by_line = [
            next((p.value for p in line.points if p.period_end == table_row.period_end), None)
            for line in lines
        ]
        _row(sheet, [table_row.period_label, *by_line])
    last = sheet.max_row
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
    for _ in range(top + CHART_ROWS - sheet.max_row):
        sheet.append([None])
