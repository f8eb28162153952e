"""The demo's measures: illustrative figures over its meetings, and the as-at pack."""

import io

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.core.management import call_command
from django.urls import reverse

from governance.models import Meeting
from governance.selectors import board_pack
from measures.choices import Series
from measures.models import Measure, MeasureValue


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=io.StringIO())


def measure_rows() -> dict[str, int]:
    return {m._meta.label: m.objects.count() for m in apps.get_app_config("measures").get_models()}


def test_demo_strategy_has_illustrative_measures_with_targets_and_england(demo):
    measures = Measure.objects.filter(strategy__title="Joint SEND Strategy 2022-25")
    assert measures.count() == 4
    assert all(m.is_illustrative and m.baseline_value is not None for m in measures)
    for measure in measures:
        series = set(measure.values.values_list("series", flat=True))
        assert {Series.ACTUAL, Series.TARGET} <= series
    assert MeasureValue.objects.filter(series=Series.ENGLAND).exists()


def test_loading_the_demo_again_adds_no_rows(demo):
    before = measure_rows()
    call_command("load_demo", stdout=io.StringIO())
    assert measure_rows() == before


def test_last_pack_shows_the_value_known_then_not_the_later_correction(demo):
    meeting = Meeting.objects.filter(board__area__name="Medway", minutes__gt="").latest()
    pack = board_pack(meeting)
    first = pack.measures[0]
    current = MeasureValue.objects.get(
        measure=first.measure, series=Series.ACTUAL, period_end=first.judgement.latest.period_end
    )
    assert current.value == first.judgement.latest.value + 1  # corrected after the meeting
    assert first.judgement.earlier is not None


def test_demo_officer_enters_a_value_and_the_pages_say_the_figures_are_illustrative(demo, client):
    client.force_login(User.objects.get(username="officer"))
    measure = Measure.objects.get(name__startswith="EHC plans issued within 20 weeks")
    page = client.get(reverse("measures:detail", args=[measure.pk])).content.decode()
    assert "illustrative examples for the demonstration, not official statistics" in page
    response = client.post(
        reverse("measures:value_create", args=[measure.pk]),
        {"period_label": "Q4 2030-31", "value": "71", "note": "Entered in the demo"},
    )
    assert response.status_code == 302


def test_the_illustrative_wide_file_imports_comparators_for_several_areas(demo, settings):
    out = io.StringIO()
    path = settings.BASE_DIR / "fixtures" / "illustrative-tribunal-appeals-wide.csv"
    args = ["import_measure_values", str(path), "--area", "Medway"]
    args += ["--strategy", "Joint SEND Strategy 2022-25"]
    args += ["--measure", "SEND tribunal appeals per 10,000 EHC plans", "--user", "planadmin"]
    call_command(*args, stdout=out)
    assert "not matched: Row 9: Kent" in out.getvalue()
    values = MeasureValue.objects.filter(measure__name__startswith="SEND tribunal")
    assert set(values.values_list("comparator", flat=True)) == {
        "",
        "South East",
        "Thurrock",
        "Swindon",
    }
    again = io.StringIO()
    call_command(*args, stdout=again)
    assert "0 values added, 0 changed, 15 unchanged (wide layout)." in again.getvalue()
