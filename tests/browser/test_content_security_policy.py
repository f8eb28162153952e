"""The pages and the admin work under the Content-Security-Policy, which blocks inline script."""

import io

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from actions.models import Action
from governance.models import Decision, Meeting
from measures.models import Measure
from priorities.models import Strategy

pytestmark = pytest.mark.django_db(transaction=True)

# Recorded from the start of every document, before the page's own scripts run.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", e => window.__cspViolations.push(
    `${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
"""


@pytest.fixture
def demo_page(transactional_db, live_server, page):
    call_command("load_demo", stdout=io.StringIO())
    page.add_init_script(RECORD_VIOLATIONS)
    console = []
    page.on("console", lambda message: console.append(message.text))

    def sign_in_as(username):
        client = Client()
        client.force_login(User.objects.get(username=username))
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        page.context.add_cookies(
            [{"name": cookie.key, "value": cookie.value, "url": live_server.url}]
        )

    def visit(path):
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        assert "default-src 'self'" in response.headers["content-security-policy"], path
        violations = page.evaluate("window.__cspViolations")
        refused = [text for text in console if "Content Security Policy" in text]
        assert violations == [] and refused == [], (path, violations, refused)
        return page

    return sign_in_as, visit


def test_the_pages_run_their_scripts_under_the_policy(demo_page):
    sign_in_as, visit = demo_page
    page = visit("/sign-in/")
    classes = page.evaluate("document.body.className")
    assert "js-enabled" in classes and "govuk-frontend-supported" in classes

    sign_in_as("planadmin")
    strategy = Strategy.objects.get(title="Joint SEND Strategy 2022-25")
    action = Action.objects.filter(priority__strategy=strategy).first()
    meeting = Meeting.objects.filter(strategy=strategy).first()
    for path in [
        reverse("home"),
        reverse("actions:strategies"),
        reverse("actions:dashboard", args=[strategy.pk]),
        reverse("actions:changes", args=[strategy.pk]),
        reverse("actions:list", args=[strategy.pk]),
        reverse("actions:detail", args=[action.pk]),
        reverse("actions:update", args=[action.pk]),
        reverse("governance:meeting_list"),
        reverse("governance:meeting_pack", args=[meeting.pk]),
        reverse("governance:review_create", args=[meeting.pk]),
        reverse("governance:decision_list"),
        reverse("governance:decision_detail", args=[Decision.objects.first().pk]),
        reverse("measures:list", args=[strategy.pk]),
        reverse("measures:detail", args=[Measure.objects.filter(strategy=strategy).first().pk]),
    ]:
        page = visit(path)
        assert "govuk-frontend-supported" in page.evaluate("document.body.className"), path
    # The mobile menu button is shown by GOV.UK Frontend's JavaScript: it ran.
    page.set_viewport_size({"width": 400, "height": 800})
    page.get_by_role("button", name="Menu").click()
    assert page.get_by_role("link", name="Plans and dashboards").is_visible()


def test_the_admin_runs_its_scripts_under_the_policy(demo_page):
    sign_in_as, visit = demo_page
    sign_in_as("planadmin")
    action = Action.objects.first()
    version = action.history.first()
    planadmin = User.objects.get(username="planadmin")
    for path in [
        reverse("admin:index"),
        reverse("admin:actions_action_changelist"),
        reverse("admin:actions_action_history", args=[action.pk]),
        reverse("admin:actions_action_simple_history", args=[action.pk, version.history_id]),
        reverse("admin:priorities_strategy_import_plan"),
        reverse("admin:governance_meeting_change", args=[Meeting.objects.first().pk]),
        reverse("admin:auth_user_change", args=[planadmin.pk]),
        reverse("admin:axes_accessattempt_changelist"),
        reverse("admin:measures_measure_import_values"),
        reverse("admin:measures_measure_change", args=[Measure.objects.first().pk]),
    ]:
        visit(path)
    # The export's "Select all" box: its inline handler is the one allowed, by its hash.
    page = visit(reverse("admin:actions_action_export"))
    page.locator(".select-toggle").first.uncheck()
    assert page.locator("input[type=checkbox]:checked").count() == 0
    assert page.evaluate("window.__cspViolations") == []
    # The owners' two-list selector is built by the admin's JavaScript.
    page = visit(reverse("admin:actions_action_change", args=[action.pk]))
    assert page.locator(".selector-available").count() == 1


def test_an_inline_script_without_the_nonce_is_refused(demo_page, live_server):
    _, visit = demo_page
    page = visit("/sign-in/")
    page.evaluate(
        """() => { const s = document.createElement("script");
                   s.textContent = "window.__injected = true"; document.body.append(s); }"""
    )
    assert page.evaluate("window.__injected") is None
    assert any("script-src" in v for v in page.evaluate("window.__cspViolations"))
