"""The demo's dashboard, a past pack, a future pack and an action page on a 375 px phone:
nothing scrolls sideways but the tables' own labelled regions, and axe finds nothing."""

import io

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from actions.models import Action
from governance.models import Meeting

from .conftest import axe_violations

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def board_page(live_server, client, page):
    """The demo, and the page signed in as its board member."""
    call_command("load_demo", stdout=io.StringIO())
    client.force_login(User.objects.get(username="board"))
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    return page


def phone_pages() -> dict[str, str]:
    today = timezone.localdate()
    meetings = Meeting.objects.filter(board__kind="partnership")
    plan = meetings.latest().strategy_id
    action = Action.objects.get(reference="3.1", priority__strategy=plan)
    return {
        "dashboard": f"/plans/{plan}/",
        "past pack": meetings.filter(date__lt=today).latest().get_absolute_url(),
        "future pack": meetings.filter(date__gt=today).latest().get_absolute_url(),
        "action page": f"/actions/{action.pk}/",
    }


def test_board_pages_fit_a_375_px_phone_and_pass_axe(board_page, live_server):
    page = board_page
    page.set_viewport_size({"width": 375, "height": 800})
    for name, path in phone_pages().items():
        page.goto(live_server.url + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"{name} is {width} px wide"
        assert axe_violations(page) == [], name


def test_the_dashboard_puts_what_needs_attention_first_at_375_px(board_page, live_server):
    page = board_page
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(live_server.url + phone_pages()["dashboard"])
    first_heading = page.locator("main h2").first
    expect(first_heading).to_have_text("What needs attention")
    expect(page.get_by_role("heading", name="need attention, worst first")).to_be_visible()
    region = page.get_by_role("region", name="actions need attention, worst first")
    expect(region).to_be_visible()
    # The exceptions table scrolls inside its own region, reachable from the keyboard.
    assert region.evaluate("e => e.scrollWidth > e.clientWidth && e.tabIndex === 0")
    expect(page.get_by_role("img", name="Priority 1")).to_have_count(2)  # status and RAG bars


def test_a_future_pack_says_it_is_a_preview(board_page, live_server):
    page = board_page
    page.goto(live_server.url + phone_pages()["future pack"])
    expect(page.get_by_text("Preview: these papers have not been published")).to_be_visible()
    expect(page.get_by_role("link", name="Record a review")).to_have_count(0)
