"""What changed since a date: status and RAG changes from the audit history."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from actions.choices import Rag, Status
from actions.selectors.history import status_changes_since
from actions.services.actions import action_update_progress
from tests.pages.conftest import count_queries, days_ago


def url(strategy, query: str = "") -> str:
    return reverse("actions:changes", args=[strategy.pk]) + query


def backdate_latest(action, days: int) -> None:
    latest = action.history.latest()
    action.history.filter(history_id=latest.history_id).update(history_date=days_ago(days))


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


def test_a_change_reads_its_previous_values_from_before_the_date(strategy, changed_action):
    changes = status_changes_since(strategy, since(30))
    assert [(c.reference, c.change.old_rag, c.change.new_rag) for c in changes] == [
        ("1.1", "", "amber")
    ]
    change = changes[0].change
    assert (change.old_status, change.new_status) == ("in_progress", "in_progress")
    assert change.who == "Olivia" and change.note == "Schools slow to reply."


def test_an_earlier_date_shows_every_change_newest_first(strategy, changed_action):
    changes = status_changes_since(strategy, since(60))
    assert [c.change.note for c in changes] == ["Schools slow to reply.", "Pilot started."]
    assert (changes[1].change.old_status, changes[1].change.new_status) == (
        "not_started",
        "in_progress",
    )


def test_it_reads_the_changes_in_one_query(strategy, changed_action, django_assert_num_queries):
    with django_assert_num_queries(1):
        status_changes_since(strategy, since(60))


def test_the_page_defaults_to_30_days_and_shows_who_and_the_note(
    board_client, strategy, changed_action
):
    text = board_client.get(url(strategy)).text
    default = timezone.localdate() - datetime.timedelta(days=30)
    assert f"What changed since {default:%-d %B %Y}" in text
    assert f'value="{default:%Y-%m-%d}"' in text
    assert "1 status or RAG change</h2>" in text
    assert 'Not rated <span aria-hidden="true">→</span>' in text and "Amber" in text
    assert "In progress (unchanged)" in text
    assert "Olivia" in text and "Schools slow to reply." in text
    assert "Pilot started." not in text


def test_the_date_can_be_chosen(board_client, strategy, changed_action):
    chosen = timezone.localdate() - datetime.timedelta(days=60)
    text = board_client.get(url(strategy, f"?since={chosen:%Y-%m-%d}")).text
    assert "2 status or RAG changes</h2>" in text and "Pilot started." in text


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
    assert "status or RAG change" not in text


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
