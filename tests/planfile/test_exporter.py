"""An exported plan re-imports as written, formula-like text included."""

import csv
import datetime
import io

import openpyxl
import pytest

from actions.choices import Rag
from actions.models import Action, ProgressUpdate
from planfile.exporter import COLUMNS, export_plan
from planfile.layout import read_plan
from sendplan.spreadsheets import FORMULA_STARTS


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_text_starting_with_a_formula_character_reads_back_as_written(action, start, file_format):
    action.text = f"{start}SUM(A1:A9) families asked for"
    action.save()
    (row,) = read_plan(f"plan.{file_format}", export_plan(Action.objects.all(), file_format))
    # The reader keeps text as written but for whitespace, which a leading tab or CR is.
    assert row.text == " ".join(action.text.split())


def test_xlsx_export_types_numbers_and_dates_and_is_laid_out_for_reading(action):
    action.rag, action.percent_complete = Rag.RED, 40
    action.deadline_text, action.due_date = "March 2021", datetime.date(2021, 3, 31)
    action.save()

    workbook = openpyxl.load_workbook(io.BytesIO(export_plan(Action.objects.all(), "xlsx")))

    sheet = workbook.active
    header, row = [[cell for cell in cells] for cells in sheet.iter_rows()]
    titles = [cell.value for cell in header]
    assert titles == list(COLUMNS.values())
    assert all(cell.font.bold for cell in header)
    assert (sheet.freeze_panes, sheet.auto_filter.ref) == ("A2", "A1:K2")
    assert sheet.column_dimensions["D"].width == 70
    cell = dict(zip(titles, row, strict=True))
    assert cell["No"].value == action.priority.number
    assert cell["Due date"].value == datetime.datetime(2021, 3, 31)
    assert cell["Due date"].is_date
    assert (cell["% complete"].value, cell["% complete"].number_format) == (0.4, "0%")
    rag = cell["RAG"]
    assert rag.value == "Red" and rag.fill.fill_type == "solid"
    assert rag.fill.start_color.rgb.endswith("F4B6B6")
    assert cell["By When"].value == "March 2021"


def test_csv_export_has_the_same_columns_with_the_due_date_in_iso_form(action, plan_admin):
    action.deadline_text, action.due_date = "March 2021", datetime.date(2021, 3, 31)
    action.save()
    for day, note in ((5, "Newest"), (2, "Older")):
        ProgressUpdate.objects.create(
            action=action,
            author=plan_admin,
            note=note,
            created_at=datetime.datetime(2021, 1, day, 9, tzinfo=datetime.UTC),
        )

    text = export_plan(Action.objects.all(), "csv").decode("utf-8-sig")

    header, row = csv.reader(io.StringIO(text))
    assert header == list(COLUMNS.values())
    cells = dict(zip(header, row, strict=True))
    assert (cells["Due date"], cells["Last update"]) == ("2021-03-31", "05 Jan 2021: Newest")
