"""The demo's update round: the plan admin starts it, the officer's request arrives, the
officer updates one action from its link, the round page and the pack show it."""

import io
import re

import pytest
from django.core import mail
from django.core.management import call_command
from playwright.sync_api import expect

from governance.models import Meeting

from .conftest import axe_violations

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", stdout=io.StringIO())


def test_plan_admin_runs_a_round_and_the_officer_updates_from_the_request(
    demo, sign_in, page, live_server, settings
):
    settings.SENDPLAN_SITE_URL = live_server.url
    sign_in("planadmin", "planadmin-demo-pass")
    page.get_by_role("link", name="Update rounds").click()
    meeting = Meeting.objects.filter(board__kind="partnership").latest()
    label = f"for SEND Partnership Board, {meeting.date.day} {meeting.date:%B %Y}"
    page.get_by_role("link", name=f"Start an update round {label}").click()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Start the round and e-mail the owners").click()
    expect(page.get_by_text("Update round started. E-mailed")).to_be_visible()
    assert axe_violations(page) == []

    [request] = [m for m in mail.outbox if m.to == ["olive.officer@example.org"]]
    link = re.search(r"Update it: (\S+)", request.body)[1]
    total = int(re.search(r"of (\d+) actions updated", page.locator("#overall").inner_text())[1])
    expect(page.locator("#overall")).to_contain_text(f"0 of {total} actions updated")

    page.get_by_role("button", name="Sign out").click()
    sign_in("officer", "officer-demo-pass")
    page.goto(link)
    page.get_by_label("Percent complete").fill("55")
    page.get_by_label("Progress note").fill("Checked before the board.")
    page.get_by_role("button", name="Save update").click()
    expect(page.get_by_text("updated.")).to_be_visible()

    page.get_by_role("link", name="Reminder settings").click()
    expect(page.get_by_role("heading", name="Reminder settings")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_label("At most once a week").check()
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("Your reminder settings are saved.")).to_be_visible()

    page.get_by_role("button", name="Sign out").click()
    sign_in("planadmin", "planadmin-demo-pass")
    page.goto(f"{live_server.url}/rounds/{meeting.update_round.pk}/")
    expect(page.locator("#overall")).to_contain_text(f"1 of {total} actions updated")
    page.goto(f"{live_server.url}{meeting.get_absolute_url()}")
    expect(page.get_by_text(f"1 of {total} actions updated since")).to_be_visible()
    assert axe_violations(page) == []
