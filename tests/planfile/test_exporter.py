"""An exported plan re-imports as written, formula-like text included."""

import pytest

from actions.models import Action
from planfile.exporter import export_plan
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
