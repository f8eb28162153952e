"""A board member opens the demo's last board pack and records a review with a follow-up."""

import io
import json
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from actions.models import Action
from governance.models import Meeting

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"

pytestmark = [
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium"),
    pytest.mark.skipif(not AXE.exists(), reason="needs axe-core: run npm ci"),
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM}


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", stdout=io.StringIO())


@pytest.fixture
def board_page(demo, live_server, client, page):
    client.force_login(User.objects.get(username="board"))
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    return page


def assert_no_axe_violations(page) -> None:
    # Evaluated by the browser's devtools, which the pages' CSP does not restrict (a
    # script tag added to the page would be refused by it, as it should be).
    page.evaluate(AXE.read_text())
    result = page.evaluate("async () => await axe.run(document)")
    violations = [(v["id"], [n["target"] for n in v["nodes"]]) for v in result["violations"]]
    assert violations == [], json.dumps(violations, indent=1)


def test_board_member_reads_the_pack_and_records_a_review_with_a_follow_up(board_page, live_server):
    page = board_page
    meeting = Meeting.objects.filter(
        board__kind="partnership", date__lt=timezone.localdate()
    ).latest()
    page.goto(f"{live_server.url}{meeting.get_absolute_url()}")
    exceptions = page.locator("#exceptions + p + div table")
    assert "At risk" in exceptions.locator("tr", has_text="3.1").inner_text()  # not today's
    assert page.locator("#changes").is_visible()
    assert_no_axe_violations(page)

    # Opened again, the published papers arrive compressed as they were kept, and read the same.
    first = page.locator("main").inner_text()
    response = page.goto(f"{live_server.url}{meeting.get_absolute_url()}")
    assert response.headers["content-encoding"] == "gzip"
    assert page.locator("main").inner_text() == first
    expect(page.get_by_text("The SEND strategy action plan of the local area")).to_be_visible()
    assert_no_axe_violations(page)

    page.get_by_role("link", name="Record a review").click()
    page.get_by_role("button", name="Record review").click()
    expect(page.get_by_role("alert").filter(has_text="There is a problem")).to_be_visible()
    assert_no_axe_violations(page)

    page.get_by_label("What did the board review?").select_option(label="Priority 5 as a whole")
    page.get_by_label("Amber").check()
    page.get_by_label("Comment").fill("The forum wants termly reports.")
    follow_up = page.get_by_role("group", name="Follow-up action 1")
    follow_up.get_by_label("Action").fill("Publish the survey results on the Local Offer.")
    follow_up.get_by_label("Owner").select_option(label="Medway Parents and Carers Forum")
    follow_up.get_by_label("Day").fill("28")
    follow_up.get_by_label("Month").fill("2")
    follow_up.get_by_label("Year").fill("2027")
    page.get_by_role("button", name="Record review").click()

    expect(page.get_by_text("Follow-up actions added to the plan: 5.3")).to_be_visible()
    reviews = page.locator("#reviews ~ div table").first
    assert "Publish the survey results" in reviews.inner_text()
    assert_no_axe_violations(page)
    created = Action.objects.get(priority__strategy=meeting.strategy, reference="5.3")
    assert [owner.name for owner in created.owners.all()] == ["Medway Parents and Carers Forum"]

    page.goto(f"{live_server.url}{reverse('actions:list', args=[meeting.strategy.pk])}")
    assert "Publish the survey results on the Local Offer." in page.locator("main").inner_text()


def test_the_next_meetings_papers_are_a_preview_on_screen_and_on_paper(board_page, live_server):
    page = board_page
    coming = Meeting.objects.filter(
        board__kind="partnership", date__gt=timezone.localdate()
    ).earliest()
    page.goto(f"{live_server.url}{coming.get_absolute_url()}")
    banner = page.locator(".app-preview-banner")
    expect(banner).to_have_text("Preview: these papers have not been published")
    expect(page.get_by_text("The papers are due by")).to_be_visible()
    assert_no_axe_violations(page)
    # Printed, the label is fixed to the page box, so every printed page carries it.
    page.emulate_media(media="print")
    expect(banner).to_be_visible()
    assert banner.evaluate("element => getComputedStyle(element).position") == "fixed"


def test_decision_log_is_accessible_and_filters(board_page, live_server):
    page = board_page
    page.goto(f"{live_server.url}/governance/decisions/")
    assert_no_axe_violations(page)
    # Kent's decision is not the Medway board member's to see.
    page.get_by_label("Search decisions").fill("21/00019")
    page.get_by_role("button", name="Apply filters").click()
    assert page.get_by_text("0 decisions", exact=True).is_visible()
    page.get_by_label("Search decisions").fill("Safety Valve")
    page.get_by_role("button", name="Apply filters").click()
    assert page.get_by_text("1 decision", exact=True).is_visible()
    title = "Joint SEND Strategy 2022-25: publication of the final strategy"
    page.get_by_role("link", name=title).click()
    assert page.get_by_text("published the final version", exact=False).is_visible()
    assert_no_axe_violations(page)
