"""Plan files as grids of cell texts: xlsx, csv, tsv and text, whatever their encoding.

The first layer of reading a plan: it knows file formats, not plans. A grid is a sheet's
(or a delimiter guess's) rows that have any text, each cell's text with whitespace
normalised and any formula guard dropped. Pure Python: no Django, no database.
"""

import codecs
import csv
import datetime
import io
import re
import zipfile

import openpyxl
from openpyxl.worksheet.worksheet import Worksheet

from sendplan.spreadsheets import unescape_formula

ACCEPTED_EXTENSIONS = (".xlsx", ".csv", ".tsv", ".txt")

# Zero-width characters that `str.split()` does not treat as whitespace.
INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))
# Excel writes line breaks inside cells as "_x000D_"; openpyxl leaves them escaped.
XLSX_ESCAPED_WHITESPACE = re.compile(r"_x000[9aAdD]_")
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_SIGNATURE = b"PK\x03\x04"
# Only whitespace and delimiters: an empty sheet saved as CSV.
EMPTY_TEXT = re.compile(r"[\s,;]*")

# A sheet as the rows that have any text: (1-based row number, cell texts).
Grid = list[tuple[int, list[str]]]


class PlanFileError(Exception):
    """The file cannot be read as an action plan; the message is written for the uploader."""

    def __init__(self, message: str, row: int | None = None):
        self.message = message
        self.row = row
        super().__init__(message if row is None else f"Row {row}: {message}")


def read_grids(name: str, data: bytes) -> list[Grid]:
    """The file's grids: one per worksheet, or one per plausible delimiter of a text file.

    Raises PlanFileError, with a message for the uploader, when the file cannot be read.
    """
    extension = _extension(name)
    if not data.strip():
        raise PlanFileError("The file is empty.")
    if extension == ".xlsx":
        grids = _xlsx_grids(data)
    else:
        grids = _text_grids(data, extension)
    if not any(grids):
        raise PlanFileError("The file is empty.")
    return grids


def _extension(name: str) -> str:
    extension = "." + name.rsplit(".", 1)[1].lower() if "." in name else ""
    if extension in ACCEPTED_EXTENSIONS:
        return extension
    accepted = ", ".join(ACCEPTED_EXTENSIONS)
    if extension == ".xls":
        raise PlanFileError(
            "Old-style .xls workbooks cannot be read: open the file in Excel, save it as "
            f"an Excel Workbook (.xlsx) and upload that. Accepted file types: {accepted}."
        )
    described = f'"{extension}" files' if extension else "Files without an extension"
    raise PlanFileError(f"{described} cannot be read. Accepted file types: {accepted}.")


# A 20,000-action workbook unpacks to about 10 MB; this leaves ample room.
MAX_UNPACKED_XLSX_BYTES = 200 * 2**20


def _xlsx_grids(data: bytes) -> list[Grid]:
    if data.startswith(OLE_SIGNATURE):
        raise PlanFileError(
            "The file is named .xlsx but is an old-style .xls or password-protected workbook: "
            "remove any password, save it as an Excel Workbook (.xlsx) and upload that."
        )
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise PlanFileError(
            "The file is named .xlsx but is not really a spreadsheet: save the plan from Excel "
            "as an Excel Workbook (.xlsx), or as CSV, and upload that."
        )
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        unpacked = sum(member.file_size for member in archive.infolist())
    if unpacked > MAX_UNPACKED_XLSX_BYTES:
        # A few megabytes can unzip to gigabytes: refuse before openpyxl expands it.
        raise PlanFileError(
            f"The workbook unpacks to {unpacked // 2**20} MB, more than the "
            f"{MAX_UNPACKED_XLSX_BYTES // 2**20} MB an action plan can need; check it is the "
            "right file, or save the plan as CSV."
        )
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data))
    except Exception as error:
        # openpyxl fails on a zip that is not a workbook (a renamed .docx, a damaged file)
        # with whatever error its parsers hit first; all of them mean the same to the user.
        raise PlanFileError(
            "The file is named .xlsx but could not be opened as an Excel workbook; it may be "
            "damaged or another kind of file. Save it again from Excel and upload that."
        ) from error
    return [_sheet_grid(sheet) for sheet in workbook.worksheets if isinstance(sheet, Worksheet)]


def _sheet_grid(sheet: Worksheet) -> Grid:
    # Walk only the cells the file stores. iter_rows() creates every cell up to
    # max_row x max_column, which one stray cell at XFD1048576 makes enormous.
    values: dict[tuple[int, int], str] = {}
    for (row, column), cell in sheet._cells.items():
        text = _xlsx_cell_text(cell.value, cell.number_format)
        if text:
            values[row, column] = text
    if not values:
        return []
    # A priority number or title merged down over its actions belongs to each of them.
    last_row = max(row for row, _ in values)
    for merged in sheet.merged_cells.ranges:
        top = values.get((merged.min_row, merged.min_col))
        if top:
            for row in range(merged.min_row + 1, min(merged.max_row, last_row) + 1):
                values[row, merged.min_col] = top
    rows: dict[int, dict[int, str]] = {}
    for (row, column), text in values.items():
        rows.setdefault(row, {})[column] = text
    return [
        (row, [cells.get(column, "") for column in range(1, max(cells) + 1)])
        for row, cells in sorted(rows.items())
    ]


def _xlsx_cell_text(value: object, number_format: str) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return _text_cell(XLSX_ESCAPED_WHITESPACE.sub(" ", value))
    if isinstance(value, datetime.datetime | datetime.date):
        return f"{value.day} {value:%B %Y}"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        if "%" in number_format:
            return f"{value * 100:g}%"
        return str(int(value)) if float(value).is_integer() else str(value)
    # Array formulas and the like: their formula text, as for any other formula.
    return clean(str(getattr(value, "text", value)))


def _text_grids(data: bytes, extension: str) -> list[Grid]:
    """The file split on each plausible delimiter; the one that yields a header row wins."""
    text = _decode(data)
    if EMPTY_TEXT.fullmatch(text):
        raise PlanFileError("The file is empty.")
    delimiters = (",", ";", "\t") if extension == ".csv" else ("\t", ",", ";")
    return [_delimited_grid(text, delimiter) for delimiter in delimiters]


def _decode(data: bytes) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # Excel's "Unicode Text" export: tab-separated UTF-16.
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise PlanFileError("The file is not a readable text file.") from error
    if data.startswith(ZIP_SIGNATURE):
        raise PlanFileError(
            "The file looks like an Excel workbook saved under a text file name: "
            "give it the .xlsx extension and upload it again."
        )
    if b"\x00" in data:
        raise PlanFileError(
            "The file contains binary data, not text: save the plan as CSV or as an Excel "
            "Workbook (.xlsx) and upload that."
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel on Windows saves CSV in the ANSI code page.
        return data.decode("cp1252", errors="replace")


def _delimited_grid(text: str, delimiter: str) -> Grid:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    grid = []
    try:
        # Numbered by record, not by line: a quoted cell with line breaks is still one row.
        for row_number, cells in enumerate(reader, start=1):
            cleaned = [_text_cell(cell) for cell in cells]
            if any(cleaned):
                grid.append((row_number, cleaned))
    except csv.Error as error:
        raise PlanFileError(f"The file could not be read as delimited text: {error}.") from error
    return grid


def _text_cell(text: str) -> str:
    return clean(unescape_formula(text))


def clean(text: str) -> str:
    """NBSP, line breaks and runs of whitespace become single spaces."""
    return " ".join(text.translate(INVISIBLE).split())
