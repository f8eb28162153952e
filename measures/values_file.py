"""Reading a file of measure values into clean rows, before any model code sees it.

Three layouts are read, found by their header row:
- tidy, as the DfE publishes its statistics (explore education statistics): columns
  time_period, time_identifier, geographic_level, the geography's codes and names, filter
  columns (breakdown_topic, breakdown) and one column per indicator;
- long: a row per figure, with columns measure, area, period, value and (optionally)
  series (actual, target, England, region, neighbour), period end, provisional and note;
- wide, as published statistics come: a row per local authority (or region, or England)
  and a column per period ("2019", "2022-23"), for one measure named by the uploader.
"""

import csv
import datetime
import io
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from xml.etree.ElementTree import ParseError

import openpyxl
from defusedxml import DefusedXmlException
from openpyxl.utils.exceptions import InvalidFileException

from .periods import period_end, period_label

ACCEPTED = (".xlsx", ".csv")
# A values file has a few thousand rows at most; this is ample and stops zip bombs.
MAX_UNPACKED_BYTES = 50 * 2**20
# How published statistics mark a figure that is not there, and what each mark means: not a
# mistake in the file, and never 0.
MARKS = {
    "x": "not available",
    "c": "confidential",
    "z": "not applicable",
    "low": "rounds to 0, but is not 0",
    "u": "low reliability",
    ":": "not available",
    "~": "rounds to 0, but is not 0",
    "..": "not available",
    "-": "not available",
    "–": "not available",
    "n/a": "not applicable",
    "na": "not applicable",
    "*": "suppressed",
    "": "blank",
}

# The tidy layout's columns that say when and where; the rest are filters and indicators.
TIDY_REQUIRED = ("time_period", "time_identifier", "geographic_level")
TIDY_PLACE_COLUMNS = {
    "country_code",
    "country_name",
    "region_code",
    "region_name",
    "old_la_code",
    "new_la_code",
    "la_name",
    "lad_code",
    "lad_name",
    "pcon_code",
    "pcon_name",
    "opportunity_area_code",
    "opportunity_area_name",
    "english_devolved_area_code",
    "english_devolved_area_name",
    "local_enterprise_partnership_code",
    "local_enterprise_partnership_name",
    "school_urn",
    "school_laestab",
    "school_name",
    "provider_ukprn",
    "provider_name",
}

LONG_COLUMNS = {
    "measure": {"measure", "indicator", "measure name"},
    "area": {"area", "local authority", "la", "la name", "la_name", "area name", "geography"},
    "period": {"period", "time period", "time_period", "year"},
    "value": {"value", "figure"},
    "series": {"series", "type", "kind"},
    "period_end": {"period end", "period_end", "end date", "period end date"},
    "provisional": {"provisional", "status"},
    "note": {"note", "notes", "comment"},
}
LONG_REQUIRED = ("measure", "area", "period", "value")
WIDE_AREA_NAMES = LONG_COLUMNS["area"] | {"region/local authority", "local authority name"}


class ValuesFileError(Exception):
    """The file cannot be read as measure values; the message is written for the uploader."""


@dataclass(frozen=True)
class Cell:
    """One figure read from the file, with the row it came from; text as written."""

    row: int
    measure: str  # blank in the wide layout: the uploader names the measure
    area: str
    period: str
    value: str
    series: str = ""
    period_end: str = ""
    provisional: str = ""
    note: str = ""


def mark_of(text: str) -> str | None:
    """The suppression mark a cell holds ("c"), or None when it holds something else."""
    mark = text.strip().casefold()
    return mark if mark in MARKS else None


@dataclass
class TidyTable:
    """A tidy file's rows by column name, and which of its columns are filters and indicators."""

    rows: list[tuple[int, dict[str, str]]]
    indicators: list[str]
    # Each filter column with its values, in the order the file gives them.
    filters: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class ValuesFile:
    layout: str  # "long", "wide" or "tidy"
    cells: list[Cell]
    tidy: TidyTable | None = None


def read_values(name: str, data: bytes) -> ValuesFile:
    extension = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in ACCEPTED:
        raise ValuesFileError(
            f"Files of type “{extension or 'none'}” cannot be read: upload .xlsx or .csv."
        )
    if not data.strip():
        raise ValuesFileError("The file is empty.")
    rows = _xlsx_rows(data) if extension == ".xlsx" else _csv_rows(data)
    for row_number, cells in rows[:20]:
        names = [_text(cell).casefold() for cell in cells]
        if all(name in names for name in TIDY_REQUIRED):
            return ValuesFile("tidy", [], _tidy_table(rows, row_number, names))
        keys = [_key(cell) for cell in cells]
        if "value" in keys and any(key in LONG_COLUMNS["period"] for key in keys):
            return ValuesFile("long", _long_cells(rows, row_number, keys))
        if any(key in WIDE_AREA_NAMES for key in keys) and any(
            period_end(period_label(cell)) for cell in cells if cell not in ("", None)
        ):
            return ValuesFile("wide", _wide_cells(rows, row_number, cells))
    raise ValuesFileError(
        "No header row found in the first 20 rows: the long layout needs the columns "
        "measure, area, period and value; the wide layout a local authority column and a "
        "column per period (like 2023 or 2022-23); the DfE's tidy layout the columns "
        "time_period, time_identifier and geographic_level."
    )


def _key(cell) -> str:
    return " ".join(str(cell or "").replace("_", " ").split()).casefold()


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split())


def _xlsx_rows(data: bytes) -> list[tuple[int, list]]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
        if unpacked > MAX_UNPACKED_BYTES:
            raise ValuesFileError(
                f"The workbook unpacks to {unpacked // 2**20} MB, more than a values file "
                "can need: check it is the right file, or save it as CSV."
            )
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        rows = []
        for number, row in enumerate(sheet.iter_rows(max_col=200), start=1):
            cells = [_xlsx_value(cell) for cell in row]
            if any(cell not in ("", None) for cell in cells):
                rows.append((number, cells))
        workbook.close()
        return rows
    # A damaged zip, a zip that is not a workbook (a part missing: KeyError), broken or
    # hostile XML: one message.
    except (
        zipfile.BadZipFile,
        KeyError,
        ParseError,
        DefusedXmlException,
        InvalidFileException,
    ) as error:
        raise ValuesFileError(
            "The file is named .xlsx but could not be opened as an Excel workbook; it may be "
            "damaged or another kind of file. Save it again from Excel and upload that."
        ) from error


def _xlsx_value(cell):
    value = getattr(cell, "value", None)
    if isinstance(value, int | float) and not isinstance(value, bool):
        # A cell shown as "58.3%" holds 0.583: the figure is what people see.
        if "%" in (getattr(cell, "number_format", "") or ""):
            return Decimal(str(value)) * 100
        return Decimal(str(value))
    return value


def _csv_rows(data: bytes) -> list[tuple[int, list]]:
    if data.startswith(b"PK\x03\x04"):
        raise ValuesFileError("The file is an Excel workbook: give it the .xlsx extension.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")  # Excel on Windows
    try:
        records = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as error:
        raise ValuesFileError(f"The file could not be read as CSV: {error}.") from error
    return [(n, cells) for n, cells in enumerate(records, start=1) if any(c.strip() for c in cells)]


def _long_cells(rows, header_row: int, keys: list[str]) -> list[Cell]:
    columns = {}
    for role, names in LONG_COLUMNS.items():
        for position, key in enumerate(keys):
            if key in names and role not in columns:
                columns[role] = position
                break
    missing = [role for role in LONG_REQUIRED if role not in columns]
    if missing:
        raise ValuesFileError(
            f"Row {header_row}: the header has no {', '.join(missing)} column "
            "(the long layout needs measure, area, period and value)."
        )

    def get(cells, role) -> str:
        position = columns.get(role)
        return _text(cells[position]) if position is not None and position < len(cells) else ""

    return [
        Cell(row=number, **{role: get(cells, role) for role in LONG_COLUMNS})
        for number, cells in rows
        if number > header_row
    ]


def _wide_cells(rows, header_row: int, header: list) -> list[Cell]:
    area_column = next(i for i, cell in enumerate(header) if _key(cell) in WIDE_AREA_NAMES)
    periods = {
        position: period_label(cell)
        for position, cell in enumerate(header)
        if cell not in ("", None) and period_end(period_label(cell))
    }
    cells = []
    for number, row in rows:
        if number <= header_row or area_column >= len(row):
            continue
        area = _text(row[area_column])
        if not area:
            continue
        for position, label in periods.items():
            value = _text(row[position]) if position < len(row) else ""
            cells.append(Cell(row=number, measure="", area=area, period=label, value=value))
    return cells


def _tidy_table(rows, header_row: int, names: list[str]) -> TidyTable:
    """Rows keyed by column; a column whose every cell is a number or a mark is an indicator,
    any other that does not say when or where is a filter (breakdown: "Under 5")."""
    own = [(position, name) for position, name in enumerate(names) if name]
    table = [
        (number, {name: _text(cells[p]) if p < len(cells) else "" for p, name in own})
        for number, cells in rows
        if number > header_row
    ]
    indicators, filters = [], {}
    for _, name in own:
        if name in TIDY_REQUIRED or name in TIDY_PLACE_COLUMNS:
            continue
        column = [row[name] for _, row in table]
        if all(mark_of(text) is not None or parse_number(text) is not None for text in column):
            indicators.append(name)
        else:
            filters[name] = list(dict.fromkeys(text for text in column if text))
    return TidyTable(table, indicators, filters)


def parse_number(text: str) -> Decimal | None:
    """A figure as written ("58.3", "58.3%", "1,204"), or None when it is not a number."""
    cleaned = text.replace(",", "").removesuffix("%").strip()
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None
