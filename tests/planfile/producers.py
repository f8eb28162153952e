"""The same workbook as three real producers write it: openpyxl, XlsxWriter and LibreOffice.

openpyxl stores text inline; XlsxWriter and LibreOffice store it in the shared strings
table, as Excel does, with their own styles and number formats. A workbook is described
once (``Sheet``) and written by each; LibreOffice's is XlsxWriter's opened and saved again
by LibreOffice Calc (headless), or the seed's CSV converted by it, so every byte of it is
what LibreOffice wrote.
"""

import csv
import datetime
import io
import os
import re
import shutil
import subprocess
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.utils import range_boundaries

from tests.seed import SEED

PRODUCERS = ("openpyxl", "xlsxwriter", "libreoffice")


@dataclass(frozen=True)
class DateCell:
    value: datetime.date
    number_format: str


@dataclass(frozen=True)
class Rich:
    """Text in runs; each run (text, bold)."""

    runs: tuple[tuple[str, bool], ...]


@dataclass
class Sheet:
    name: str
    # Row 1 first; a cell is None, str, int, DateCell or Rich.
    rows: list[list]
    merged: list[str] = field(default_factory=list)
    hidden_rows: list[int] = field(default_factory=list)
    autofilter: str | None = None


def seed_table() -> list[list[str]]:
    """The seed appendix as its cells, row by row, exactly as the text file holds them."""
    return [line.split("\t") for line in SEED.read_text(encoding="utf-8").splitlines()]


def seed_sheet() -> Sheet:
    """The seed as typed into a spreadsheet: priority numbers are numbers, the rest text."""
    rows = [[int(cell) if cell.isdigit() else cell or None for cell in row] for row in seed_table()]
    return Sheet("Action plan", rows)


def seed_csv() -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(seed_table())
    return out.getvalue().encode("utf-8")


def openpyxl_workbook(sheets: list[Sheet]) -> bytes:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for spec in sheets:
        sheet = workbook.create_sheet(spec.name)
        for row_number, row in enumerate(spec.rows, start=1):
            for column, value in enumerate(row, start=1):
                if value is None:
                    continue
                cell = sheet.cell(row_number, column)
                if isinstance(value, DateCell):
                    cell.value = value.value
                    cell.number_format = value.number_format
                elif isinstance(value, Rich):
                    cell.value = CellRichText(
                        *(TextBlock(InlineFont(b=bold), text) for text, bold in value.runs)
                    )
                else:
                    cell.value = value
        for cells in spec.merged:
            sheet.merge_cells(cells)
        for row_number in spec.hidden_rows:
            sheet.row_dimensions[row_number].hidden = True
        if spec.autofilter:
            sheet.auto_filter.ref = spec.autofilter
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def xlsxwriter_workbook(sheets: list[Sheet]) -> bytes:
    out = io.BytesIO()
    workbook = xlsxwriter.Workbook(out, {"in_memory": True})
    bold = workbook.add_format({"bold": True})
    formats: dict[str, xlsxwriter.format.Format] = {}
    for spec in sheets:
        sheet = workbook.add_worksheet(spec.name)
        # A merged range is written first, then its top-left cell's value over it.
        for cells in spec.merged:
            first_column, first_row, last_column, last_row = range_boundaries(cells)
            sheet.merge_range(first_row - 1, first_column - 1, last_row - 1, last_column - 1, "")
        for row_index, row in enumerate(spec.rows):
            for column_index, value in enumerate(row):
                if value is None:
                    continue
                if isinstance(value, DateCell):
                    number_format = formats.setdefault(
                        value.number_format,
                        workbook.add_format({"num_format": value.number_format}),
                    )
                    moment = datetime.datetime.combine(value.value, datetime.time())
                    sheet.write_datetime(row_index, column_index, moment, number_format)
                elif isinstance(value, Rich):
                    parts = []
                    for text, is_bold in value.runs:
                        parts += [bold, text] if is_bold else [text]
                    sheet.write_rich_string(row_index, column_index, *parts)
                elif isinstance(value, int):
                    sheet.write_number(row_index, column_index, value)
                else:
                    sheet.write_string(row_index, column_index, value)
        for row_number in spec.hidden_rows:
            sheet.set_row(row_number - 1, None, None, {"hidden": True})
        if spec.autofilter:
            sheet.autofilter(spec.autofilter)
    workbook.close()
    return out.getvalue()


def soffice_or_skip() -> str:
    """The LibreOffice command; its tests skip without it, except in CI, which must run them."""
    soffice = shutil.which("soffice")
    if soffice is None:
        reason = "LibreOffice is not installed (Debian: apt-get install libreoffice-calc-nogui)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}: CI must run the LibreOffice tests.")
        pytest.skip(reason)
    return soffice


def libreoffice_convert(
    files: dict[str, bytes], folder: Path, *, input_filter: str | None = None
) -> dict[str, bytes]:
    """Each file opened and saved as an Excel 2007-365 workbook by LibreOffice Calc.

    One LibreOffice process converts them all, with a profile of its own so runs side by
    side do not share one. Returns the saved workbooks by the given names.
    """
    soffice = soffice_or_skip()
    source, saved, profile = folder / "source", folder / "saved", folder / "profile"
    source.mkdir(parents=True)
    for name, data in files.items():
        (source / name).write_bytes(data)
    command = [
        soffice,
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--norestore",
        *([f"--infilter={input_filter}"] if input_filter else []),
        "--convert-to",
        "xlsx:Calc MS Excel 2007 XML",
        "--outdir",
        str(saved),
        *(str(source / name) for name in files),
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=180)
    converted = {}
    for name in files:
        path = saved / (Path(name).stem + ".xlsx")
        assert path.exists(), f"LibreOffice did not save {name}:\n{result.stdout}{result.stderr}"
        converted[name] = path.read_bytes()
    return converted


# Comma-separated UTF-8 from line 1, English (UK), and no guessing: "February 2020" stays
# the words typed rather than becoming a day in LibreOffice's default date format.
CSV_AS_TYPED = "CSV:44,34,76,1,,2057,false,false"


def with_part(data: bytes, part: str, change) -> bytes:
    """The workbook with one part's XML passed through ``change``."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w") as archive,
    ):
        for member in source.infolist():
            content = source.read(member)
            if member.filename == part:
                content = change(content)
            archive.writestr(member, content)
    return out.getvalue()


MONTH_YEAR = re.compile(
    r"(January|February|March|April|May|June|July|August|September|"
    r"October|November|December) (\d{4})"
)
# Formats that show a month, as Excel offers them and as area teams set them.
MONTH_FORMATS = ("mmmm yyyy", "mmm-yy", "[$-809]mmmm yyyy;@", "mmmm\\ yyyy")
# Actions whose deadline is a date shown to the day: reference, format, the words shown.
DAY_DATES = {"3.1": ("dd/mm/yyyy", "1 September 2022"), "6.2": ("d mmmm yyyy", "1 September 2019")}
# Hidden rows are read like any other: hiding is how a sheet is shown, not what it says.
HIDDEN_ACTIONS = ("1.3", "5.4")


def featured_plan(seed_rows) -> list[Sheet]:
    """The seed plan as an area team keeps it in a workbook: a cover sheet before the plan
    and a lists sheet after it; a title merged across; an autofilter on the header; each
    priority's number and title merged down over its actions; the first action of each
    priority in rich text; month deadlines as date cells in several formats, two shown to
    the day; two action rows hidden."""
    header = ["No", "Priority", "Actions", "By whom", "By When"]
    rows = [["Appendix 2 – Send Strategy Joint Action Plan"], [], header]
    merged, hidden = ["A1:E1"], []
    by_priority: dict[int, list] = {}
    for row in seed_rows:
        by_priority.setdefault(row.priority_number, []).append(row)
    month_format = 0
    for number, group in by_priority.items():
        first = len(rows) + 1
        for position, row in enumerate(group, start=1):
            reference = f"{number}.{position}"
            text = row.text
            if position == 1:
                word, rest = text.split(" ", 1)
                text = Rich(((word, True), (" " + rest, False)))
            deadline = row.deadline_text
            month = MONTH_YEAR.fullmatch(deadline)
            if month:
                day = datetime.datetime.strptime(deadline, "%B %Y").date()
                if reference in DAY_DATES:
                    deadline = DateCell(day, DAY_DATES[reference][0])
                else:
                    deadline = DateCell(day, MONTH_FORMATS[month_format % len(MONTH_FORMATS)])
                    month_format += 1
            priority = [number, row.priority_title] if position == 1 else [None, None]
            rows.append([*priority, text, row.owners_text, deadline])
            if reference in HIDDEN_ACTIONS:
                hidden.append(len(rows))
        merged += [f"A{first}:A{len(rows)}", f"B{first}:B{len(rows)}"]
    return [
        Sheet("Cover", [["SEND strategy action plan"], ["See the Plan sheet."]]),
        Sheet("Plan", rows, merged=merged, hidden_rows=hidden, autofilter=f"A3:E{len(rows)}"),
        Sheet("Lists", [["Owners"], ["DCO"], ["PEP"], ["SEN manager"]]),
    ]


def featured_summary(seed_rows) -> list[tuple]:
    """What the featured plan must read as: the seed's, with the day-dated deadlines."""
    summaries = []
    positions: dict[int, int] = {}
    for row in seed_rows:
        positions[row.priority_number] = positions.get(row.priority_number, 0) + 1
        reference = f"{row.priority_number}.{positions[row.priority_number]}"
        deadline = DAY_DATES[reference][1] if reference in DAY_DATES else row.deadline_text
        summaries.append((row.priority_number, row.priority_title, row.text, row.owners, deadline))
    return summaries


# Excel's "Strict Open XML Spreadsheet" save: the same parts, in ISO 29500 Strict's
# namespaces, and the workbook marked as conforming to it.
STRICT_NAMESPACES = {
    b"http://schemas.openxmlformats.org/spreadsheetml/2006/main": (
        b"http://purl.oclc.org/ooxml/spreadsheetml/main"
    ),
    b"http://schemas.openxmlformats.org/officeDocument/2006/relationships": (
        b"http://purl.oclc.org/ooxml/officeDocument/relationships"
    ),
    b"http://schemas.openxmlformats.org/drawingml/2006/main": (
        b"http://purl.oclc.org/ooxml/drawingml/main"
    ),
}


def as_strict_open_xml(data: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as archive:
        for member in source.infolist():
            content = source.read(member)
            for transitional, strict in STRICT_NAMESPACES.items():
                content = content.replace(transitional, strict)
            if member.filename == "xl/workbook.xml":
                content = content.replace(b"<workbook ", b'<workbook conformance="strict" ', 1)
            archive.writestr(member, content)
    return out.getvalue()
