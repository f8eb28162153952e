"""Text that looks like a formula: guarded on the way out, read back as written."""

import csv
import io

import openpyxl
import pytest

from sendplan.spreadsheets import FORMULA_STARTS, escape_formula, text_cell, unescape_formula


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_text_starting_with_a_formula_character_round_trips_through_csv(start):
    value = f'{start}HYPERLINK("http://example.com")'
    out = io.StringIO()
    csv.writer(out).writerow([escape_formula(value)])
    (written,) = next(csv.reader(io.StringIO(out.getvalue())))
    assert written == f"'{value}"
    assert unescape_formula(written) == value


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_text_starting_with_a_formula_character_round_trips_through_xlsx(start):
    value = f"{start}1+1"
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append([text_cell(sheet, value), text_cell(sheet, 7)])
    out = io.BytesIO()
    workbook.save(out)
    text, number = next(openpyxl.load_workbook(out).active.iter_rows())
    # XML reads every line break back as "\n", a carriage return too.
    assert (text.value, text.data_type) == (value.replace("\r", "\n"), "s")
    assert (number.value, number.data_type) == (7, "n")


@pytest.mark.parametrize("value", ["Review the offer", "'tis written so", "", 3, None])
def test_other_values_are_written_and_read_unchanged(value):
    assert escape_formula(value) == value
    if isinstance(value, str):
        assert unescape_formula(value) == value
