"""The public pages on a phone, by keyboard and in print, and the publishing workflow, on
the demo data; every page passes axe."""

import csv
import io

import pytest
from django.core.cache import caches
from django.core.management import call_command
from playwright.sync_api import expect

from .conftest import axe_violations

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 375, "height": 812}


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=io.StringIO())


def open_joint_strategy(page, live_server):
    page.goto(f"{live_server.url}/public/")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Medway: Joint SEND Strategy 2022-25").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Joint SEND Strategy 2022-25")


def test_a_visitor_on_a_phone_reads_easy_read_progress_and_you_said_we_did(page, live_server, demo):
    page.set_viewport_size(PHONE)
    open_joint_strategy(page, live_server)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert axe_violations(page) == []

    priority = page.get_by_role("region", name="Priority 5: Working together")
    expect(priority.get_by_text("Families helped write this strategy.")).to_be_visible()
    full_text = priority.get_by_text("Medway Parents and Carers Forum co-chairs the review")
    expect(full_text).to_be_hidden()
    priority.get_by_text("Read the full progress summary").click()
    expect(full_text).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert axe_violations(page) == []

    said = page.get_by_role("region", name="Public consultation on the draft strategy")
    expect(said).to_contain_text("23 September 2022")
    expect(said).to_contain_text("We promised to show the progress")

    with page.expect_download() as download:
        page.get_by_role("link", name="The plan as a spreadsheet (CSV)").click()
    rows = list(csv.DictReader(io.StringIO(download.value.path().read_text("utf-8-sig"))))
    assert "Shorten waits for autism and ADHD assessments" in {r["Action title"] for r in rows}


def test_keyboard_reaches_the_skip_link_first_and_opens_the_full_text(page, live_server, demo):
    open_joint_strategy(page, live_server)
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#main-content")).to_be_focused()

    summary = page.locator("#priority-1 summary")
    summary.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#priority-1 details")).to_have_attribute("open", "")
    expect(page.locator("#priority-1 .govuk-details__text")).to_be_visible()
    page.keyboard.press("Space")
    expect(page.locator("#priority-1 details")).not_to_have_attribute("open", "")


def test_print_leaves_out_the_header_and_contents(page, live_server, demo):
    open_joint_strategy(page, live_server)
    page.emulate_media(media="print")
    expect(page.locator("header")).to_be_hidden()
    expect(page.get_by_role("navigation", name="On this page")).to_be_hidden()
    expect(page.get_by_role("heading", name="You said, we did")).to_be_visible()
    expect(page.locator("#priority-1 .govuk-details__text")).to_be_hidden()
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    expect(page.locator("#priority-1 .govuk-details__text")).to_be_visible()


def test_a_plan_admin_approves_the_officers_draft_and_it_appears(
    page, browser, live_server, demo, sign_in
):
    page.goto(f"{live_server.url}/public/")
    open_joint_strategy(page, live_server)
    easy_read = "Some families wait too long for an assessment."
    expect(page.get_by_text(easy_read)).to_have_count(0)

    sign_in("planadmin", "planadmin-demo-pass")
    page.get_by_role("link", name="Public pages").click()
    assert axe_violations(page) == []
    page.get_by_role("link", name="Medway: Joint SEND Strategy 2022-25").click()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Approve and publish priority 3").click()
    expect(page.get_by_text("shows on the public page within a minute")).to_be_visible()

    # As the minute passing would: the server's cached page expires, and a visitor whose
    # browser has not kept the page for its minute (max-age) sees the change.
    caches["public"].clear()
    visitor = browser.new_page()
    open_joint_strategy(visitor, live_server)
    expect(visitor.get_by_text(easy_read)).to_be_visible()
    visitor.close()


def test_an_officer_records_an_engagement(page, live_server, demo, sign_in):
    sign_in("officer", "officer-demo-pass")
    page.get_by_role("link", name="You said, we did").click()
    assert axe_violations(page) == []
    page.get_by_role("link", name="Record an engagement about Medway: Joint SEND").click()
    page.get_by_role("button", name="Save engagement").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter what people said.")
    assert axe_violations(page) == []

    page.get_by_label("Title").fill("Termly parent survey")
    page.get_by_label("Date").fill("2026-10-01")
    page.get_by_label("Parents and carers", exact=True).check()
    page.get_by_label("Survey", exact=True).check()
    page.get_by_label("Consult", exact=True).check()
    page.get_by_label("What people said").fill("Letters about assessments are hard to read.")
    page.get_by_label("What changed as a result").fill("Letters were rewritten with the forum.")
    page.get_by_label("3.1 Agree a recovery plan").check()
    page.get_by_role("button", name="Save engagement").click()
    expect(page.get_by_text("Engagement “Termly parent survey” saved.")).to_be_visible()
    expect(page.get_by_text("Not published").first).to_be_visible()
