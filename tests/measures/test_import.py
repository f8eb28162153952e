"""Importing values files: the long and the wide layout, area matching, bad rows, re-import."""

import datetime
import io
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command

from measures.choices import Series
from measures.importer import ValuesImportError, area_key, values_import
from measures.models import AreaComparators, MeasureValue

LONG = """Measure,Area,Period,Value,Series,Note
EHC plans in 20 weeks; no exceptions,MEDWAY COUNCIL,Q1 2024-25,52.5,actual,SEN2 draft
EHC plans in 20 weeks; no exceptions,Medway,Q1 2024-25,60,target,
EHC plans in 20 weeks; no exceptions,England,Q1 2024-25,50.3,England,
EHC plans in 20 weeks; no exceptions,South East,Q1 2024-25,48,region,
EHC plans in 20 weeks; no exceptions,Thurrock Council,Q1 2024-25,55,neighbour,
EHC plans in 20 weeks; no exceptions,Kent,Q1 2024-25,41,,
"""


@pytest.fixture
def comparators(area):
    return AreaComparators.objects.create(
        area=area, region="South East", statistical_neighbours="Thurrock\nSwindon"
    )


@pytest.fixture
def named(measure):
    # The long file names the measure; a comma would split the CSV cell.
    measure.name = "EHC plans in 20 weeks; no exceptions"
    measure.save()
    return measure


def run(strategy, user, name, data, **kwargs):
    return values_import(strategy=strategy, file_name=name, data=data, user=user, **kwargs)


def wide_workbook(rows) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Table 3: EHC plans issued within 20 weeks (illustrative)"])
    sheet.append(["LA code", "Local authority", 2021, 2022, "2023"])
    for row in rows:
        sheet.append(row)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def test_long_layout_makes_each_series_from_the_area_named(
    strategy, plan_admin, named, comparators
):
    report = run(strategy, plan_admin, "values.csv", LONG.encode())
    found = {(v.series, v.comparator): v.value for v in MeasureValue.objects.all()}
    assert found == {
        (Series.ACTUAL, ""): Decimal("52.5"),
        (Series.TARGET, ""): Decimal("60"),
        (Series.ENGLAND, ""): Decimal("50.3"),
        (Series.REGION, "South East"): Decimal("48"),
        (Series.NEIGHBOUR, "Thurrock"): Decimal("55"),
    }
    assert report.unmatched == ["Row 7: Kent"]
    assert MeasureValue.objects.get(series=Series.ACTUAL).note == "SEN2 draft"


def test_reimporting_the_same_file_changes_nothing(strategy, plan_admin, named, comparators):
    run(strategy, plan_admin, "values.csv", LONG.encode())
    history = MeasureValue.history.count()
    report = run(strategy, plan_admin, "values.csv", LONG.encode())
    assert (len(report.created), len(report.updated), report.unchanged) == (0, 0, 5)
    assert MeasureValue.history.count() == history


def test_wide_layout_of_published_statistics_for_several_areas(
    strategy, plan_admin, measure, comparators
):
    data = wide_workbook(
        [
            ["E06000035", "Medway", 0.41, 0.552, "x"],
            ["E92000001", "ENGLAND", 59.9, 49.2, 50.3],
            ["E12000008", "South East", 55, 45.1, 44],
            ["E06000034", "Thurrock", 70, 60, 58],
            ["E10000016", "Kent", 30, 35, 40],
        ]
    )
    report = run(strategy, plan_admin, "sen2.xlsx", data, measure=measure)
    assert report.layout == "wide"
    medway = MeasureValue.objects.filter(series=Series.ACTUAL).order_by("period_end")
    assert [(v.period_label, v.value) for v in medway] == [
        ("2021", Decimal("0.41")),
        ("2022", Decimal("0.552")),
    ]  # "x" is the DfE's mark for a figure not published: reported, not an error
    assert report.suppressed == ["Row 3: Medway, 2023: “x” (not available)"]
    assert MeasureValue.objects.filter(series=Series.ENGLAND).count() == 3
    assert MeasureValue.objects.filter(comparator="Thurrock").count() == 3
    assert report.unmatched == ["Row 7: Kent"]


def test_a_percent_formatted_cell_is_read_as_shown(strategy, plan_admin, measure):
    workbook = openpyxl.Workbook()
    workbook.active.append(["Local authority", "2023"])
    workbook.active.append(["Medway", 0.583])
    workbook.active["B2"].number_format = "0.0%"
    output = io.BytesIO()
    workbook.save(output)
    run(strategy, plan_admin, "sen2.xlsx", output.getvalue(), measure=measure)
    assert MeasureValue.objects.get().value == Decimal("58.3")


def test_every_bad_row_is_named_and_nothing_is_written(strategy, plan_admin, named, comparators):
    name = named.name
    bad = "\n".join(
        [
            "Measure,Area,Period,Value,Series",
            f"{name},Medway,Q1 2024-25,52,actual",  # good, but not written
            "Unknown measure,Medway,2023,5,",
            f"{name},,2023,5,",
            f"{name},Medway,sometime,5,",
            f"{name},Medway,2023,lots,",
            f"{name},Medway,2022,z,",  # a suppression mark: no value, and no error
            f"{name},Medway,2023,5,guess",
            f"{name},England,2023,5,region",
            f"{name},Medway,Q1 2024-25,53,actual",
            ",Medway,2023,5,",
            f"{name},Medway,,5,",
        ]
    )
    with pytest.raises(ValuesImportError) as raised:
        run(strategy, plan_admin, "bad.csv", bad.encode())
    assert raised.value.errors == [
        "Row 3: no measure “Unknown measure” in this plan.",
        "Row 4: no area named.",
        "Row 5: the period “sometime” gives no end date "
        "(write it like 2023, Q2 2024-25 or 31/03/2025).",
        "Row 6: the value “lots” is not a number.",
        "Row 8: the series “guess” is not one of actual, target, England, region, neighbour.",
        "Row 9: the series is Region but the area England is England.",
        "Row 10: a second value for Medway, Q1 2024-25 (the first is in row 2).",
        "Row 11: no measure named.",
        "Row 12: no period given.",
    ]
    assert not MeasureValue.objects.exists()


def test_long_layout_suppression_marks_give_no_value_and_no_error(strategy, plan_admin, named):
    name = named.name
    marks = ["x", "c", "z", "low", "u", ":", "~", ""]
    rows = [f"{name},Medway,{2010 + i},{mark}" for i, mark in enumerate(marks)]
    data = "\n".join(["Measure,Area,Period,Value", *rows, f"{name},Medway,2023,41.5"])
    report = run(strategy, plan_admin, "values.csv", data.encode())
    assert [(v.period_label, v.value) for v in MeasureValue.objects.all()] == [
        ("2023", Decimal("41.5"))
    ]
    assert report.marks == {mark: 1 for mark in marks} | {"low": 1}
    assert report.suppressed[:2] == [
        "Row 2: Medway, 2010: “x” (not available)",
        "Row 3: Medway, 2011: “c” (confidential)",
    ]
    assert report.suppressed[-1] == "Row 9: Medway, 2017: blank"
    assert report.summary_lines()[1] == (
        "8 cells give no value: 1 blank, 1 “:” (not available), 1 “c” (confidential), "
        "1 “low” (rounds to 0, but is not 0), 1 “u” (low reliability), 1 “x” (not available), "
        "1 “z” (not applicable), 1 “~” (rounds to 0, but is not 0)."
    )


def test_long_layout_takes_dates_as_people_type_them(strategy, plan_admin, named):
    name = named.name
    data = "\n".join(
        [
            "Measure,Area,Period,Value,Period end",
            f"{name},Medway,31/12/2026,50,",
            f"{name},Medway,2025-12-31,49,",
            f"{name},Medway,Autumn 2024,47,31/12/2024",
            f"{name},Medway,31 March 2024,45,",
            f"{name},Medway,Spring term 2025,48,",
        ]
    )
    run(strategy, plan_admin, "values.csv", data.encode())
    assert [(v.period_label, v.period_end.isoformat()) for v in MeasureValue.objects.all()] == [
        ("31 March 2024", "2024-03-31"),
        ("Autumn 2024", "2024-12-31"),
        ("Spring term 2025", "2025-03-31"),
        ("2025-12-31", "2025-12-31"),
        ("31/12/2026", "2026-12-31"),
    ]


def test_a_date_typed_in_an_xlsx_cell_is_its_period_end(strategy, plan_admin, named):
    workbook = openpyxl.Workbook()
    workbook.active.append(["Measure", "Area", "Period", "Value"])
    workbook.active.append([named.name, "Medway", datetime.datetime(2026, 12, 31), 50])
    output = io.BytesIO()
    workbook.save(output)
    run(strategy, plan_admin, "values.xlsx", output.getvalue())
    assert MeasureValue.objects.get().period_end == datetime.date(2026, 12, 31)


def test_a_zip_that_is_not_a_workbook_gets_a_clear_message(strategy, plan_admin, measure):
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr("notes.txt", "not a workbook")
    with pytest.raises(ValuesImportError) as raised:
        run(strategy, plan_admin, "notes.xlsx", output.getvalue(), measure=measure)
    assert "could not be opened as an Excel workbook" in raised.value.errors[0]


def test_a_corrupt_workbook_gets_a_clear_message(strategy, plan_admin, measure):
    with pytest.raises(ValuesImportError) as raised:
        run(strategy, plan_admin, "broken.xlsx", b"PK\x03\x04 not really a zip", measure=measure)
    assert "could not be opened as an Excel workbook" in raised.value.errors[0]


def test_a_wide_file_needs_its_measure_named(strategy, plan_admin, measure):
    with pytest.raises(ValuesImportError, match="choose the measure"):
        run(strategy, plan_admin, "sen2.xlsx", wide_workbook([["x", "Medway", 1, 2, 3]]))


def test_officer_cannot_import_values(strategy, officer, named):
    with pytest.raises(PermissionDenied):
        run(strategy, officer, "values.csv", LONG.encode())


def test_area_names_match_as_people_write_them():
    assert area_key("MEDWAY") == area_key("Medway Council") == area_key("Medway (UA)")
    assert area_key("Southend-on-Sea Borough Council") == area_key("Southend on Sea")
    assert area_key("Brighton & Hove") == area_key("Brighton and Hove City Council")
    assert area_key("Kent County Council") == area_key("Kent")


def test_command_imports_a_wide_file_and_reports_unmatched_rows(
    tmp_path, strategy, measure, comparators, capsys
):
    path = tmp_path / "sen2.xlsx"
    path.write_bytes(wide_workbook([["E", "Medway", 40, 50, 55], ["E", "Kent", 1, 2, 3]]))
    out = io.StringIO()
    call_command(
        "import_measure_values",
        str(path),
        area="Medway",
        strategy=strategy.title,
        measure=measure.name,
        stdout=out,
    )
    assert "3 values added, 0 changed, 0 unchanged (wide layout)." in out.getvalue()
    assert "not matched: Row 4: Kent" in out.getvalue()
    with pytest.raises(CommandError, match="not imported; nothing was written"):
        call_command("import_measure_values", str(path), area="Medway", strategy=strategy.title)
