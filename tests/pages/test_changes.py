"""What changed since a date: status and RAG changes from the audit history."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from actions.choices import Rag, Status
from actions.models import ProgressUpdate
from actions.selectors.history import plan_events
from actions.services.actions import action_save, action_update_progress
from tests.pages.conftest import count_queries, days_ago


def url(strategy, query: str = "") -> str:
    return reverse("actions:changes", args=[strategy.pk]) + query


def backdate_latest(action, days: int) -> None:
    """Move the action's newest history row, and the progress note saved with it, back."""
    latest = action.history.latest()
    action.history.filter(history_id=latest.history_id).update(history_date=days_ago(days))
    note = ProgressUpdate.objects.filter(action=action).order_by("-created_at").first()
    if note and note.note == latest.history_change_reason and note.created_at > days_ago(1):
        ProgressUpdate.objects.filter(pk=note.pk).update(created_at=days_ago(days))


@pytest.fixture
def changed_action(action, officer):
    """Created 100 days ago; started 50 days ago; rated amber 5 days ago; 3 days ago only its
    percent moved."""
    backdate_latest(action, 100)
    for days, status, rag, percent, note in [
        (50, Status.IN_PROGRESS, "", 10, "Pilot started."),
        (5, Status.IN_PROGRESS, Rag.AMBER, 10, "Schools slow to reply."),
        (3, Status.IN_PROGRESS, Rag.AMBER, 20, ""),
    ]:
        action_update_progress(
            action=action, user=officer, status=status, rag=rag, percent_complete=percent, note=note
        )
        backdate_latest(action, days)
    return action


def since(days: int) -> datetime.datetime:
    start = timezone.localdate() - datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(start, datetime.time.min))


def described(events) -> list[tuple]:
    return [
        (event.reference, [(c.label, c.old, c.new) for c in event.changes], event.note)
        for event in events
    ]


def test_a_change_reads_its_previous_values_from_before_the_date(strategy, changed_action):
    assert described(plan_events(strategy, since(30))) == [
        ("1.1", [("Percent complete", "10%", "20%")], ""),
        ("1.1", [("RAG rating", "Not rated", "Amber")], "Schools slow to reply."),
    ]


def test_an_earlier_date_shows_every_change_newest_first_with_who(strategy, changed_action):
    events = plan_events(strategy, since(60))
    assert described(events)[2] == (
        "1.1",
        [("Status", "Not started", "In progress"), ("Percent complete", "0%", "10%")],
        "Pilot started.",
    )
    assert [event.who for event in events] == ["Olivia"] * 3


def test_a_note_with_no_change_is_an_event_of_its_own(strategy, changed_action, officer):
    action_update_progress(
        action=changed_action,
        user=officer,
        status=Status.IN_PROGRESS,
        rag=Rag.AMBER,
        percent_complete=20,
        note="Met the schools' forum.",
    )
    newest = plan_events(strategy, since(1))
    assert described(newest) == [("1.1", [], "Met the schools' forum.")]
    assert newest[0].kind == "Progress note"


def test_a_due_date_move_is_a_change(strategy, changed_action, plan_admin):
    changed_action.refresh_from_db()
    changed_action.due_date = datetime.date(2027, 3, 31)
    action_save(action=changed_action, user=plan_admin, reason="New term.")
    assert described(plan_events(strategy, since(1))) == [
        ("1.1", [("Due date", "No due date", "31 March 2027")], "New term.")
    ]


def test_changes_after_until_are_left_out(strategy, changed_action):
    events = plan_events(strategy, since(60), until=days_ago(4))
    assert [event.note for event in events] == ["Schools slow to reply.", "Pilot started."]


def test_it_reads_the_changes_in_two_queries(strategy, changed_action, django_assert_num_queries):
    with django_assert_num_queries(2):
        plan_events(strategy, since(60))


def test_the_page_defaults_to_30_days_and_shows_who_and_the_note(
    board_client, strategy, changed_action
):
    text = board_client.get(url(strategy)).text
    default = timezone.localdate() - datetime.timedelta(days=30)
    assert f"What changed since {default:%-d %B %Y}" in text
    assert f'value="{default:%Y-%m-%d}"' in text
    assert "2 updates</h2>" in text
    arrow = '<span aria-hidden="true">→</span><span class="govuk-visually-hidden">changed to</span>'
    assert f"RAG rating: Not rated {arrow} Amber" in text
    assert f"Percent complete: 10% {arrow} 20%" in text
    assert "Status:" not in text  # only what changed: never "In progress → In progress"
    assert "Olivia" in text and "Schools slow to reply." in text
    assert "Pilot started." not in text


def test_the_date_can_be_chosen(board_client, strategy, changed_action):
    chosen = timezone.localdate() - datetime.timedelta(days=60)
    text = board_client.get(url(strategy, f"?since={chosen:%Y-%m-%d}")).text
    assert "3 updates</h2>" in text and "Pilot started." in text


def test_one_update_is_not_plural(board_client, strategy, changed_action):
    chosen = timezone.localdate() - datetime.timedelta(days=4)
    text = board_client.get(url(strategy, f"?since={chosen:%Y-%m-%d}")).text
    assert "1 update</h2>" in text


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("31/02/2026", "Enter the date as day, month and year, like 31/3/2026."),
        ("", "Enter the date to show changes since."),
        ("2999-01-01", "The date must be today or in the past."),
    ],
)
def test_a_bad_date_gets_an_error_summary(board_client, strategy, changed_action, value, message):
    text = board_client.get(url(strategy, f"?since={value}")).text
    assert "There is a problem" in text
    assert f'<a href="#id_since">{message}</a>' in text
    assert "updates</h2>" not in text


def test_it_is_labelled_for_screen_readers(board_client, strategy):
    text = board_client.get(url(strategy)).text
    assert '<label class="govuk-label" for="id_since">Show changes since</label>' in text
    assert 'type="date"' in text and 'aria-describedby="id_since-hint"' in text


def test_its_query_count_does_not_grow_with_the_actions(
    board_client, strategy, queries_at_10_and_500
):
    query = "?since=2000-01-01"
    small, large = queries_at_10_and_500(board_client, url(strategy, query))
    assert small == large == count_queries(board_client, url(strategy, query))
