"""Plan files as grids of cell texts: xlsx, csv, tsv and text, whatever their encoding.

The first layer of reading a plan: it knows file formats, not plans. A grid is a sheet's
(or a delimiter guess's) rows that have any text, each cell's text with whitespace
normalised and any formula guard dropped. Pure Python: no Django, no database.
"""

import codecs
import csv
import datetime
import hashlib
import io
import logging
import re
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from xml.etree.ElementTree import ParseError

import openpyxl
from defusedxml import DefusedXmlException
from openpyxl.cell.read_only import ReadOnlyCell
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet._reader import INLINE_STRING, WorkSheetParser
from openpyxl.worksheet.cell_range import CellRange

from sendplan.spreadsheets import unescape_formula

logger = logging.getLogger(__name__)

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


class PlanReadFault(Exception):
    """Reading the file failed through a fault in sendplan, not in the file.

    The traceback is logged with ``reference``; ``message`` gives the uploader that
    reference instead of blaming their file.
    """

    def __init__(self, reference: str):
        self.reference = reference
        self.message = (
            "We could not read this file. This is a fault in sendplan, not in your file; "
            f"reference {reference}. Please give this reference to your service administrator."
        )
        super().__init__(self.message)


@contextmanager
def faults_reported(name: str, data: bytes) -> Iterator[None]:
    """Any error but PlanFileError while reading is ours: logged, and raised as PlanReadFault.

    The reference is the file's digest, so each reading of one file (a preview reads it
    twice) logs under the same reference.
    """
    try:
        yield
    except PlanFileError:
        raise
    except Exception as error:
        reference = hashlib.sha256(data).hexdigest()[:12]
        logger.exception("Reading the plan file %r failed; reference %s", name, reference)
        raise PlanReadFault(reference) from error


@dataclass(frozen=True)
class SheetLimits:
    """How far a workbook's sheet may reach. Parsing costs time for every cell stored, read
    or not: a sheet that stores cells beyond these is refused before or while it is parsed."""

    rows: int
    columns: int


def read_grids(name: str, data: bytes, limits: SheetLimits | None = None) -> list[Grid]:
    """The file's grids: one per worksheet, or one per plausible delimiter of a text file.

    Raises PlanFileError, with a message for the uploader, when the file cannot be read or
    a sheet reaches beyond ``limits``.
    """
    extension = _extension(name)
    if not data.strip():
        raise PlanFileError("The file is empty.")
    if extension == ".xlsx":
        grids = _xlsx_grids(data, limits)
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
DAMAGED_XLSX = (
    "The file is named .xlsx but could not be opened as an Excel workbook; it may be "
    "damaged or another kind of file. Save it again from Excel and upload that."
)


def _xlsx_grids(data: bytes, limits: SheetLimits | None) -> list[Grid]:
    if data.startswith(OLE_SIGNATURE):
        raise PlanFileError(
            "The file is named .xlsx but is an old-style .xls or password-protected workbook: "
            "remove any password, save it as an Excel Workbook (.xlsx) and upload that."
        )
    if not data.startswith(ZIP_SIGNATURE) and not zipfile.is_zipfile(io.BytesIO(data)):
        raise PlanFileError(
            "The file is named .xlsx but is not really a spreadsheet: save the plan from Excel "
            "as an Excel Workbook (.xlsx), or as CSV, and upload that."
        )
    try:
        return _workbook_grids(data, limits)
    except DAMAGED_FILE_ERRORS as error:
        raise PlanFileError(DAMAGED_XLSX) from error
    except KeyError as error:
        if not _is_missing_part(error):
            raise
        raise PlanFileError(DAMAGED_XLSX) from error


# What a damaged file or a zip of another kind raises wherever the reading first meets the
# damage: a broken zip (truncated, a bad index or checksum, a corrupt compressed part),
# malformed XML and XML declaring entities (defusedxml refuses them). A part missing from
# the zip is zipfile's KeyError; what openpyxl raises on loading and parsing a sheet is
# caught where it is called.
DAMAGED_FILE_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    ParseError,
    DefusedXmlException,
)


def _is_missing_part(error: KeyError) -> bool:
    """A part the workbook names is not in the zip: zipfile's KeyError, not any other."""
    return str(error.args[0] if error.args else "").startswith("There is no item named")


# Excel's "Strict Open XML Spreadsheet" names its parts' relationships in ISO 29500 Strict's
# namespace, which openpyxl does not read: it would find no sheets.
STRICT_OFFICE_DOCUMENT = b"http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument"
STRICT_XLSX = (
    'The workbook is saved as "Strict Open XML Spreadsheet", which cannot be read. Open it '
    'in Excel, choose Save As, pick "Excel Workbook (.xlsx)" as the type and upload that.'
)


def _workbook_grids(data: bytes, limits: SheetLimits | None) -> list[Grid]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        unpacked = sum(member.file_size for member in archive.infolist())
        package = archive.read("_rels/.rels") if "_rels/.rels" in archive.namelist() else b""
    if STRICT_OFFICE_DOCUMENT in package:
        raise PlanFileError(STRICT_XLSX)
    if unpacked > MAX_UNPACKED_XLSX_BYTES:
        # A few megabytes can unzip to gigabytes: refuse before openpyxl expands it.
        raise PlanFileError(
            f"The workbook unpacks to {unpacked // 2**20} MB, more than the "
            f"{MAX_UNPACKED_XLSX_BYTES // 2**20} MB an action plan can need; check it is the "
            "right file, or save the plan as CSV."
        )
    # Read-only: each sheet's XML is streamed rather than built into cells in memory.
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    except (ValueError, OSError) as error:
        # openpyxl's "Unable to read workbook" (bad XML in a part it loads) and "File
        # contains no valid workbook part".
        raise PlanFileError(DAMAGED_XLSX) from error
    try:
        if not workbook.sheetnames:
            # Every workbook has a sheet; openpyxl leaves out one whose part is missing.
            raise PlanFileError(DAMAGED_XLSX)
        return [
            _sheet_grid(workbook, sheet, limits)
            for sheet in workbook.worksheets
            if isinstance(sheet, ReadOnlyWorksheet)
        ]
    finally:
        workbook.close()


def _sheet_grid(workbook: Workbook, sheet: ReadOnlyWorksheet, limits: SheetLimits | None) -> Grid:
    # openpyxl's read-only sheet streams the rows but drops the merged ranges, which the
    # XML holds after them; its parser keeps them, so one pass reads both. Only the cells
    # the file stores come back. The sheet's size as it states it (its <dimension>, read
    # by openpyxl on loading) is checked first, then each row as it is parsed, as the
    # statement is optional.
    if limits:
        _check_reach(sheet.title, sheet.max_row or 0, sheet.max_column or 0, limits)
    number_formats = _NumberFormats(sheet)
    values: dict[int, dict[int, str]] = {}
    with workbook._archive.open(sheet._worksheet_path) as source:
        parser = _SheetParser(
            source,
            # The loaded shared strings table: openpyxl hands it to each read-only sheet;
            # the workbook's own `shared_strings` is the empty list a save would fill.
            sheet._shared_strings,
            epoch=workbook.epoch,
            date_formats=workbook._date_formats,
            timedelta_formats=workbook._timedelta_formats,
        )
        for row, cells in _parsed_rows(parser):
            if limits and cells:
                _check_reach(sheet.title, row, max(cell["column"] for cell in cells), limits)
            texts = {}
            for cell in cells:
                value = cell["value"]
                if value is None:
                    continue
                if isinstance(value, str):
                    text = _text_cell(XLSX_ESCAPED_WHITESPACE.sub(" ", value))
                else:
                    text = _xlsx_cell_text(value, number_formats[cell["style_id"]])
                if text:
                    texts[cell["column"]] = text
            if texts:
                values[row] = texts
    if not values:
        return []
    # A priority number or title merged down over its actions belongs to each of them.
    last_row = max(values)
    for merged in parser.merged_cells.mergeCell if parser.merged_cells else ():
        cells = CellRange(merged.ref)
        top = values.get(cells.min_row, {}).get(cells.min_col)
        if top:
            for row in range(cells.min_row + 1, min(cells.max_row, last_row) + 1):
                values.setdefault(row, {})[cells.min_col] = top
    return [
        (row, [cells.get(column, "") for column in range(1, max(cells) + 1)])
        for row, cells in sorted(values.items())
    ]


def _check_reach(title: str, row: int, column: int, limits: SheetLimits) -> None:
    if column > limits.columns:
        raise PlanFileError(
            f'The sheet "{title}" has cells as far as column {get_column_letter(column)} '
            f"(column {column:,}); a plan's sheet may have at most {limits.columns:,} columns. "
            "Delete the columns after the plan's last column and upload it again."
        )
    if row > limits.rows:
        raise PlanFileError(
            f'The sheet "{title}" has cells as far as row {row:,}; a plan\'s sheet may have at '
            f"most {limits.rows:,} rows. Delete the rows after the plan's last row, or split "
            "the plan, and upload it again."
        )


def _parsed_rows(parser: "_SheetParser") -> Iterator[tuple[int, list[dict]]]:
    """The parser's rows; a malformed sheet (bad XML, a cell value or coordinate that is not
    one, a shared string that is not in the table) is a damaged file."""
    rows = parser.parse()
    while True:
        try:
            row = next(rows)
        except StopIteration:
            return
        except (ValueError, *DAMAGED_FILE_ERRORS) as error:
            raise PlanFileError(DAMAGED_XLSX) from error
        yield row


class _SheetParser(WorkSheetParser):
    """openpyxl's sheet parser, reading an inline string's text without building openpyxl's
    rich-text objects for it, which cost a quarter of parsing a workbook that stores its
    text inline (as openpyxl and some exporters write it)."""

    def parse_cell(self, element):
        data_type = element.get("t")
        if data_type == "s":
            try:
                return super().parse_cell(element)
            except IndexError as error:
                # The only index a shared-string cell looks up: the string's, in the table.
                raise ValueError("The cell's shared string is not in the table.") from error
        inline = element.find(INLINE_STRING) if data_type == "inlineStr" else None
        if inline is None:
            return super().parse_cell(element)
        # Without its text the parser reads the rest as before: the coordinate, the style
        # and any formula, which is the cell's value if it has one.
        element.remove(inline)
        cell = super().parse_cell(element)
        if cell["data_type"] == "inlineStr":
            cell["value"], cell["data_type"] = _inline_text(inline), "s"
        return cell


def _local_name(tag: str) -> str:
    return tag.rpartition("}")[2]


def _inline_text(inline) -> str:
    """What openpyxl's Text(...).content gives: the plain text, then each run's text;
    phonetic guides left out. As there, a repeated element's last value counts."""
    plain, runs = None, []
    for child in inline:
        name = _local_name(child.tag)
        if name == "t":
            plain = child.text
        elif name == "r":
            text = None
            for part in child:
                if _local_name(part.tag) == "t":
                    text = part.text
            if text is not None:
                runs.append(text)
    return "".join([plain, *runs] if plain is not None else runs)


class _NumberFormats(dict):
    """A sheet's number formats by style id, looked up as its cells need them."""

    def __init__(self, sheet: ReadOnlyWorksheet):
        super().__init__()
        self.sheet = sheet

    def __missing__(self, style_id: int) -> str:
        try:
            number_format = ReadOnlyCell(self.sheet, 0, 0, None, style_id=style_id).number_format
        except IndexError as error:
            # A cell names a style the workbook's table does not have.
            raise PlanFileError(DAMAGED_XLSX) from error
        self[style_id] = number_format
        return number_format


def _xlsx_cell_text(value: object, number_format: str) -> str:
    if isinstance(value, datetime.datetime | datetime.date):
        return shown_date(value, number_format)
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        if "%" in number_format:
            return f"{value * 100:g}%"
        return str(int(value)) if float(value).is_integer() else str(value)
    # Array formulas and the like: their formula text, as for any other formula.
    return clean(str(getattr(value, "text", value)))


# The parts of a number format that name date fields; quoted text, escaped characters and
# [colour] or [locale] sections and AM/PM are matched only to be skipped.
DATE_FORMAT_PARTS = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]|AM/PM|A/P|[dmyhs]+', re.IGNORECASE)


def shown_date(value: datetime.date, number_format: str) -> str:
    """A date cell's words at the precision Excel shows it: "mmmm yyyy" shows a month, and
    a month is what its deadline means, as if the words had been typed."""
    parts = [
        part.casefold()
        for part in DATE_FORMAT_PARTS.findall(number_format.split(";")[0])
        if part[0] not in '"\\[' and "/" not in part
    ]
    day = month = year = False
    for index, part in enumerate(parts):
        if part[0] == "d":
            day = True
        elif part[0] == "y":
            year = True
        elif part[0] == "m":
            # "m" and "mm" next to hours or seconds are minutes.
            beside = {
                parts[index - 1][0] if index else "",
                parts[index + 1][0] if index + 1 < len(parts) else "",
            }
            month = month or len(part) > 2 or not beside & {"h", "s"}
    if month and year and not day:
        return f"{value:%B %Y}"
    if year and not (day or month):
        return str(value.year)
    return f"{value.day} {value:%B %Y}"


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
    if not text.isascii():
        # The invisible characters are none of them ASCII; most cells are, and skip this.
        text = text.translate(INVISIBLE)
    return " ".join(text.split())
