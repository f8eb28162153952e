import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actions.choices import Rag, Status
from actions.models import Action, ActionOwner, ProgressUpdate
from actions.services.actions import (
    ActionChangedMeanwhile,
    action_bulk_update,
    action_create_follow_up,
    action_delete,
    action_save,
)
from governance.models import Board, BoardMembership, Meeting
from priorities.models import Priority, Strategy
from sendplan import roles
from tests.conftest import make_user, update_progress


def test_officer_status_change_is_recorded_with_who_and_note(action, officer):
    update_progress(
        action, officer, Status.IN_PROGRESS, rag=Rag.AMBER, percent=20, note="Pilot schools chosen."
    )
    latest = action.history.latest()
    assert (latest.status, latest.rag, latest.percent_complete) == ("in_progress", "amber", 20)
    assert latest.history_user == officer
    assert latest.history_change_reason == "Pilot schools chosen."
    assert ProgressUpdate.objects.get(action=action).author == officer


def test_status_change_without_note_is_refused_and_changes_nothing(action, officer):
    with pytest.raises(ValidationError) as error:
        update_progress(action, officer, Status.BLOCKED, note=" ")
    assert "note" in error.value.message_dict
    action.refresh_from_db()
    assert action.status == Status.NOT_STARTED
    assert action.history.count() == 1


def test_officer_cannot_update_others_action(action, board_member, officer, priority):
    others = Action.objects.create(priority=priority, reference="1.2", text="Someone else's.")
    for target, user in [(others, officer), (action, board_member)]:
        with pytest.raises(PermissionDenied):
            update_progress(target, user, Status.COMPLETED, percent=100, note="Done")
        target.refresh_from_db()
        assert (target.status, target.percent_complete, target.version) == (
            Status.NOT_STARTED,
            0,
            1,
        )
        assert target.history.count() == 1
    assert not ProgressUpdate.objects.exists()


@pytest.mark.parametrize(
    ("status", "rag", "percent", "field"),
    [
        ("finished", "", 0, "status"),
        ("in_progress", "purple", 0, "rag"),
        ("in_progress", "", 101, "percent_complete"),
        ("in_progress", "", -1, "percent_complete"),
    ],
)
def test_bad_progress_values_are_refused_by_name(action, officer, status, rag, percent, field):
    with pytest.raises(ValidationError) as error:
        update_progress(action, officer, status, rag=rag, percent=percent, note="x")
    assert field in error.value.message_dict
    action.refresh_from_db()
    assert action.status == Status.NOT_STARTED


def test_second_save_on_an_old_version_reports_what_changed(action, officer):
    seen = {"seen_version": action.version}
    update_progress(action, officer, Status.AT_RISK, rag=Rag.RED, percent=10, note="Short", **seen)
    with pytest.raises(ActionChangedMeanwhile) as conflict:
        update_progress(
            action, officer, Status.COMPLETED, rag=Rag.GREEN, percent=100, note="Done", **seen
        )
    assert conflict.value.changes["status"] == ("not_started", "at_risk")
    action.refresh_from_db()
    assert action.status == Status.AT_RISK


def test_moving_the_due_date_needs_a_reason_and_keeps_the_original(action, plan_admin):
    assert action.due_date is None  # created directly, not through the service
    action_save(action=action, user=plan_admin, reason="first dated")
    action.due_date = datetime.date(2020, 3, 31)
    with pytest.raises(ValidationError) as error:
        action_save(action=action, user=plan_admin)
    assert "due_date" in error.value.message_dict
    action_save(action=action, user=plan_admin, reason="Pilot delayed by COVID")
    action.refresh_from_db()
    assert action.original_due_date == datetime.date(2020, 3, 31)


def test_new_action_due_date_comes_from_deadline_as_written(priority, plan_admin):
    action = Action(
        priority=priority, reference="1.9", text="x", deadline_text="September 2020 an ongoing"
    )
    action_save(action=action, user=plan_admin)
    assert action.due_date == datetime.date(2020, 9, 30)
    assert action.original_due_date == datetime.date(2020, 9, 30)
    assert action.is_ongoing
    assert action.slip_days == 0
    action.due_date = datetime.date(2020, 12, 31)
    action_save(action=action, user=plan_admin, reason="Employer network late")
    assert action.slip_days == 92
    assert action.deadline_text == "September 2020 an ongoing"


def test_saving_an_unchanged_action_writes_no_history(action, plan_admin):
    action_save(action=action, user=plan_admin, reason="dated")
    before = action.history.count()
    assert action_save(action=Action.objects.get(pk=action.pk), user=plan_admin) is False
    assert action.history.count() == before


def test_officer_cannot_edit_the_plan(action, officer):
    action.text = "Rewritten"
    with pytest.raises(PermissionDenied):
        action_save(action=action, user=officer)


def test_bulk_update_writes_one_history_row_per_action_with_the_user(priority, plan_admin):
    actions = [
        Action.objects.create(priority=priority, reference=f"1.{n}", text=f"Action {n}")
        for n in range(1, 4)
    ]
    count = action_bulk_update(
        actions=Action.objects.filter(priority=priority),
        user=plan_admin,
        reason="Board agreed",
        status=Status.COMPLETED,
    )
    assert count == 3
    for action in actions:
        latest = action.history.latest()
        assert latest.status == Status.COMPLETED
        assert latest.history_user == plan_admin
        assert latest.history_change_reason == "Board agreed"


def test_deleted_action_keeps_its_history(action, plan_admin):
    pk = action.pk
    action_delete(action=action, user=plan_admin, reason="Duplicate")
    history = Action.history.filter(id=pk).order_by("history_date")
    assert [row.history_type for row in history] == ["+", "-"]
    assert history.last().history_user == plan_admin
    assert ActionOwner.history.filter(action_id=pk, history_type="-").exists()


def test_changed_deadline_rederives_ongoing_unless_it_was_set_in_the_same_change(
    priority, plan_admin
):
    action = Action(priority=priority, reference="1.9", text="x", deadline_text="ongoing")
    action_save(action=action, user=plan_admin)
    assert (action.due_date, action.is_ongoing) == (None, True)

    action.deadline_text = "March 2020"
    action_save(action=action, user=plan_admin, reason="Dated at last")
    assert (action.due_date, action.is_ongoing) == (datetime.date(2020, 3, 31), False)

    action.deadline_text, action.is_ongoing = "June 2020", True
    action_save(action=action, user=plan_admin, reason="Termly after June")
    assert (action.due_date, action.is_ongoing) == (datetime.date(2020, 6, 30), True)


def test_action_save_reads_and_locks_the_action_alone(action, plan_admin):
    action.text = "Reworded."
    with CaptureQueriesContext(connection) as captured:
        action_save(action=action, user=plan_admin)
    # The first read of the action is the locked one (full_clean's checks follow). The
    # default ordering would join, and on PostgreSQL lock, the priority, strategy and area.
    read = next(
        query["sql"]
        for query in captured
        if query["sql"].startswith("SELECT")
        and 'FROM "actions_action"' in query["sql"]
        # Not the check that the action is in the plan admin's area, which must join.
        and '"area_id" IN' not in query["sql"]
    )
    assert "JOIN" not in read
    if connection.features.has_select_for_update_of:
        assert read.endswith('FOR UPDATE OF "actions_action"')


@pytest.fixture
def meeting(area, strategy, board_member):
    """A meeting of a board the board member sits on, monitoring the plan of ``priority``."""
    board = Board.objects.create(area=area, name="SEND Partnership Board", kind="partnership")
    BoardMembership.objects.create(board=board, user=board_member)
    return Meeting.objects.create(
        board=board, strategy=strategy, date=datetime.date(2026, 9, 1), title="Board"
    )


def test_only_the_meetings_board_members_and_plan_admins_add_follow_ups(
    meeting, priority, board_member, officer, plan_admin
):
    follow_up = dict(
        meeting=meeting,
        priority=priority,
        text="Report back on waiting times.",
        owner_name="DCO",
        due_date=datetime.date(2027, 3, 31),
        reason="Board review",
    )
    # A board member of no board this meeting belongs to is refused like an officer.
    outsider = make_user("bea", roles.BOARD_MEMBER)
    for user in (officer, outsider):
        with pytest.raises(PermissionDenied):
            action_create_follow_up(**follow_up, user=user)
    assert not Action.objects.exists()

    action = action_create_follow_up(**follow_up, user=board_member)
    assert (action.reference, action.deadline_text) == ("1.1", "31 March 2027")
    assert action.due_date == follow_up["due_date"]
    assert [owner.name for owner in action.owners.all()] == ["Designated Clinical Officer"]
    assert action.history.get().history_user == board_member
    assert action.ownerships.get().history.get().history_user == board_member
    assert action_create_follow_up(**follow_up, user=plan_admin).reference == "1.2"


def test_a_follow_up_goes_only_to_the_plan_the_meeting_monitors(
    meeting, area, board_member, plan_admin
):
    other_plan = Strategy.objects.create(
        area=area, title="Next plan", start_year=2026, end_year=2029
    )
    elsewhere = Priority.objects.create(strategy=other_plan, number=1, title="Elsewhere")
    with pytest.raises(ValidationError) as error:
        action_create_follow_up(
            meeting=meeting,
            priority=elsewhere,
            text="Report back.",
            owner_name="DCO",
            due_date=datetime.date(2027, 3, 31),
            user=board_member,
            reason="Board review",
        )
    assert error.value.message_dict == {
        "priority": ["Choose a priority of the plan this meeting monitors."]
    }
    assert not Action.objects.exists()
