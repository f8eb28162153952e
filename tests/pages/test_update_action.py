"""The update form: status, RAG, percent and note, checked, audited and safe against races."""

import pytest
from django.test import Client
from django.urls import reverse

from actions.choices import Rag, Status
from actions.models import Action, ProgressUpdate
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
    assert large <= 8
