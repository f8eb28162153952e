import datetime

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from actions.models import Action, Owner
from actions.services.actions import action_delete, action_save
from governance import services
from governance.models import BoardMembership, Decision, Review
from governance.services import FollowUp
from priorities.models import LocalArea, Priority, Strategy
from sendplan import roles
from tests.conftest import give_area, give_role

DUE = datetime.date(2027, 3, 31)


@pytest.fixture
def meeting(make_meeting):
    return make_meeting(datetime.date(2026, 6, 10))


def test_follow_up_becomes_an_action_of_the_priority_with_the_next_reference(
    meeting, priority, action, owner, board_member
):
    review = services.review_record(
        meeting=meeting,
        priority=priority,
        action=action,
        user=board_member,
        rag="amber",
        comment="Slow progress.",
        follow_ups=[FollowUp(text="Report parents' feedback.", owner_name="dco", due_date=DUE)],
    )
    follow_up = review.follow_ups.get()
    assert (follow_up.priority, follow_up.reference, follow_up.due_date) == (priority, "1.2", DUE)
    assert follow_up.deadline_text == "31 March 2027"
    assert list(follow_up.owners.all()) == [owner]  # "dco" is the DCO's alias


def test_follow_up_history_names_the_reviewer_and_the_review(meeting, priority, board_member):
    review = services.review_record(
        meeting=meeting,
        priority=priority,
        user=board_member,
        follow_ups=[FollowUp(text="Map provision.", owner_name="New Role", due_date=DUE)],
    )
    created = review.follow_ups.get()
    for row in [created.history.get(), Owner.objects.get(name="New Role").history.get()]:
        assert row.history_user == board_member
        assert row.history_change_reason == "Follow-up from the review of priority 1"
    assert review.history.latest().history_user == board_member


def test_the_stamp_ends_with_the_review(meeting, priority, board_member, plan_admin):
    services.review_record(
        meeting=meeting,
        priority=priority,
        user=board_member,
        follow_ups=[FollowUp(text="Map provision.", owner_name="DCO", due_date=DUE)],
    )
    later = Action(priority=priority, reference="1.9", text="Later.")
    action_save(action=later, user=plan_admin)
    assert later.history.get().history_user == plan_admin


def test_references_of_deleted_actions_are_not_reused(meeting, priority, board_member, plan_admin):
    gone = Action(priority=priority, reference="1.4", text="Withdrawn.")
    action_save(action=gone, user=plan_admin)
    action_delete(action=gone, user=plan_admin, reason="Duplicate")
    review = services.review_record(
        meeting=meeting,
        priority=priority,
        user=board_member,
        follow_ups=[FollowUp(text="Next.", owner_name="DCO", due_date=DUE)],
    )
    assert review.follow_ups.get().reference == "1.5"


def test_officer_cannot_record_a_review(meeting, priority, officer):
    with pytest.raises(PermissionDenied):
        services.review_record(meeting=meeting, priority=priority, user=officer, rag="red")
    assert not Review.objects.exists()


def test_board_member_of_another_board_cannot_review_this_one(meeting, priority, board_member):
    BoardMembership.objects.filter(user=board_member).delete()
    with pytest.raises(PermissionDenied):
        services.review_record(meeting=meeting, priority=priority, user=board_member, rag="red")


def test_plan_admin_reviews_for_any_board(meeting, priority, plan_admin):
    review = services.review_record(meeting=meeting, priority=priority, user=plan_admin, rag="red")
    assert review.recorded_by == plan_admin


def test_a_review_that_says_nothing_is_refused(meeting, priority, board_member):
    with pytest.raises(ValidationError) as error:
        services.review_record(meeting=meeting, priority=priority, user=board_member, comment=" ")
    assert "comment" in error.value.message_dict


def test_a_follow_up_without_owner_is_refused_and_nothing_is_created(
    meeting, priority, board_member
):
    with pytest.raises(ValidationError) as error:
        services.review_record(
            meeting=meeting,
            priority=priority,
            user=board_member,
            follow_ups=[FollowUp(text="Do it.", owner_name=" ", due_date=DUE)],
        )
    assert "follow_ups" in error.value.message_dict
    assert not Action.objects.exists()


def test_a_priority_of_another_plan_cannot_be_reviewed(meeting, area, board_member):
    other = Strategy.objects.create(area=area, title="SEND Strategy 2019-2022")
    elsewhere = Priority.objects.create(strategy=other, number=1, title="Old")
    with pytest.raises(ValidationError) as error:
        services.review_record(meeting=meeting, priority=elsewhere, user=board_member, rag="red")
    assert "priority" in error.value.message_dict


def test_an_action_of_another_priority_cannot_be_reviewed_under_this_one(
    meeting, strategy, action, board_member
):
    second = Priority.objects.create(strategy=strategy, number=2, title="Second")
    with pytest.raises(ValidationError) as error:
        services.review_record(
            meeting=meeting, priority=second, action=action, user=board_member, rag="red"
        )
    assert "action" in error.value.message_dict


def test_decisions_are_kept_by_plan_admins_with_history_of_linked_actions(
    area, action, plan_admin, board_member
):
    decision = Decision(
        area=area, number="115/2022", title="Joint SEND Strategy", decision_maker="Cabinet"
    )
    decision.decision = "Approved the strategy."
    with pytest.raises(PermissionDenied):
        services.decision_save(decision=decision, user=board_member)
    services.decision_save(decision=decision, user=plan_admin, actions=[action], reason="Minutes")
    latest = decision.history.latest()
    assert [link.action_id for link in latest.actions.all()] == [action.pk]
    assert (latest.history_user, latest.history_change_reason) == (plan_admin, "Minutes")


def test_decision_numbers_are_unique_within_an_area_but_may_be_blank(area, plan_admin):
    def save(number):
        decision = Decision(area=area, number=number, title="T", decision_maker="Cabinet")
        decision.decision = "Made."
        services.decision_save(decision=decision, user=plan_admin)

    save("")
    save("")
    save("115/2022")
    with pytest.raises(ValidationError):
        save("115/2022")
    kent = LocalArea.objects.create(name="Kent")
    plan_admin = give_area(plan_admin, kent)
    decision = Decision(area=kent, number="115/2022", title="T", decision_maker="Cabinet")
    decision.decision = "Made."
    services.decision_save(decision=decision, user=plan_admin)


def test_board_membership_changes_are_recorded(board, plan_admin):
    member = User.objects.create_user("chair")
    give_role(member, roles.BOARD_MEMBER, board.area)
    services.board_member_add(board=board, member=member, user=plan_admin, role="Chair")
    services.board_member_remove(board=board, member=member, user=plan_admin, reason="Left")
    rows = BoardMembership.history.filter(user=member).order_by("history_id")
    assert [(row.history_type, row.role, row.history_user) for row in rows] == [
        ("+", "Chair", plan_admin),
        ("-", "Chair", plan_admin),
    ]


def test_board_member_cannot_change_membership(board, board_member):
    with pytest.raises(PermissionDenied):
        services.board_member_add(board=board, member=board_member, user=board_member)


def test_a_review_is_refused_before_the_meeting_day(make_meeting, priority, board_member):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    meeting = make_meeting(tomorrow)
    with pytest.raises(ValidationError) as refused:
        services.review_record(meeting=meeting, priority=priority, user=board_member, rag="red")
    assert "has not happened yet" in refused.value.message_dict["meeting"][0]
    assert not Review.objects.exists()


def test_a_review_is_recorded_on_the_meeting_day(make_meeting, priority, board_member):
    meeting = make_meeting(timezone.localdate())
    services.review_record(meeting=meeting, priority=priority, user=board_member, rag="red")
    assert Review.objects.get().meeting == meeting
