"""The DfE's statistics as published: tidy CSVs of every local authority, region and England."""

import datetime
import io
from decimal import Decimal

import pytest
import xlsxwriter
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from measures.choices import Series
from measures.importer import ValuesImportError, values_import
from measures.models import AreaComparators, Measure, MeasureValue
from measures.periods import period_end, tidy_period
from measures.values_file import MARKS, read_values
from priorities.models import LocalArea, Strategy
from tests.conftest import give_area

from .dfe import AGES, INDICATORS, PLACE_COLUMNS, YEARS, figure, row_of, tidy_csv, tidy_rows

NUMBER, PERCENT = INDICATORS
MEDWAY, KENT, SOUTH_EAST, ENGLAND = "E06000035", "E10000016", "E12000008", "E92000001"


@pytest.fixture
def medway_comparators(area):
    return AreaComparators.objects.create(
        area=area, la_code=MEDWAY, region="South East", statistical_neighbours="Thurrock\nSwindon"
    )


@pytest.fixture
def kent_measure(db):
    kent = LocalArea.objects.create(name="Kent")
    plan = Strategy.objects.create(area=kent, title="Kent SEND Strategy 2022-25")
    return Measure.objects.create(strategy=plan, name="EHC plans issued within 20 weeks")


def run(measure, user, data=None, name="ehc-plans.csv", **kwargs):
    return values_import(
        strategy=measure.strategy,
        measure=measure,
        file_name=name,
        data=tidy_csv() if data is None else data,
        user=user,
        **kwargs,
    )


def expected(places, column=PERCENT, breakdown="Total"):
    """{(series, comparator, label): value} of every figure not suppressed."""
    found = {}
    for year in YEARS:
        for series, comparator, code in places:
            text = figure(code, year, column, breakdown)
            if text not in MARKS:
                found[(series, comparator, str(year))] = Decimal(text)
    return found


def stored():
    return {(v.series, v.comparator, v.period_label): v.value for v in MeasureValue.objects.all()}


def test_a_tidy_file_is_known_by_its_columns_not_taken_for_a_wide_header():
    # Totals only: its first local authority row, within the first 20, looks like a wide
    # layout's header (an area column, "Local authority", and a period, 2019).
    totals = read_values("ehc-plans.csv", tidy_csv(tidy_rows(breakdowns=[("Total", "Total")])))
    assert (totals.layout, totals.tidy.indicators) == ("tidy", INDICATORS)
    values = read_values("ehc-plans.csv", tidy_csv())
    assert values.layout == "tidy"
    assert values.tidy.indicators == INDICATORS
    assert values.tidy.filters == {
        "breakdown_topic": ["Total", "Age"],
        "breakdown": ["Total", *AGES],
    }


def test_five_years_for_medway_land_on_each_series_and_period(
    strategy, plan_admin, measure, medway_comparators
):
    report = run(measure, plan_admin, column=PERCENT)
    assert stored() == expected(
        [
            (Series.ACTUAL, "", MEDWAY),
            (Series.ENGLAND, "", ENGLAND),
            (Series.REGION, "South East", SOUTH_EAST),
            (Series.NEIGHBOUR, "Thurrock", "E06000034"),
            (Series.NEIGHBOUR, "Swindon", "E06000030"),
        ]
    )
    assert {v.period_end for v in MeasureValue.objects.all()} == {
        datetime.date(year, 12, 31) for year in YEARS
    }
    # Suppressed cells are reported, each with what its mark means, and never stored.
    assert report.suppressed == [
        f"Row {row_of(MEDWAY, 2019)}: Medway, 2019: “x” (not available)",
        f"Row {row_of(MEDWAY, 2021)}: Medway, 2021: “c” (confidential)",
        f"Row {row_of('E06000034', 2023)}: Thurrock, 2023: “u” (low reliability)",
    ]
    lines = report.summary_lines()
    assert lines[0] == "22 values added, 0 changed, 0 unchanged (tidy layout)."
    assert (
        "Read the column percent_ehc_plans_issued_within_20_weeks, rows where "
        "breakdown_topic = Total, breakdown = Total." in lines
    )
    assert (
        "3 cells give no value: 1 “c” (confidential), 1 “u” (low reliability), "
        "1 “x” (not available)." in lines
    )
    # Every other row is deliberately left out, and counted.
    assert "Left out: 900 rows of other breakdown_topic, breakdown." in lines
    assert "Left out: 40 rows for other regions." in lines
    assert "Left out: 115 rows for other local authorities." in lines
    assert report.unmatched == []


def test_reimporting_the_published_file_changes_nothing(
    strategy, plan_admin, measure, medway_comparators
):
    run(measure, plan_admin, column=PERCENT)
    history = MeasureValue.history.count()
    report = run(measure, plan_admin, column=PERCENT)
    assert (len(report.created), len(report.updated), report.unchanged) == (0, 0, 22)
    assert MeasureValue.history.count() == history


def test_kent_without_a_region_takes_the_one_its_rows_name(plan_admin, kent_measure):
    user = give_area(plan_admin, kent_measure.strategy.area)
    report = run(kent_measure, user, column=PERCENT)
    assert stored() == expected(
        [
            (Series.ACTUAL, "", KENT),
            (Series.ENGLAND, "", ENGLAND),
            (Series.REGION, "South East", SOUTH_EAST),
        ]
    )
    assert report.suppressed == [f"Row {row_of(KENT, 2020)}: Kent, 2020: “z” (not applicable)"]
    assert (
        "Kent has no region set: its rows name South East, used for the region series "
        "(set it under “Comparators of areas” to keep it)." in report.summary_lines()
    )


def test_the_local_authority_code_is_matched_before_the_name(strategy, plan_admin, measure, area):
    # The plan's area is named unlike the DfE's la_name; its code finds it.
    area.name = "Medway Council and NHS Kent and Medway"
    area.save()
    AreaComparators.objects.create(area=area, la_code=MEDWAY)
    run(measure, plan_admin, column=PERCENT)
    actual = MeasureValue.objects.filter(series=Series.ACTUAL).values_list("value", flat=True)
    assert sorted(actual) == sorted(expected([(Series.ACTUAL, "", MEDWAY)]).values())


def test_a_breakdown_chosen_by_filter_and_its_low_cell_reported(
    strategy, plan_admin, measure, medway_comparators
):
    report = run(measure, plan_admin, column=NUMBER, filters={"breakdown": "Under 5"})
    actual = {
        label: value for (series, _, label), value in stored().items() if series == Series.ACTUAL
    }
    assert actual == {
        label: value
        for (_, _, label), value in expected(
            [(Series.ACTUAL, "", MEDWAY)], column=NUMBER, breakdown="Under 5"
        ).items()
    }
    assert "2022" not in actual
    assert report.marks == {"low": 1}
    assert report.tidy.totals == {"breakdown_topic": "Age"}  # the only one left


def test_a_filter_with_no_total_rows_asks_which(strategy, plan_admin, measure, medway_comparators):
    ages_only = [row for row in tidy_rows() if row[10] == "Age"]
    with pytest.raises(ValuesImportError) as raised:
        run(measure, plan_admin, tidy_csv(ages_only), column=NUMBER)
    assert raised.value.errors == [
        "The column breakdown has no total rows: choose which of its rows to read "
        "(Under 5, Age 5 to 10, Age 11 to 15, Age 16 to 19, Age 20 to 25)."
    ]


def test_all_ehc_plans_is_taken_as_the_total(strategy, plan_admin, measure, medway_comparators):
    header = [*PLACE_COLUMNS, "plan_type", PERCENT]
    place = ["2023", "Calendar year", "Local authority", ENGLAND, "England", SOUTH_EAST]
    place += ["South East", "887", MEDWAY, "Medway"]
    data = tidy_csv(
        [[*place, "All EHC plans", "61.2"], [*place, "New EHC plans", "48.0"]], header=header
    )
    report = run(measure, plan_admin, data, column=PERCENT)
    assert stored() == {(Series.ACTUAL, "", "2023"): Decimal("61.2")}
    assert report.left_out == {"of other plan_type": 1}


def test_rows_neither_used_nor_left_out_on_purpose_are_each_reported(
    strategy, plan_admin, measure, medway_comparators
):
    rows = tidy_rows(years=[2023], breakdowns=[("Total", "Total")])
    district = [*rows[-1][:2], "Local authority district", *rows[-1][3:]]
    wales = ["2023", "Calendar year", "National", "W92000004", "Wales"]
    wales += [*[""] * 5, "Total", "Total", "1", "2"]
    report = run(measure, plan_admin, tidy_csv([*rows, district, wales]), column=PERCENT)
    assert report.unmatched == [
        f"Row {len(rows) + 2}: the geographic level “Local authority district” (this import "
        "reads National, Regional and Local authority rows)",
        f"Row {len(rows) + 3}: national figures for Wales",
    ]
    assert "2 rows not matched to an area, and skipped." in report.summary_lines()


@pytest.mark.parametrize(
    ("time_identifier", "label", "end"),
    [
        ("Academic year", "2022-23", datetime.date(2023, 8, 31)),
        ("Financial year", "Financial year 2022-23", datetime.date(2023, 3, 31)),
    ],
)
def test_academic_and_financial_years_end_where_they_do(
    strategy, plan_admin, measure, medway_comparators, time_identifier, label, end
):
    rows = tidy_rows(time_identifier=time_identifier, years=[2022])
    run(measure, plan_admin, tidy_csv(rows), column=PERCENT)
    value = MeasureValue.objects.get(series=Series.ACTUAL)
    assert (value.period_label, value.period_end) == (label, end)


@pytest.mark.parametrize(
    ("time_period", "time_identifier", "label", "end"),
    [
        ("2022", "Calendar year", "2022", "2022-12-31"),
        ("202223", "Academic year", "2022-23", "2023-08-31"),
        ("202223", "Financial year", "Financial year 2022-23", "2023-03-31"),
        ("202223", "Tax year", "Tax year 2022-23", "2023-04-05"),
        ("2022", "Calendar year Q1", "Q1 2022", "2022-03-31"),
        ("202223", "Financial year Q1", "Q1 2022-23", "2022-06-30"),
        ("202223", "Academic year Q2", "Q2 academic year 2022-23", "2023-01-31"),
        ("2022", "February", "February 2022", "2022-02-28"),
        ("202223", "Autumn term", "Autumn term 2022", "2022-12-31"),
        ("202223", "Summer term", "Summer term 2023", "2023-07-31"),
    ],
)
def test_each_published_period_has_its_label_and_end(time_period, time_identifier, label, end):
    assert tidy_period(time_period, time_identifier) == (label, datetime.date.fromisoformat(end))
    assert period_end(label) == datetime.date.fromisoformat(end)  # the long layout reads it


def test_a_period_not_read_is_named(strategy, plan_admin, measure, medway_comparators):
    rows = tidy_rows(time_identifier="Reporting year", years=[2023])
    with pytest.raises(ValuesImportError) as raised:
        run(measure, plan_admin, tidy_csv(rows), column=PERCENT)
    assert raised.value.errors[0].endswith(
        "the period 202324 “Reporting year” is not one this import reads (calendar, academic, "
        "financial or tax years, their quarters, months and terms)."
    )


def test_a_file_with_nothing_for_the_plan_is_refused_saying_why(
    strategy, plan_admin, measure, medway_comparators
):
    others = [row for row in tidy_rows() if row[2] == "Local authority" and row[6] == "London"]
    with pytest.raises(ValuesImportError) as raised:
        run(measure, plan_admin, tidy_csv(others), column=PERCENT)
    assert raised.value.errors == [
        "The file gives no value for Medway, England, South East or its statistical "
        "neighbours: none of its rows is for these areas. Check the plan, or the area's "
        "code, region and neighbours under “Comparators of areas”."
    ]


def test_a_file_whose_every_figure_for_the_plan_is_suppressed_is_refused(
    strategy, plan_admin, measure, medway_comparators
):
    medway = [row for row in tidy_rows(years=[2019, 2021]) if row[8] == MEDWAY]
    with pytest.raises(ValuesImportError) as raised:
        run(measure, plan_admin, tidy_csv(medway), column=PERCENT)
    assert raised.value.errors == [
        "The file gives no value for Medway, England, South East or its statistical "
        "neighbours: every figure for them is suppressed or blank (1 “c”, 1 “x”)."
    ]


def test_the_indicator_column_must_be_chosen_from_the_files(
    strategy, plan_admin, measure, medway_comparators
):
    with pytest.raises(ValuesImportError) as raised:
        run(measure, plan_admin)
    assert raised.value.errors == [
        "Choose the indicator column to read: number_of_ehc_plans, "
        "percent_ehc_plans_issued_within_20_weeks."
    ]
    assert raised.value.report.tidy.indicators == INDICATORS
    with pytest.raises(ValuesImportError, match="no indicator column “breakdown”"):
        run(measure, plan_admin, column="breakdown")


def test_a_measure_keeps_its_column_and_filters_for_later_imports(
    strategy, plan_admin, measure, medway_comparators
):
    measure.source_column = NUMBER
    measure.source_filters = "breakdown = Age 5 to 10\n"
    measure.save()
    report = run(measure, plan_admin)
    assert report.tidy.column == NUMBER
    medway = MeasureValue.objects.get(series=Series.ACTUAL, period_label="2023")
    assert medway.value == Decimal(figure(MEDWAY, 2023, NUMBER, "Age 5 to 10"))


def test_a_workbook_written_by_xlsxwriter_reads(
    tmp_path, strategy, plan_admin, measure, medway_comparators
):
    # XlsxWriter keeps text in the shared strings table, as Excel does.
    output = io.BytesIO()
    workbook = xlsxwriter.Workbook(output, {"in_memory": True})
    sheet = workbook.add_worksheet()
    sheet.write_row(0, 0, [*PLACE_COLUMNS, "breakdown_topic", "breakdown", *INDICATORS])
    for number, row in enumerate(tidy_rows(years=[2023]), start=1):
        sheet.write_row(number, 0, [int(row[0]), *row[1:12], int(row[12]), row[13].strip()])
    workbook.close()
    run(measure, plan_admin, output.getvalue(), name="ehc-plans.xlsx", column=PERCENT)
    assert MeasureValue.objects.get(series=Series.ACTUAL).value == Decimal(
        figure(MEDWAY, 2023, PERCENT)
    )


def test_command_imports_with_column_and_filter_and_lists_suppressed_cells(
    tmp_path, strategy, measure, medway_comparators
):
    path = tmp_path / "ehc-plans.csv"
    path.write_bytes(tidy_csv())
    out = io.StringIO()
    call_command(
        "import_measure_values",
        str(path),
        area="Medway",
        strategy=strategy.title,
        measure=measure.name,
        column=NUMBER,
        filter_texts=["breakdown=Under 5"],
        stdout=out,
    )
    assert "1 cell gives no value: 1 “low” (rounds to 0, but is not 0)." in out.getvalue()
    assert f"no value: Row {row_of(MEDWAY, 2022, 'Under 5')}: Medway, 2022: “low”" in (
        out.getvalue()
    )
    assert MeasureValue.objects.filter(series=Series.ACTUAL).count() == 4


def test_command_refuses_a_useless_file_with_an_error(
    tmp_path, strategy, measure, medway_comparators
):
    path = tmp_path / "london.csv"
    path.write_bytes(tidy_csv([row for row in tidy_rows() if row[6] == "London"][1:]))
    with pytest.raises(CommandError, match="gives no value for Medway"):
        call_command(
            "import_measure_values",
            str(path),
            area="Medway",
            strategy=strategy.title,
            measure=measure.name,
            column=PERCENT,
            stdout=io.StringIO(),
        )
    with pytest.raises(CommandError, match="write it as COLUMN=VALUE"):
        call_command(
            "import_measure_values",
            str(path),
            area="Medway",
            strategy=strategy.title,
            measure=measure.name,
            filter_texts=["breakdown"],
        )
    assert not MeasureValue.objects.exists()


def test_command_exits_with_an_error_on_a_published_file_it_cannot_use(
    tmp_path, strategy, measure, medway_comparators
):
    path = tmp_path / "ehc-plans.csv"
    path.write_bytes(tidy_csv(tidy_rows(breakdowns=[("Total", "Total")])))
    with pytest.raises(CommandError, match="Choose the indicator column to read"):
        call_command(
            "import_measure_values",
            str(path),
            area="Medway",
            strategy=strategy.title,
            measure=measure.name,
            stdout=io.StringIO(),
        )
    assert not MeasureValue.objects.exists()


def test_a_measure_refuses_kept_filters_not_written_column_equals_value(measure):
    measure.source_filters = "breakdown=Under 5\nUnder 5"
    with pytest.raises(ValidationError, match="“Under 5” is not column=value"):
        measure.full_clean()
