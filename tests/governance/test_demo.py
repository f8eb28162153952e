"""The demo's Partnership Board pack shows the plan as it stood at its last meeting."""

import io

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.utils import timezone

from actions import rules
from actions.models import Action
from governance.models import Board, Decision, Meeting, Papers
from governance.papers import papers_due
from governance.selectors import board_pack


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=io.StringIO())


def last_past_meeting():
    return Meeting.objects.filter(board__area__name="Medway", minutes__gt="").latest()


def test_board_demo_user_sits_on_the_partnership_board(demo):
    board = Board.objects.get(area__name="Medway", kind="partnership")
    assert board.members.filter(username="board").exists()


def test_last_meeting_pack_shows_the_plan_then_not_now(demo):
    pack = board_pack(last_past_meeting())
    then = {row.reference: row.status for row in pack.actions}
    now = dict(
        Action.objects.filter(priority__strategy=pack.meeting.strategy).values_list(
            "reference", "status"
        )
    )
    assert (then["3.1"], now["3.1"]) == ("at_risk", "in_progress")
    assert (then["2.1"], now["2.1"]) == ("blocked", "in_progress")


def test_last_meeting_pack_has_changes_exceptions_reviews_and_due_actions(demo):
    pack = board_pack(last_past_meeting())
    assert pack.previous is not None and pack.next_meeting is not None
    assert {c.reference for c in pack.changes} >= {"2.1", "3.1", "5.1"}
    assert {row.action.reference for row in pack.exceptions} >= {"2.1", "3.1"}
    assert len(pack.reviews) == 2


def test_last_meeting_pack_lists_the_open_actions_due_before_the_next_meeting(demo):
    pack = board_pack(last_past_meeting())
    due = {row.reference for row in pack.due}
    (follow_up,) = [action for review in pack.reviews for action in review.follow_ups.all()]
    # The inclusion charter, the Local Offer review and the follow-up the board asked for
    # fall due before the next meeting; overdue (2.1), later and ongoing actions do not.
    assert {"1.1", "5.1", follow_up.reference} <= due
    assert not due & {"2.1", "1.2", "2.2", "4.1", "4.2", "3.2", "5.2"}
    assert all(pack.meeting.date <= row.due_date <= pack.next_meeting.date for row in pack.due)


def test_demo_holds_the_two_seed_decisions(demo):
    officer_decision = Decision.objects.get(area__name="Medway")
    assert "115/2022" in officer_decision.delegation
    assert officer_decision.delegated_by.kind == "cabinet"
    kent = Decision.objects.get(number="21/00019")
    assert kent.is_key_decision


def test_past_meetings_have_papers_and_the_next_ones_are_due(demo, client):
    medway = Meeting.objects.filter(board__area__name="Medway", board__kind="partnership")
    for meeting in medway.filter(date__lt=rules.today()):
        papers = Papers.objects.get(meeting=meeting)
        assert timezone.localdate(papers.as_at) == papers_due(meeting.date)
        assert papers.published_by.username == "planadmin"
    last = last_past_meeting()
    assert {review.papers for review in last.reviews.all()} == {Papers.objects.get(meeting=last)}
    coming = medway.filter(date__gt=rules.today()).earliest()
    assert not Papers.objects.filter(meeting=coming).exists()
    client.force_login(User.objects.get(username="board"))
    text = client.get(coming.get_absolute_url()).text
    assert f"The papers are due by {papers_due(coming.date):%-d %B %Y}" in text
    assert "Preview: these papers have not been published" in text
