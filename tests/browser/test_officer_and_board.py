"""An officer updates an action; a board member reads the dashboard; every page passes axe."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from actions.models import Action

from .conftest import axe_violations

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def overdue_action(action):
    Action.objects.filter(pk=action.pk).update(due_date=datetime.date(2019, 12, 31))
    return action


def test_an_officer_updates_a_status_with_a_note_and_sees_it_on_the_timeline(
    sign_in, officer, overdue_action
):
    page = sign_in("olivia")
    expect(page.get_by_role("heading", name="My actions")).to_be_visible()
    page.get_by_role("link", name="Update action 1.1").click()

    page.get_by_label("In progress").check()
    page.get_by_role("button", name="Save update").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()  # GOV.UK Frontend moves focus to the error summary
    summary.get_by_role("link", name="Add a note saying why").click()
    expect(page.get_by_label("Progress note")).to_be_focused()

    page.get_by_label("Amber").check()
    page.get_by_label("Percent complete").fill("30")
    page.get_by_label("Progress note").fill("Parent survey sent to 40 schools.")
    page.get_by_role("button", name="Save update").click()

    expect(page.get_by_text("Action 1.1 updated.")).to_be_visible()
    timeline = page.get_by_role("region", name="History", exact=True)
    row = timeline.get_by_role("row").filter(has_text="Parent survey sent to 40 schools.")
    expect(row).to_contain_text("Not started")
    expect(row).to_contain_text("In progress")
    expect(row).to_contain_text("Amber")
    expect(row).to_contain_text("Olivia")


def test_a_board_member_follows_an_overdue_count_and_cannot_update(
    sign_in, board_member, overdue_action, live_server
):
    page = sign_in("bola")
    expect(page.get_by_role("heading", name="Plans and dashboards")).to_be_visible()
    page.get_by_role("link", name="Joint SEND Strategy 2022-25 dashboard").click()
    page.get_by_role("link", name="1 overdue action in all priorities").click()
    expect(page.get_by_role("heading", name="1 action")).to_be_visible()
    expect(page.get_by_label("Overdue")).to_be_checked()
    page.get_by_role("link", name="1.1", exact=True).click()
    expect(page.get_by_role("heading", name="Action 1.1")).to_be_visible()
    expect(page.get_by_role("link", name="Update this action")).to_have_count(0)

    response = page.goto(f"{live_server.url}/actions/{overdue_action.pk}/update/")
    assert response.status == 403
    expect(page.get_by_role("heading", name="You cannot do that")).to_be_visible()


def test_every_officer_page_passes_axe(sign_in, officer, overdue_action, live_server):
    failed = []
    page = sign_in("olivia")
    page.on("response", lambda r: r.status >= 400 and failed.append((r.status, r.url)))
    base = live_server.url
    for path in ["/", f"/actions/{overdue_action.pk}/", f"/actions/{overdue_action.pk}/update/"]:
        page.goto(base + path)
        assert axe_violations(page) == [], path
    page.get_by_label("Percent complete").fill("250")
    page.get_by_role("button", name="Save update").click()
    expect(page.get_by_role("alert").filter(has_text="There is a problem")).to_be_visible()
    assert axe_violations(page) == [], "update form with errors"
    assert failed == []


def test_every_board_page_passes_axe(page, sign_in, board_member, overdue_action, live_server):
    failed = []
    page.on("response", lambda r: r.status >= 400 and failed.append((r.status, r.url)))
    page.goto(f"{live_server.url}/sign-in/")
    assert axe_violations(page) == [], "sign in"
    sign_in("bola")
    strategy = overdue_action.priority.strategy_id
    for path in [
        "/plans/",
        f"/plans/{strategy}/",
        f"/plans/{strategy}/?stale_days=none",
        f"/plans/{strategy}/changes/",
        f"/plans/{strategy}/actions/?overdue=on",
        f"/plans/{strategy}/actions/?status=bogus",
        f"/actions/{overdue_action.pk}/update/",
    ]:
        page.goto(live_server.url + path)
        assert axe_violations(page) == [], path
    # Only the pages meant to refuse: the bad filter (400) and the update form (403).
    assert [status for status, url in failed] == [400, 403]
    assert not [url for _, url in failed if re.search(r"\.(css|js|woff2?|svg|png)$", url)]
