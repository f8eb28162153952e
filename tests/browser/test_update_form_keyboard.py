"""The update form works from the keyboard alone, and its pages pass axe."""

import datetime

import pytest
from playwright.sync_api import expect

from actions.models import Action, Milestone
from priorities.choices import StrategyStage

from .conftest import axe_violations

pytestmark = pytest.mark.django_db(transaction=True)


def tab_to(page, selector: str, *, most: int = 60) -> None:
    """Press Tab until the element matching selector has the focus."""
    for _ in range(most):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_an_officer_updates_an_action_by_keyboard_alone(sign_in, officer, action, live_server):
    Action.objects.filter(pk=action.pk).update(
        due_date=datetime.date(2026, 12, 31), original_due_date=datetime.date(2026, 12, 31)
    )
    survey = Milestone.objects.create(action=action, text="Survey sent to schools")
    page = sign_in("olivia")
    page.goto(f"{live_server.url}/actions/{action.pk}/update/")
    assert axe_violations(page) == [], "update form"

    tab_to(page, "input[name=status]:checked")
    page.keyboard.press("ArrowDown")  # Not started -> In progress
    page.keyboard.press("Tab")  # to the RAG radios, on the one checked (Not rated)
    page.keyboard.press("ArrowDown")  # Red
    page.keyboard.press("ArrowDown")  # Amber
    tab_to(page, "#id_percent_complete")
    page.keyboard.press("Control+A")
    page.keyboard.type("30")
    tab_to(page, "#id_note")
    page.keyboard.type("Survey sent to 40 schools.")
    tab_to(page, "#id_new_due_date")
    page.keyboard.type("31/3/2027")
    tab_to(page, "#id_due_date_reason")
    page.keyboard.type("Schools asked for more time.")
    tab_to(page, "#id_milestones_done_0")
    page.keyboard.press("Space")
    tab_to(page, "#id_new_milestone")
    page.keyboard.type("Results to the board")
    tab_to(page, "button[type=submit]")
    page.keyboard.press("Enter")

    expect(page.get_by_text("Action 1.1 updated.")).to_be_visible()
    action.refresh_from_db()
    assert (action.status, action.rag, action.percent_complete) == ("in_progress", "amber", 30)
    assert (action.due_date, action.original_due_date) == (
        datetime.date(2027, 3, 31),
        datetime.date(2026, 12, 31),
    )
    survey.refresh_from_db()
    assert survey.done
    assert action.milestones.filter(text="Results to the board", done=False).exists()


def test_the_update_forms_other_states_and_my_actions_filters_pass_axe(
    sign_in, officer, action, live_server
):
    failed = []
    page = sign_in("olivia")
    page.on("response", lambda r: r.status >= 400 and failed.append((r.status, r.url)))
    base = live_server.url
    page.goto(f"{base}/?status=in_progress")
    assert axe_violations(page) == [], "my actions, filtered"
    page.goto(f"{base}/?status=finished")
    expect(page.get_by_role("alert").filter(has_text="There is a problem")).to_be_visible()
    assert axe_violations(page) == [], "my actions, bad filter"
    page.goto(f"{base}/actions/{action.pk}/update/")
    page.get_by_label("Percent complete").fill("100")
    page.get_by_role("button", name="Save update").click()
    expect(page.get_by_role("link", name="Is this action complete?")).to_be_visible()
    assert axe_violations(page) == [], "update form with the completion question"
    page.get_by_label("New due date").fill("soon")
    page.get_by_role("button", name="Save update").click()
    expect(page.get_by_role("link", name="Enter the new due date as day")).to_be_visible()
    assert axe_violations(page) == [], "update form with a bad date"
    action.priority.strategy.stage = StrategyStage.ARCHIVED
    action.priority.strategy.save()
    page.goto(f"{base}/actions/{action.pk}/update/")
    expect(page.get_by_text("This plan is archived.")).to_be_visible()
    assert axe_violations(page) == [], "archived plan's update page"
    assert failed == []
