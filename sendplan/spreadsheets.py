"""Text in spreadsheet cells that a spreadsheet must never run as a formula.

One rule for every file the app writes or reads: text starting with one of
``FORMULA_STARTS`` gets a leading apostrophe in delimited text (where a cell has no type)
and is typed as text in xlsx; a reader drops that apostrophe again. Below every app, so
the plan file and the board pack share it.
"""

from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.worksheet.worksheet import Worksheet

# What spreadsheets take as the start of a formula (OWASP's CSV injection list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_ESCAPED_STARTS = tuple(f"'{start}" for start in FORMULA_STARTS)


def escape_formula(value):
    """A leading apostrophe stops spreadsheets treating text as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return f"'{value}"
    return value


def unescape_formula(text: str) -> str:
    """The text as written before ``escape_formula`` (or a spreadsheet's export) guarded it."""
    return text[1:] if text.startswith(_ESCAPED_STARTS) else text


def text_cell(sheet: Worksheet, value, **style) -> Cell:
    """A cell for ``sheet.append()``, write-only or not: text is typed as text, so "=..." is
    shown, never calculated. ``style``: cell attributes such as ``font``."""
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        # openpyxl types text starting with "=" as a formula; text it stays.
        cell.data_type = "s"
    for name, setting in style.items():
        setattr(cell, name, setting)
    return cell
