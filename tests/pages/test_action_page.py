"""The action page: the action, its dates, milestones, progress and full status history."""

import datetime

from django.urls import reverse

from actions.choices import Rag, Status
from actions.models import Milestone
from actions.services.actions import action_save, action_update_progress
from tests.conftest import make_user
from tests.pages.conftest import count_queries


def url(action) -> str:
    return reverse("actions:detail", args=[action.pk])


def test_it_shows_the_action_its_owners_and_its_deadline_as_written(board_client, action):
    response = board_client.get(url(action))
    text = response.text
    assert '<h1 class="govuk-heading-l">Action 1.1</h1>' in text
    assert "Review support for parents." in text
    assert "1. Early identification" in text
    assert "<li>Designated Clinical Officer</li>" in text
    assert "December 2019" in text


def test_it_shows_the_derived_due_date_and_how_far_it_slipped(board_client, action, plan_admin):
    action.due_date = datetime.date(2019, 12, 31)
    action_save(action=action, user=plan_admin, reason="Set")
    action.due_date = datetime.date(2020, 3, 31)
    action_save(action=action, user=plan_admin, reason="Pilot delayed by a term.")
    text = board_client.get(url(action)).text
    assert "31 March 2020" in text
    assert "First due 31 December 2019: moved 91 days later." in text
    assert "Overdue" in text


def test_it_shows_milestones_and_progress_updates(board_client, action, officer):
    Milestone.objects.create(
        action=action, text="Survey parents", due_date=datetime.date(2020, 1, 31)
    )
    Milestone.objects.create(action=action, text="Report to the board", done=True)
    action_update_progress(
        action=action,
        user=officer,
        status=Status.NOT_STARTED,
        rag="",
        percent_complete=5,
        note="Survey drafted.",
    )
    text = board_client.get(url(action)).text
    assert "Survey parents" in text and "31 January 2020" in text
    assert "Report to the board" in text and ">Done<" in text
    assert "Survey drafted." in text and "Olivia" in text


def test_its_timeline_shows_every_change_and_note_newest_first_with_who_and_why(
    board_client, action, officer, plan_admin
):
    for status, rag, percent, note in [
        (Status.IN_PROGRESS, Rag.GREEN, 10, "Pilot started."),
        (Status.IN_PROGRESS, Rag.GREEN, 10, "Met the parent carer forum."),
        (Status.BLOCKED, Rag.RED, 25, "Funding withdrawn."),
    ]:
        action_update_progress(
            action=action, user=officer, status=status, rag=rag, percent_complete=percent, note=note
        )
    action.refresh_from_db()
    action.due_date = datetime.date(2027, 3, 31)
    action_save(action=action, user=plan_admin, reason="New term.")
    timeline = board_client.get(url(action)).text.split('id="timeline-heading"')[1]
    order = ["New term.", "Funding withdrawn.", "Met the parent carer forum.", "Pilot started."]
    assert sorted(order, key=timeline.index) == order
    arrow = '<span aria-hidden="true">→</span><span class="govuk-visually-hidden">changed to</span>'
    assert f"Status: In progress {arrow} Blocked" in timeline
    assert f"RAG rating: Green {arrow} Red" in timeline
    assert f"Percent complete: 10% {arrow} 25%" in timeline
    assert f"Due date: No due date {arrow} 31 March 2027" in timeline
    assert "Progress note" in timeline and "Created" in timeline
    assert f"Green {arrow} Green" not in timeline
    # Each note once: the one saved with a change is that change's note.
    assert timeline.count("Funding withdrawn.") == 1
    assert timeline.count("Olivia") == 3


def test_only_those_who_may_update_see_the_update_button(client, action, officer, board_member):
    client.force_login(officer)
    assert "Update this action" in client.get(url(action)).text
    client.force_login(board_member)
    assert "Update this action" not in client.get(url(action)).text
    client.force_login(make_user("other", "Officer"))
    assert "Update this action" not in client.get(url(action)).text


def test_an_unknown_action_gets_the_404_page(board_client, db):
    response = board_client.get(reverse("actions:detail", args=[999]))
    assert response.status_code == 404
    assert "Page not found" in response.text


def test_its_query_count_does_not_grow_with_the_plan_or_the_history(
    officer_client, action, officer, queries_at_10_and_500
):
    small, large = queries_at_10_and_500(officer_client, url(action))
    for number in range(20):
        action_update_progress(
            action=action,
            user=officer,
            status=Status.IN_PROGRESS if number % 2 else Status.AT_RISK,
            rag="",
            percent_complete=number,
            note=f"Update {number}",
        )
        Milestone.objects.create(action=action, text=f"Step {number}")
    assert small == large == count_queries(officer_client, url(action))
    # 12, one for the engagements that shaped it (governance), one for the area check of
    # whether the user may update it.
    assert large <= 14
