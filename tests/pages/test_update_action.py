"""The update form: status, RAG, percent and note, checked, audited and safe against races."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actions.choices import Rag, Status
from actions.models import Action, Milestone, ProgressUpdate
from tests.conftest import make_user, update_progress
from tests.pages.conftest import count_queries


def url(action) -> str:
    return reverse("actions:update", args=[action.pk])


def form_data(action, **changes) -> dict:
    data = {
        "status": action.status,
        "rag": action.rag,
        "percent_complete": action.percent_complete,
        "note": "",
        "seen_version": action.version,
    }
    return {**data, **changes}


def assert_unchanged(action) -> None:
    fresh = Action.objects.get(pk=action.pk)
    assert (fresh.status, fresh.rag, fresh.percent_complete, fresh.version) == (
        action.status,
        action.rag,
        action.percent_complete,
        action.version,
    )
    assert not ProgressUpdate.objects.filter(action=action).exists()


def test_it_shows_the_current_values_and_the_version_seen(officer_client, action):
    text = officer_client.get(url(action)).text
    assert 'value="not_started" checked' in text
    assert 'name="rag" type="radio" value="" checked' in text
    assert 'name="seen_version" value="1"' in text
    assert 'name="csrfmiddlewaretoken"' in text


def test_an_update_with_a_note_is_saved_and_shown_on_the_timeline(officer_client, action, officer):
    response = officer_client.post(
        url(action),
        form_data(action, status="in_progress", rag="green", percent_complete="25", note="Begun."),
        follow=True,
    )
    assert response.redirect_chain == [(reverse("actions:detail", args=[action.pk]), 302)]
    assert "Action 1.1 updated." in response.text
    action.refresh_from_db()
    assert (action.status, action.rag, action.percent_complete) == ("in_progress", "green", 25)
    latest = action.history.latest()
    assert latest.history_user == officer and latest.history_change_reason == "Begun."
    timeline = response.text.split('id="timeline-heading"')[1]
    assert "In progress" in timeline and "Begun." in timeline


def test_a_percent_only_update_needs_no_note(officer_client, action):
    response = officer_client.post(url(action), form_data(action, percent_complete="40"))
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.percent_complete == 40


@pytest.mark.parametrize(
    ("changes", "message", "anchor"),
    [
        (
            {"status": "blocked"},
            "Add a note saying why the status or RAG rating changed.",
            "id_note",
        ),
        ({"rag": "red"}, "Add a note saying why the status or RAG rating changed.", "id_note"),
        ({"status": "finished"}, "Select one of the statuses listed.", "id_status_0"),
        ({"rag": "purple"}, "Select red, amber, green or not rated.", "id_rag_0"),
        (
            {"percent_complete": "101"},
            "Enter percent complete as a whole number from 0 to 100, like 40.",
            "id_percent_complete",
        ),
        (
            {"percent_complete": "-1"},
            "Enter percent complete as a whole number from 0 to 100, like 40.",
            "id_percent_complete",
        ),
        (
            {"percent_complete": "half"},
            "Enter percent complete as a whole number from 0 to 100, like 40.",
            "id_percent_complete",
        ),
    ],
)
def test_bad_input_gets_an_error_summary_and_changes_nothing(
    officer_client, action, changes, message, anchor
):
    response = officer_client.post(url(action), form_data(action, **changes))
    assert response.status_code == 200
    text = response.text
    assert "<title>Error: Update action 1.1" in text
    assert "There is a problem" in text
    assert f'<a href="#{anchor}">{message}</a>' in text
    assert f'<span class="govuk-visually-hidden">Error:</span> {message}' in text
    assert_unchanged(action)


def test_someone_elses_action_gets_the_403_page_and_changes_nothing(client, action):
    client.force_login(make_user("oscar", "Officer"))
    assert client.get(url(action)).status_code == 403
    response = client.post(url(action), form_data(action, status="completed", note="Done"))
    assert response.status_code == 403
    assert "You can only update the actions of the owner roles you hold" in response.text
    assert_unchanged(action)


def test_a_board_member_cannot_update(board_client, action):
    assert board_client.get(url(action)).status_code == 403
    response = board_client.post(url(action), form_data(action, status="completed", note="Done"))
    assert response.status_code == 403
    assert_unchanged(action)


def test_a_plan_admin_may_update_any_action(client, plan_admin, action):
    client.force_login(plan_admin)
    response = client.post(url(action), form_data(action, status="blocked", note="Stopped."))
    assert response.status_code == 302
    assert response["Location"] == reverse("actions:detail", args=[action.pk])
    action.refresh_from_db()
    assert (action.status, action.version) == (Status.BLOCKED, 2)
    latest = action.history.latest()
    assert (latest.status, latest.history_user, latest.history_change_reason) == (
        "blocked",
        plan_admin,
        "Stopped.",
    )
    assert ProgressUpdate.objects.get(action=action).author == plan_admin


def test_the_form_needs_the_csrf_token(officer, action):
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer)
    response = client.post(url(action), form_data(action, percent_complete="50"))
    assert response.status_code == 403
    assert_unchanged(action)


def test_a_change_made_meanwhile_is_shown_and_the_update_can_be_reapplied(
    officer_client, action, plan_admin
):
    seen = form_data(action, status="in_progress", percent_complete="30", note="Pilot started.")
    update_progress(action, plan_admin, Status.BLOCKED, rag=Rag.RED, note="Funding paused.")
    response = officer_client.post(url(action), seen)
    text = response.text
    assert "Someone else updated this action while you were filling in this form" in text
    rows = text.split("What changed meanwhile")[1].split("</table>")[0]
    assert "Status</th>" in rows and '<td class="govuk-table__cell">Not started</td>' in rows
    assert '<td class="govuk-table__cell">Blocked</td>' in rows
    assert "RAG rating</th>" in rows and "Red" in rows
    assert "Pat" in rows
    # Their values again, with the version they have now seen.
    assert 'value="in_progress" checked' in text
    assert 'value="30"' in text and "Pilot started.</textarea>" in text
    assert 'name="seen_version" value="2"' in text
    fresh = Action.objects.get(pk=action.pk)
    assert fresh.status == Status.BLOCKED

    # Saving the form as re-shown applies all their values, the RAG rating they saw included.
    reapplied = officer_client.post(url(action), {**seen, "seen_version": 2})
    assert reapplied.status_code == 302
    fresh.refresh_from_db()
    assert (fresh.status, fresh.rag, fresh.percent_complete) == ("in_progress", "", 30)


def test_a_missing_version_is_reported_without_saving(officer_client, action):
    data = form_data(action, percent_complete="50")
    del data["seen_version"]
    response = officer_client.post(url(action), data)
    assert "There is a problem" in response.text
    assert_unchanged(action)


def test_its_query_count_does_not_grow_with_the_plan(officer_client, action, queries_at_10_and_500):
    small, large = queries_at_10_and_500(officer_client, url(action))
    assert small == large == count_queries(officer_client, url(action))
    # The action, its owners, milestones, the permission, its area, the session.
    assert large <= 10


def test_an_archived_plans_action_shows_no_form_and_a_post_changes_nothing(
    officer_client, action, strategy
):
    strategy.stage = "archived"
    strategy.save()
    page = officer_client.get(url(action)).text
    assert "This plan is archived." in page
    assert 'name="seen_version"' not in page and "Save update" not in page
    response = officer_client.post(
        url(action), form_data(action, status="in_progress", note="Begun.")
    )
    assert response.status_code == 200 and "This plan is archived." in response.text
    assert_unchanged(action)


def test_it_shows_the_due_date_owners_and_last_note_beside_the_form(
    officer_client, action, officer
):
    Action.objects.filter(pk=action.pk).update(due_date=datetime.date(2019, 12, 31))
    update_progress(action, officer, Status.IN_PROGRESS, note="Survey sent to schools.")
    text = officer_client.get(url(action)).text
    assert "31 December 2019" in text and "As written: “December 2019”" in text
    assert "Designated Clinical Officer" in text
    assert "Survey sent to schools." in text


def test_completed_below_100_is_saved_as_100_and_the_page_says_so(officer_client, action):
    response = officer_client.post(
        url(action),
        form_data(action, status="completed", percent_complete="70", note="Done."),
        follow=True,
    )
    assert "Percent complete was set to 100: it is completed." in response.text
    action.refresh_from_db()
    assert (action.status, action.percent_complete) == ("completed", 100)


def test_100_percent_on_an_open_action_asks_whether_it_is_complete(officer_client, action):
    response = officer_client.post(
        url(action), form_data(action, status="in_progress", percent_complete="100", note="Hm.")
    )
    assert '<a href="#id_percent_complete">Is this action complete?' in response.text
    assert_unchanged(action)
    answered = officer_client.post(
        url(action), form_data(action, status="completed", percent_complete="100", note="Yes.")
    )
    assert answered.status_code == 302


def test_an_officer_moves_the_due_date_with_a_reason(officer_client, action, officer):
    Action.objects.filter(pk=action.pk).update(
        due_date=datetime.date(2026, 12, 31), original_due_date=datetime.date(2026, 12, 31)
    )
    action.refresh_from_db()
    missing = officer_client.post(url(action), form_data(action, new_due_date="31/3/2027"))
    assert '<a href="#id_due_date_reason">Give a reason for moving the due date.</a>' in (
        missing.text
    )
    response = officer_client.post(
        url(action),
        form_data(action, new_due_date="31/3/2027", due_date_reason="Funding came late."),
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.due_date == datetime.date(2027, 3, 31)
    assert action.original_due_date == datetime.date(2026, 12, 31)
    moved = action.history.latest()
    assert (moved.history_user, moved.history_change_reason) == (officer, "Funding came late.")


def test_an_officer_adds_a_milestone_and_ticks_it_off(officer_client, action):
    added = officer_client.post(
        url(action), form_data(action, new_milestone="Survey sent", new_milestone_due="1/2/2027")
    )
    assert added.status_code == 302
    milestone = Milestone.objects.get(action=action)
    assert (milestone.text, milestone.due_date, milestone.done) == (
        "Survey sent",
        datetime.date(2027, 2, 1),
        False,
    )
    action.refresh_from_db()
    page = officer_client.get(url(action)).text
    assert "Survey sent (due 1 February 2027)" in page
    ticked = officer_client.post(url(action), form_data(action, milestones_done=[milestone.pk]))
    assert ticked.status_code == 302
    milestone.refresh_from_db()
    assert milestone.done and milestone.history.count() == 2


def _with_milestones(action, count: int) -> list[Milestone]:
    """``count`` milestones on the action, every other one done."""
    return Milestone.objects.bulk_create(
        Milestone(action=action, text=f"Step {n}", order=n, done=n % 2 == 0)
        for n in range(1, count + 1)
    )


def _queries_of_update(client, action, **changes) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.post(url(action), form_data(action, **changes))
    assert response.status_code == 302, response.text
    return len(context.captured_queries)


def test_an_update_runs_as_many_queries_with_0_5_or_20_milestones(officer_client, action):
    """Milestones the officer did not touch cost nothing: no query, no history row."""
    queries = []
    for milestones, status in [(0, "in_progress"), (5, "blocked"), (20, "in_progress")]:
        Milestone.objects.filter(action=action).delete()
        done = [m.pk for m in _with_milestones(action, milestones) if m.done]
        queries.append(
            _queries_of_update(
                officer_client, action, status=status, note=f"Now {status}.", milestones_done=done
            )
        )
        action.refresh_from_db()
        assert action.status == status
    assert not Milestone.history.filter(history_type="~").exists()
    # 26 on SQLite (128 with 20 milestones before they were written together): the
    # session, user and permissions; the action, its owners and milestones; the page's
    # permission check and the service's; the lock; the action and the progress note,
    # each checked and written with its history row.
    assert queries[0] == queries[1] == queries[2] <= 26


def test_ticked_milestones_are_written_together_each_with_its_history(
    officer_client, action, officer
):
    queries = []
    for milestones, status in [(5, "in_progress"), (20, "blocked")]:
        Milestone.objects.filter(action=action).delete()
        steps = _with_milestones(action, milestones)
        # Two ticked off, one ticked back on; the others left as they were.
        flipped = {steps[0].pk, steps[2].pk, steps[1].pk}
        done = [m.pk for m in steps if m.done != (m.pk in flipped)]
        note = f"Survey {milestones}."
        queries.append(
            _queries_of_update(
                officer_client, action, status=status, note=note, milestones_done=done
            )
        )
        action.refresh_from_db()
        changed = Milestone.history.filter(history_type="~", id__in=flipped)
        assert Milestone.history.filter(history_type="~").count() == 3
        assert {(row.id, row.done) for row in changed} == {
            (steps[0].pk, True),
            (steps[2].pk, True),
            (steps[1].pk, False),
        }
        assert {(row.history_user, row.history_change_reason) for row in changed} == {
            (officer, note)
        }
        Milestone.history.filter(history_type="~").delete()
    assert queries[0] == queries[1]
