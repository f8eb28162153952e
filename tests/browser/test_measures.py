"""Measures in the browser: the demo's last pack as at its meeting, a measure's chart and
table, an officer entering a value, and axe-core on every new page."""

import io

import pytest
from django.core.management import call_command

from governance.models import Meeting
from measures.models import Measure

from .conftest import axe_violations


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", stdout=io.StringIO())


def test_board_member_reads_the_measures_of_the_last_pack_as_at_the_meeting(
    demo, page, sign_in, live_server
):
    meeting = Meeting.objects.filter(board__area__name="Medway", minutes__gt="").latest()
    measure = Measure.objects.get(name__startswith="EHC plans issued within 20 weeks")
    latest = measure.values.filter(series="actual").latest("period_end")
    sign_in("board", "board-demo-pass")
    page.goto(f"{live_server.url}/governance/meetings/{meeting.pk}/")
    section = page.locator("#measures ~ div table").first
    row = section.locator("tr", has_text=measure.name)
    # The value corrected after the meeting is shown as it was known then.
    assert f"{latest.value - 1:.0f}% in {latest.period_label}" in row.inner_text()
    assert "previous meeting" in row.inner_text()
    assert axe_violations(page) == []

    page.get_by_role("link", name=measure.name).first.click()
    assert page.locator("svg[role=img] title").text_content().startswith(measure.name)
    table = page.get_by_role("table").first
    assert f"{latest.value:.0f}%" in table.inner_text()  # today's page: the corrected value
    assert axe_violations(page) == []
    page.emulate_media(media="print")
    assert page.get_by_role("link", name="Enter a value").count() == 0
    assert axe_violations(page) == []


def test_officer_enters_a_value_for_a_measure_they_own(demo, page, sign_in, live_server):
    measure = Measure.objects.get(name__startswith="Annual reviews of EHC plans")
    sign_in("officer", "officer-demo-pass")
    page.goto(f"{live_server.url}/plans/{measure.strategy_id}/measures/")
    assert axe_violations(page) == []
    page.get_by_role("link", name=measure.name).click()
    page.get_by_role("link", name="Enter a value").click()
    page.get_by_role("button", name="Save value").click()
    assert page.get_by_role("alert").filter(has_text="There is a problem").is_visible()
    assert axe_violations(page) == []
    page.get_by_label("Period", exact=True).fill("Q4 2030-31")
    page.get_by_label("Value", exact=True).fill("91")
    page.get_by_label("Note").fill("From the case system.")
    page.get_by_role("button", name="Save value").click()
    assert page.get_by_text("Value saved for Q4 2030-31").is_visible()
    assert "91%" in page.get_by_role("table").first.inner_text()


def test_dashboard_and_action_page_show_measures_and_pass_axe(demo, page, sign_in, live_server):
    measure = Measure.objects.get(name__startswith="EHC plans issued within 20 weeks")
    action = measure.actions.get()
    sign_in("board", "board-demo-pass")
    page.goto(f"{live_server.url}/plans/{measure.strategy_id}/")
    assert measure.name in page.locator("#impact ~ div table").first.inner_text()
    assert axe_violations(page) == []
    page.goto(f"{live_server.url}/actions/{action.pk}/")
    assert page.get_by_role("link", name=measure.name).is_visible()
    assert axe_violations(page) == []
