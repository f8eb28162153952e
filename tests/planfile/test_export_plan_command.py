import json

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from .conftest import AREA, SEED, STRATEGY


@pytest.fixture
def seed_plan(import_plan):
    return import_plan(SEED.read_bytes())


def test_export_plan_writes_each_format(seed_plan, tmp_path, capsys):
    call_command("export_plan", "--area", AREA, "--strategy", STRATEGY, "--format", "json")
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 36
    assert rows[0]["Ref"] == "1.1" and rows[0]["By When"] == "February 2020"

    path = tmp_path / "plan.xlsx"
    call_command("export_plan", "--area", AREA, "--strategy", STRATEGY, "-o", str(path))
    sheet = openpyxl.load_workbook(path).active
    assert [cell.value for cell in sheet[1]][:6] == [
        "No",
        "Priority",
        "Ref",
        "Actions",
        "By whom",
        "By When",
    ]
    assert sheet.max_row == 37


def test_export_plan_names_the_strategies_of_the_area_when_one_is_unknown(seed_plan):
    with pytest.raises(CommandError, match=f'"{STRATEGY}"'):
        call_command("export_plan", "--area", AREA, "--strategy", "Nope", "--format", "csv")
