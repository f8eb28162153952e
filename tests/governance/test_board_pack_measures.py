"""The pack's measures: the latest value known at the end of the meeting day, never later ones."""

import datetime
from decimal import Decimal
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from governance.export import board_pack_workbook
from governance.selectors import board_pack
from measures.choices import Better, Direction, Frequency, Series, Unit
from measures.models import Measure
from measures.periods import period_end
from measures.services import value_record

from .conftest import on

FIRST = datetime.date(2026, 4, 14)
MEETING = datetime.date(2026, 7, 7)


def enter(measure, label, value, user, *, series=Series.ACTUAL, note=""):
    value_record(
        measure=measure,
        period_end=period_end(label),
        period_label=label,
        value=Decimal(str(value)),
        series=series,
        user=user,
        note=note,
    )


@pytest.fixture
def measure(strategy, owner, plan_admin, officer):
    with on(FIRST - datetime.timedelta(days=30)):
        measure = Measure.objects.create(
            strategy=strategy,
            name="Annual reviews completed on time",
            unit=Unit.PERCENT,
            better=Better.HIGHER,
            frequency=Frequency.QUARTERLY,
            owner=owner,
        )
        enter(measure, "Q4 2025-26", 70, plan_admin, series=Series.TARGET)
        enter(measure, "Q3 2025-26", 60, officer)
        enter(measure, "Q3 2025-26", 55, plan_admin, series=Series.ENGLAND)
    with on(MEETING, 23, 30):  # still the meeting day in London
        enter(measure, "Q4 2025-26", 66, officer)
        enter(measure, "Q4 2025-26", 56, plan_admin, series=Series.ENGLAND)
    with on(MEETING + datetime.timedelta(days=1), 0, 30):  # the next day
        enter(measure, "Q4 2025-26", 72, officer, note="Late returns.")
        enter(measure, "Q1 2026-27", 80, officer)
    return measure


def test_pack_shows_the_latest_value_known_at_the_end_of_the_meeting_day(measure, make_meeting):
    make_meeting(FIRST, "April board")
    pack = board_pack(make_meeting(MEETING, "July board"))
    (figures,) = pack.measures
    j = figures.judgement
    assert (j.latest.period_label, j.latest.value) == ("Q4 2025-26", Decimal("66"))
    assert (j.track_words, j.since_previous) == ("Off track", Direction.BETTER)
    assert (j.earlier.value, j.since_earlier) == (Decimal("60"), Direction.BETTER)
    assert figures.latest_comparators == [("England", "56%")]


def test_a_value_entered_today_does_not_change_an_old_pack(measure, make_meeting, officer):
    meeting = make_meeting(MEETING)
    before = board_pack(meeting).measures[0].judgement.latest
    enter(measure, "Q2 2026-27", 90, officer)
    enter(measure, "Q4 2025-26", 10, officer, note="Recount.")
    assert board_pack(meeting).measures[0].judgement.latest == before


def test_a_measure_made_after_the_meeting_is_not_in_its_pack(measure, make_meeting, strategy):
    meeting = make_meeting(MEETING)
    Measure.objects.create(strategy=strategy, name="Added later")
    assert [f.measure.name for f in board_pack(meeting).measures] == [measure.name]


def test_pack_workbook_has_a_measures_sheet_with_a_native_chart(measure, make_meeting):
    workbook = load_workbook(BytesIO(board_pack_workbook(board_pack(make_meeting(MEETING)))))
    sheet = workbook["Measures"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert ["Annual reviews completed on time", "Q4 2025-26", 66, 70, "Off track"] == rows[1][:5]
    (chart,) = sheet._charts
    # The chart reads the figures written for it: its first line is the actual values.
    title_ref = chart.series[0].tx.strRef.f.split("!")[1].replace("$", "")
    assert sheet[title_ref].value == "Actual"
    values_ref = chart.series[0].val.numRef.f.split("!")[1].replace("$", "")
    assert [row[0].value for row in sheet[values_ref]] == [60, 66]


def test_pack_query_count_does_not_grow_with_measures_or_values(
    measure, make_meeting, strategy, plan_admin
):
    make_meeting(FIRST)
    meeting = make_meeting(MEETING)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            board_pack(meeting)
        return len(queries)

    small = count()
    with on(FIRST):
        for number in range(20):
            extra = Measure.objects.create(strategy=strategy, name=f"Measure {number}")
            for year in range(2000, 2010):
                enter(extra, str(year), number + year % 7, plan_admin)
    assert len(board_pack(meeting).measures) == 21
    assert count() == small


def test_a_measure_name_that_looks_like_a_formula_stays_text_in_the_workbook(measure, make_meeting):
    measure.name = '=HYPERLINK("http://x","y")'
    measure.save()
    data = board_pack_workbook(board_pack(make_meeting(MEETING)))
    sheet = load_workbook(BytesIO(data))["Measures"]
    assert (sheet["A2"].value, sheet["A2"].data_type) == ('=HYPERLINK("http://x","y")', "s")
