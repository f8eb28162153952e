"""Plans and priorities are written by their services alone: a plan admin of the area,
with a reason for every change, and nothing of an archived plan but its un-archiving."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from actions.models import Action
from priorities.choices import StrategyStage
from priorities.models import LocalArea, Priority, Strategy
from priorities.services import (
    priority_delete,
    priority_save,
    strategy_delete,
    strategy_restore,
    strategy_save,
)
from sendplan import roles
from tests.conftest import make_user

ARCHIVED = (
    "The plan “Joint SEND Strategy 2022-25” is archived: its details and priorities cannot "
    "be changed. To change it, un-archive it first (give it another stage), with a reason."
)


@pytest.fixture
def archived(strategy):
    strategy.stage = StrategyStage.ARCHIVED
    strategy.save()
    return strategy


def messages(error) -> list[str]:
    return error.value.messages


def test_a_plan_admin_retitles_a_priority_and_its_history_says_who_and_why(priority, plan_admin):
    priority.title = "Early help"

    assert priority_save(priority=priority, user=plan_admin, reason="Board renamed it")

    latest = priority.history.latest()
    assert (latest.title, latest.history_user, latest.history_change_reason) == (
        "Early help",
        plan_admin,
        "Board renamed it",
    )


def test_a_change_without_a_reason_is_refused(priority, strategy, plan_admin):
    priority.title = "Early help"
    with pytest.raises(ValidationError) as refused:
        priority_save(priority=priority, user=plan_admin, reason=" ")
    assert messages(refused) == ["Give a reason for this change: the history keeps it."]

    strategy.description = "Our joint strategy."
    with pytest.raises(ValidationError):
        strategy_save(strategy=strategy, user=plan_admin, reason="")
    assert priority.history.count() == strategy.history.count() == 1


def test_a_new_priority_needs_no_reason_and_an_unchanged_one_writes_nothing(
    priority, strategy, plan_admin
):
    new = Priority(strategy=strategy, number=2, title="Sufficiency of places")
    assert priority_save(priority=new, user=plan_admin)
    assert new.history.get().history_user == plan_admin

    assert not priority_save(priority=priority, user=plan_admin, reason="Nothing")
    assert priority.history.count() == 1


def test_only_a_plan_admin_of_the_area_writes_plans_and_priorities(
    priority, strategy, officer, board_member
):
    kent_admin = make_user("kim", roles.PLAN_ADMIN, LocalArea.objects.create(name="Kent"))
    for user in (officer, board_member, kent_admin):
        priority.title = "Early help"
        with pytest.raises(PermissionDenied):
            priority_save(priority=priority, user=user, reason="Renamed")
        with pytest.raises(PermissionDenied):
            priority_delete(priority=priority, user=user, reason="Gone")
        strategy.title = "Renamed"
        with pytest.raises(PermissionDenied):
            strategy_save(strategy=strategy, user=user, reason="Renamed")
        with pytest.raises(PermissionDenied):
            strategy_delete(strategy=strategy, user=user, reason="Gone")
    assert Priority.objects.get().title == "Early identification"
    assert Strategy.objects.get().title == "Joint SEND Strategy 2022-25"


def test_a_plan_admin_cannot_move_a_plan_to_an_area_not_theirs(strategy, plan_admin):
    strategy.area = LocalArea.objects.create(name="Kent")
    with pytest.raises(PermissionDenied):
        strategy_save(strategy=strategy, user=plan_admin, reason="Moved")


def test_nothing_of_an_archived_plan_changes(archived, priority, plan_admin):
    before = (priority.history.count(), archived.history.count())
    priority.title = "Early help"
    attempts = [
        lambda: priority_save(priority=priority, user=plan_admin, reason="Renamed"),
        lambda: priority_save(
            priority=Priority(strategy=archived, number=2, title="New"),
            user=plan_admin,
            reason="Added",
        ),
        lambda: priority_delete(priority=priority, user=plan_admin, reason="Gone"),
        lambda: strategy_delete(strategy=archived, user=plan_admin, reason="Gone"),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError) as refused:
            attempt()
        assert messages(refused) == [ARCHIVED]
    archived.title = "Renamed"
    with pytest.raises(ValidationError) as refused:
        strategy_save(strategy=archived, user=plan_admin, reason="Renamed")
    assert messages(refused) == [ARCHIVED]
    assert (priority.history.count(), archived.history.count()) == before
    assert Priority.objects.get().title == "Early identification"


def test_a_priority_cannot_move_into_or_out_of_an_archived_plan(
    archived, priority, area, plan_admin
):
    live = Strategy.objects.create(area=area, title="SEND Strategy 2025-28")
    priority.strategy = live
    with pytest.raises(ValidationError) as refused:
        priority_save(priority=priority, user=plan_admin, reason="Carried over")
    assert messages(refused) == [ARCHIVED]

    other = Priority.objects.create(strategy=live, number=5, title="Transitions")
    other.strategy = archived
    with pytest.raises(ValidationError):
        priority_save(priority=other, user=plan_admin, reason="Moved back")


def test_un_archiving_is_the_one_change_an_archived_plan_takes(archived, plan_admin):
    archived.stage, archived.title = StrategyStage.PUBLISHED, "Renamed"
    with pytest.raises(ValidationError):
        strategy_save(strategy=archived, user=plan_admin, reason="Reopened and renamed")

    archived.title = "Joint SEND Strategy 2022-25"
    assert strategy_save(strategy=archived, user=plan_admin, reason="Extended to 2026")

    latest = archived.history.latest()
    assert (latest.stage, latest.history_user, latest.history_change_reason) == (
        StrategyStage.PUBLISHED,
        plan_admin,
        "Extended to 2026",
    )


def test_deleting_a_priority_names_who_and_why_on_its_actions_history_too(
    action, priority, plan_admin
):
    with pytest.raises(ValidationError):
        priority_delete(priority=priority, user=plan_admin, reason="")

    ids = priority.pk, action.pk
    priority_delete(priority=priority, user=plan_admin, reason="Merged into priority 2")

    deleted = [
        Priority.history.get(id=ids[0], history_type="-"),
        Action.history.get(id=ids[1], history_type="-"),
    ]
    assert [(row.history_user, row.history_change_reason) for row in deleted] == [
        (plan_admin, "Merged into priority 2")
    ] * 2


def test_a_plan_deleted_with_a_reason_is_restored_with_its_priorities(
    action, priority, strategy, plan_admin
):
    strategy_id, priority_id = strategy.pk, priority.pk
    strategy_delete(strategy=strategy, user=plan_admin, reason="Made in error")
    assert not Priority.objects.exists()
    deleted = Priority.history.get(id=priority_id, history_type="-")
    assert (deleted.history_user, deleted.history_change_reason) == (plan_admin, "Made in error")

    strategy_restore(strategy_id=strategy_id, user=plan_admin, reason="Needed after all")

    assert Priority.objects.get().title == "Early identification"
    assert Action.objects.get().reference == "1.1"
