"""Rules every write of an action obeys: archived plans stay as they were, completed is 100%,
and a moved due date keeps the original."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from actions.choices import Status
from actions.models import Action, Milestone, ProgressUpdate
from actions.services.actions import (
    COMPLETE_QUESTION,
    action_bulk_update,
    action_create_follow_up,
    action_move_due_date,
    action_save,
)
from actions.services.milestones import milestone_add, milestone_set_done
from governance.models import Board, Meeting
from priorities.choices import StrategyStage
from priorities.models import Priority
from tests.conftest import make_user, update_progress

ARCHIVED = "The plan “Joint SEND Strategy 2022-25” is archived: its actions cannot be changed."


@pytest.fixture
def archived(strategy, action):
    strategy.stage = StrategyStage.ARCHIVED
    strategy.save()
    return Action.objects.select_related("priority__strategy").get(pk=action.pk)


def test_no_service_changes_an_action_of_an_archived_plan(archived, officer, plan_admin):
    attempts = [
        lambda: update_progress(archived, officer, Status.IN_PROGRESS, note="Begun."),
        lambda: update_progress(archived, officer, archived.status, note="A note alone."),
        lambda: action_move_due_date(
            action=archived, user=officer, due_date=datetime.date(2030, 1, 1), reason="Late"
        ),
        lambda: milestone_add(action=archived, user=officer, text="Survey"),
        lambda: action_bulk_update(
            actions=[archived], user=plan_admin, reason="Tidy", status=Status.COMPLETED
        ),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError) as refused:
            attempt()
        assert refused.value.messages == [ARCHIVED]
    archived.text = "Reworded"
    with pytest.raises(ValidationError, match="is archived"):
        action_save(action=archived, user=plan_admin)
    assert archived.history.count() == 1
    assert not ProgressUpdate.objects.exists() and not Milestone.objects.exists()


def test_no_action_is_added_to_an_archived_plan(archived, priority, plan_admin):
    new = Action(priority=Priority.objects.get(pk=priority.pk), reference="1.2", text="New")
    with pytest.raises(ValidationError, match="is archived"):
        action_save(action=new, user=plan_admin)
    assert not Action.objects.filter(reference="1.2").exists()


def test_marking_an_action_completed_makes_it_100_percent(action, officer):
    update_progress(action, officer, Status.COMPLETED, percent=60, note="Signed off.")
    action.refresh_from_db()
    assert (action.status, action.percent_complete) == (Status.COMPLETED, 100)
    assert action.history.latest().percent_complete == 100


def test_100_percent_on_an_open_action_asks_whether_it_is_complete(action, officer):
    with pytest.raises(ValidationError) as asked:
        update_progress(action, officer, Status.IN_PROGRESS, percent=100, note="All done?")
    assert asked.value.message_dict == {"percent_complete": [COMPLETE_QUESTION]}
    action.refresh_from_db()
    assert (action.status, action.percent_complete) == (Status.NOT_STARTED, 0)


def test_an_owner_moves_the_due_date_with_a_reason_and_the_original_is_kept(action, officer):
    Action.objects.filter(pk=action.pk).update(
        due_date=datetime.date(2026, 12, 31), original_due_date=datetime.date(2026, 12, 31)
    )
    action.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        action_move_due_date(
            action=action, user=officer, due_date=datetime.date(2027, 3, 31), reason=" "
        )
    assert refused.value.message_dict == {"due_date": ["Give a reason for moving the due date."]}

    before = timezone.now()
    action_move_due_date(
        action=action, user=officer, due_date=datetime.date(2027, 3, 31), reason="Funding late."
    )
    action.refresh_from_db()
    assert (action.due_date, action.original_due_date) == (
        datetime.date(2027, 3, 31),
        datetime.date(2026, 12, 31),
    )
    assert action.slip_days == 90
    moved = action.history.latest()
    assert (moved.history_user, moved.history_change_reason) == (officer, "Funding late.")
    assert moved.history_date >= before


def test_only_an_owner_moves_a_due_date_or_changes_milestones(action, officer, db):
    stranger = make_user("oscar", "Officer")
    with pytest.raises(PermissionDenied):
        action_move_due_date(
            action=action, user=stranger, due_date=datetime.date(2030, 1, 1), reason="x"
        )
    with pytest.raises(PermissionDenied):
        milestone_add(action=action, user=stranger, text="Mine now")
    assert action.milestones.count() == 0


def test_an_owner_adds_and_ticks_off_milestones_with_history(action, officer):
    first = milestone_add(action=action, user=officer, text="Survey sent", reason="Planning")
    second = milestone_add(
        action=action, user=officer, text="Report", due_date=datetime.date(2027, 1, 31)
    )
    assert [m.text for m in action.milestones.all()] == ["Survey sent", "Report"]
    assert second.order == first.order + 1

    assert milestone_set_done(milestone=first, user=officer, done=True, reason="Sent today")
    assert not milestone_set_done(milestone=first, user=officer, done=True)
    first.refresh_from_db()
    assert first.done
    ticked = first.history.latest()
    assert (ticked.done, ticked.history_user, ticked.history_change_reason) == (
        True,
        officer,
        "Sent today",
    )
    assert first.history.count() == 2


def test_a_board_cannot_add_a_follow_up_to_an_archived_plan(archived, area, priority, plan_admin):
    board = Board.objects.create(area=area, name="SEND Partnership Board", kind="partnership")
    meeting = Meeting.objects.create(
        board=board, strategy=priority.strategy, date=datetime.date(2026, 9, 1), title="Board"
    )
    with pytest.raises(ValidationError, match="is archived"):
        action_create_follow_up(
            meeting=meeting,
            priority=Priority.objects.select_related("strategy").get(pk=priority.pk),
            text="Report back.",
            owner_name="DCO",
            due_date=datetime.date(2027, 3, 31),
            user=plan_admin,
            reason="Board review",
        )
    assert Action.objects.count() == 1
