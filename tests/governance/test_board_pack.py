"""The board pack shows the plan as it stood at the end of the meeting day, from history."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from actions.models import Action, ProgressUpdate
from actions.services.actions import action_delete, action_save, action_update_progress
from actions.services.ownership import action_set_owners
from governance import services
from governance.selectors import board_pack
from governance.services import FollowUp
from priorities.models import Priority, Strategy

from .conftest import london, on

BEFORE = datetime.date(2026, 3, 2)  # the plan is written
FIRST = datetime.date(2026, 4, 14)  # previous meeting
BETWEEN = datetime.date(2026, 5, 20)
MEETING = datetime.date(2026, 7, 7)  # British Summer Time: the day ends 23:00 UTC
AFTER = datetime.date(2026, 8, 1)


def update(action, user, status, rag, note, percent=0):
    action_update_progress(
        action=action, user=user, status=status, rag=rag, percent_complete=percent, note=note
    )


@pytest.fixture
def plan(priority, owner, officer, plan_admin):
    """Two actions written before the first meeting, then changed before and after MEETING."""
    with on(BEFORE):
        first = Action(priority=priority, reference="1.1", text="Train SENCOs.", order=1)
        first.due_date = datetime.date(2026, 6, 30)
        action_save(action=first, user=plan_admin)
        action_set_owners(action=first, owners=[owner], user=plan_admin)
        second = Action(priority=priority, reference="1.2", text="Publish guidance.", order=2)
        second.due_date = datetime.date(2026, 9, 30)
        action_save(action=second, user=plan_admin)
        action_set_owners(action=second, owners=[owner], user=plan_admin)
    with on(FIRST - datetime.timedelta(days=1)):
        update(first, officer, "in_progress", "green", "Started before the first meeting.")
    with on(BETWEEN):
        update(first, officer, "at_risk", "red", "Trainer left.", percent=30)
    with on(MEETING, 23, 30):  # still the meeting day in London, 22:30 UTC
        update(second, officer, "in_progress", "amber", "Draft written.", percent=50)
    with on(MEETING + datetime.timedelta(days=1), 0, 30):  # 23:30 UTC on the meeting day
        update(first, officer, "blocked", "red", "Just after midnight.")
    with on(AFTER):
        update(second, officer, "completed", "green", "Published.", percent=100)
    return first, second


@pytest.fixture
def meetings(make_meeting):
    return make_meeting(FIRST, "April board"), make_meeting(MEETING, "July board")


def as_at(pack, reference):
    return next(row for row in pack.actions if row.reference == reference)


def test_pack_shows_values_as_at_the_end_of_the_meeting_day_in_london(plan, meetings):
    pack = board_pack(meetings[1])
    first, second = as_at(pack, "1.1"), as_at(pack, "1.2")
    assert (first.status, first.rag, first.percent_complete) == ("at_risk", "red", 30)
    assert (second.status, second.rag, second.percent_complete) == ("in_progress", "amber", 50)


def test_edits_after_the_meeting_do_not_change_the_pack(plan, meetings, plan_admin):
    first, _ = plan
    before = board_pack(meetings[1])
    first.text = "Rewritten after the meeting."
    first.status = "completed"
    action_save(action=first, user=plan_admin, reason="Done")
    action_delete(action=plan[1], user=plan_admin, reason="Merged")
    after = board_pack(meetings[1])
    assert [(r.reference, r.text, r.status) for r in after.actions] == [
        (r.reference, r.text, r.status) for r in before.actions
    ]
    assert after.totals.by_status == before.totals.by_status


def test_actions_created_after_or_deleted_before_the_meeting_are_left_out(
    plan, meetings, priority, plan_admin
):
    with on(BETWEEN):
        gone = Action(priority=priority, reference="1.3", text="Dropped.")
        action_save(action=gone, user=plan_admin)
        action_delete(action=gone, user=plan_admin, reason="Dropped")
    with on(AFTER):
        action_save(action=Action(priority=priority, reference="1.4", text="New."), user=plan_admin)
    assert [row.reference for row in board_pack(meetings[1]).actions] == ["1.1", "1.2"]
    assert board_pack(meetings[0]).actions[0].status == "in_progress"


def test_an_action_moved_to_another_plan_leaves_the_packs_from_then_on(
    plan, meetings, strategy, plan_admin
):
    other_plan = Strategy.objects.create(area=strategy.area, title="SEND Strategy 2025-28")
    elsewhere = Priority.objects.create(strategy=other_plan, number=1, title="Inclusion")
    first, _ = plan
    with on(BETWEEN):
        first.priority = elsewhere
        action_save(action=first, user=plan_admin, reason="Belongs there")
    assert [row.reference for row in board_pack(meetings[0]).actions] == ["1.1", "1.2"]
    assert [row.reference for row in board_pack(meetings[1]).actions] == ["1.2"]


def test_summary_counts_by_status_and_rag_per_priority(plan, meetings):
    pack = board_pack(meetings[1])
    [row] = pack.summary
    assert (row.number, row.total) == (1, 2)
    assert {k: v for k, v in row.by_status.items() if v} == {"at_risk": 1, "in_progress": 1}
    assert {k: v for k, v in row.by_rag.items() if v} == {"red": 1, "amber": 1}
    assert pack.totals.total == 2


def test_changes_since_previous_meeting_say_what_who_when_and_why_newest_first(plan, meetings):
    changes = board_pack(meetings[1]).changes
    assert [
        (c.reference, [(x.label, x.old, x.new) for x in c.changes], c.note) for c in changes
    ] == [
        (
            "1.2",
            [
                ("Status", "Not started", "In progress"),
                ("RAG rating", "Not rated", "Amber"),
                ("Percent complete", "0%", "50%"),
            ],
            "Draft written.",
        ),
        (
            "1.1",
            [
                ("Status", "In progress", "At risk"),
                ("RAG rating", "Green", "Red"),
                ("Percent complete", "0%", "30%"),
            ],
            "Trainer left.",
        ),
    ]
    assert changes[1].who == "Olivia"
    assert changes[1].when == london(BETWEEN)


def test_a_progress_note_alone_is_in_the_packs_changes(plan, meetings, officer):
    first, _ = plan
    update(first, officer, "blocked", "red", "Interviewing a new trainer.")  # as it stands
    ProgressUpdate.objects.filter(note="Interviewing a new trainer.").update(
        created_at=london(BETWEEN, 15)
    )
    changes = board_pack(meetings[1]).changes
    note = next(c for c in changes if c.note == "Interviewing a new trainer.")
    assert (note.reference, note.changes, note.kind) == ("1.1", (), "Progress note")


def test_first_meeting_has_no_changes_to_compare(plan, meetings):
    pack = board_pack(meetings[0])
    assert (pack.previous, pack.changes) == (None, [])
    assert pack.next_meeting == meetings[1]


def test_exceptions_are_judged_on_the_meeting_day(plan, meetings, priority, plan_admin):
    with on(BEFORE):
        quiet = Action(priority=priority, reference="1.5", text="Never updated.", order=5)
        action_save(action=quiet, user=plan_admin)
    exceptions = [(row.action.reference, row.reasons) for row in board_pack(meetings[1]).exceptions]
    assert exceptions == [  # worst first, as on the dashboard (actions/rules.py worst_first)
        ("1.1", ["Red", "At risk", "Overdue"]),  # due 30 June, not yet blocked on the day
        ("1.5", ["No update for over 60 days"]),
    ]


def test_due_before_next_meeting_or_within_90_days(plan, meetings, make_meeting):
    assert [row.reference for row in board_pack(meetings[1]).due] == ["1.2"]  # 30 September
    make_meeting(datetime.date(2026, 9, 1), "September board")
    assert board_pack(meetings[1]).due == []
    assert board_pack(meetings[1]).due_until == datetime.date(2026, 9, 1)


def test_pack_lists_reviews_with_their_follow_ups(plan, meetings, priority, board_member):
    services.review_record(
        meeting=meetings[1],
        priority=priority,
        action=plan[0],
        user=board_member,
        rag="red",
        follow_ups=[FollowUp("Find a trainer.", "DCO", datetime.date(2026, 10, 1))],
    )
    [review] = board_pack(meetings[1]).reviews
    assert [a.reference for a in review.follow_ups.all()] == ["1.3"]


def grow_plan(priority, owner, officer, numbers: range) -> None:
    """Actions with an owner, a progress update and a change between the meetings."""
    created = bulk_create_with_history(
        [
            Action(priority=priority, reference=f"9.{n}", text=f"Action {n}", order=n)
            for n in numbers
        ],
        Action,
        default_date=london(BEFORE),
    )
    for action in created:
        action.owners.add(owner)
        action.status, action.rag = "in_progress", "amber"
    bulk_update_with_history(
        created, Action, ["status", "rag"], default_date=london(BETWEEN), default_user=officer
    )
    bulk_create_with_history(
        [ProgressUpdate(action=action, author=officer, note="Going") for action in created],
        ProgressUpdate,
        default_date=london(BETWEEN),
    )


def pack_queries(meeting) -> int:
    """Queries of the pack read from the database (published papers need none of them)."""
    with CaptureQueriesContext(connection) as queries:
        pack = board_pack(meeting)
        for review in pack.reviews:
            list(review.follow_ups.all())
    return len(queries)


def test_pack_query_count_does_not_grow_with_the_plan(
    plan, meetings, priority, owner, officer, board_member
):
    services.review_record(
        meeting=meetings[1],
        priority=priority,
        user=board_member,
        follow_ups=[FollowUp("Check.", "DCO", datetime.date(2026, 10, 1))],
    )
    grow_plan(priority, owner, officer, range(10))
    small = pack_queries(meetings[1])
    assert len(board_pack(meetings[1]).changes) == 12
    grow_plan(priority, owner, officer, range(10, 500))
    assert len(board_pack(meetings[1]).actions) == 502
    assert pack_queries(meetings[1]) == small
