"""Update rounds: starting one, who has updated since it began, and how current a pack is."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from actions.models import Action, Owner, OwnerHolder
from actions.services import actions as action_services
from governance import services
from governance.selectors import board_pack, round_progress, updated_action_ids
from priorities.models import Priority, Strategy

from .conftest import on


def today():
    return timezone.localdate()


def days(n: int) -> datetime.date:
    return today() + datetime.timedelta(days=n)


def add_action(priority, reference, owners, status="not_started"):
    action = Action.objects.create(
        priority=priority, reference=reference, text=f"Action {reference}.", status=status
    )
    action.owners.add(*owners)
    return action


@pytest.fixture
def plan(priority, owner, action):
    """Three open actions and a completed one, all owned by the DCO role."""
    return [
        action,
        add_action(priority, "1.2", [owner]),
        add_action(priority, "1.3", [owner]),
        add_action(priority, "1.4", [owner], status="completed"),
    ]


@pytest.fixture
def next_meeting(make_meeting):
    return make_meeting(days(30), "Next board")


def progress(action, user, note="Moving."):
    action_services.action_update_progress(
        action=action,
        user=user,
        status=action.status,
        rag=action.rag,
        percent_complete=action.percent_complete,
        note=note,
    )


def test_round_covers_every_open_action_and_ends_ten_days_before(plan, next_meeting, plan_admin):
    update_round = services.round_start(meeting=next_meeting, user=plan_admin)
    assert update_round.deadline == next_meeting.date - datetime.timedelta(days=10)
    assert sorted(a.reference for a in update_round.actions.all()) == ["1.1", "1.2", "1.3"]
    assert update_round.history.get().history_user == plan_admin


def test_round_takes_a_chosen_deadline_and_actions(plan, next_meeting, plan_admin):
    update_round = services.round_start(
        meeting=next_meeting, user=plan_admin, deadline=days(5), actions=plan[:2]
    )
    assert update_round.deadline == days(5)
    assert update_round.actions.count() == 2


def test_deadline_setting_changes_the_default(plan, next_meeting, plan_admin, settings):
    settings.SENDPLAN_ROUND_DEADLINE_DAYS = 3
    update_round = services.round_start(meeting=next_meeting, user=plan_admin)
    assert update_round.deadline == next_meeting.date - datetime.timedelta(days=3)


@pytest.mark.parametrize(
    ("meeting_in", "deadline_in", "field"),
    [(-1, None, "meeting"), (30, -1, "deadline"), (30, 31, "deadline")],
)
def test_round_refuses_a_past_meeting_or_a_bad_deadline(
    plan, make_meeting, plan_admin, meeting_in, deadline_in, field
):
    meeting = make_meeting(days(meeting_in))
    deadline = None if deadline_in is None else days(deadline_in)
    with pytest.raises(ValidationError) as error:
        services.round_start(meeting=meeting, user=plan_admin, deadline=deadline)
    assert field in error.value.message_dict


def test_a_meeting_has_one_round(plan, next_meeting, plan_admin):
    services.round_start(meeting=next_meeting, user=plan_admin)
    with pytest.raises(ValidationError, match="already has an update round"):
        services.round_start(meeting=next_meeting, user=plan_admin)


def test_round_refuses_actions_of_another_plan(plan, next_meeting, plan_admin, area):
    other = Strategy.objects.create(area=area, title="Other", start_year=2019, end_year=2022)
    stranger = add_action(Priority.objects.create(strategy=other, number=1, title="P"), "1.1", [])
    with pytest.raises(ValidationError, match="plan this meeting monitors"):
        services.round_start(meeting=next_meeting, user=plan_admin, actions=[stranger])


def test_officer_cannot_start_a_round(plan, next_meeting, officer):
    with pytest.raises(PermissionDenied):
        services.round_start(meeting=next_meeting, user=officer)


def test_updated_means_a_progress_update_or_a_save_by_a_person(plan, officer, plan_admin):
    first, second, third, _ = plan
    since = timezone.now()
    progress(first, officer)
    second.text = "Reworded by the plan admin."
    action_services.action_save(action=second, user=plan_admin)
    third.text = "Reworded on the server."
    action_services.action_save(action=third, user=None)  # a command: nobody updated it
    ids = Action.objects.values("pk")
    assert updated_action_ids(action_ids=ids, since=since) == {first.pk, second.pk}


def test_updates_before_the_round_started_do_not_count(plan, officer, next_meeting, plan_admin):
    with on(days(-2)):
        progress(plan[0], officer)
    progress_round = round_progress(services.round_start(meeting=next_meeting, user=plan_admin))
    assert (progress_round.updated, progress_round.total) == (0, 3)


def test_round_progress_by_owner_and_priority(plan, officer, next_meeting, plan_admin, area):
    nobody = Owner.objects.create(area=area, name="Principal Educational Psychologist")
    plan[2].owners.add(nobody)
    update_round = services.round_start(meeting=next_meeting, user=plan_admin)
    progress(plan[0], officer)
    result = round_progress(update_round)
    assert (result.updated, result.total, result.percent) == (1, 3, 33)
    by_owner = {row.label: row for row in result.by_owner}
    dco = by_owner["Designated Clinical Officer"]
    assert (dco.updated, dco.total, dco.holders) == (1, 3, [officer])
    assert [a.reference for a in dco.not_updated] == ["1.2", "1.3"]
    assert by_owner["Principal Educational Psychologist"].holders == []
    [priority_row] = result.by_priority
    assert (priority_row.updated, priority_row.total) == (1, 3)


def test_round_progress_query_count_does_not_grow(
    priority, owner, officer, next_meeting, plan_admin
):
    def queries_for(count):
        for number in range(count):
            add_action(priority, f"1.{100 + number}{count}", [owner])
        update_round = services.round_start(meeting=next_meeting, user=plan_admin)
        for action in update_round.actions.all()[:3]:
            progress(action, officer)
        with CaptureQueriesContext(connection) as queries:
            round_progress(update_round)
        update_round.coverage.all().delete()
        update_round.delete()
        return len(queries)

    assert queries_for(10) == queries_for(200)


def test_pack_counts_round_actions_updated_since_the_round_started(
    plan, officer, make_meeting, plan_admin, client
):
    meeting = make_meeting(days(20))
    update_round = services.round_start(meeting=meeting, user=plan_admin)
    progress(plan[1], officer)
    currency = board_pack(meeting).currency
    assert (currency.updated, currency.total, currency.round) == (1, 3, update_round)
    assert [row.reference for row in currency.not_updated] == ["1.1", "1.3"]
    client.force_login(plan_admin)
    page = client.get(reverse("governance:meeting_pack", args=[meeting.pk])).content.decode()
    started = f"{timezone.localtime(update_round.started_at):%-d %B %Y}"
    assert f"1 of 3 actions updated since {started}" in page


def test_pack_without_round_counts_open_actions_since_the_previous_meeting(
    priority, owner, officer, make_meeting
):
    with on(days(-60)):
        plan = [add_action(priority, f"1.{n}", [owner]) for n in range(1, 4)]
        add_action(priority, "1.4", [owner], status="completed")
    with on(days(-40)):
        previous = make_meeting(days(-40), "Previous board")
        progress(plan[0], officer)  # before the previous meeting ended: not counted
    with on(days(-20)):
        progress(plan[1], officer)
    with on(days(-5)):
        progress(plan[2], officer)  # after this meeting: not counted in its pack
    meeting = make_meeting(days(-10), "Last board")
    currency = board_pack(meeting).currency
    assert currency.since.date() == previous.date + datetime.timedelta(days=1)
    assert currency.round is None
    assert (currency.updated, currency.total) == (1, 3)
    assert [row.reference for row in currency.not_updated] == ["1.1", "1.3"]


def test_first_meeting_without_round_says_nothing_about_currency(plan, make_meeting):
    assert board_pack(make_meeting(days(-10))).currency is None


def test_holder_given_later_shows_on_round_page(plan, next_meeting, plan_admin, area, officer):
    # A role's holders are read at the time the page is shown, not frozen at the start.
    update_round = services.round_start(meeting=next_meeting, user=plan_admin)
    other = Owner.objects.get(name="Designated Clinical Officer")
    OwnerHolder.objects.create(owner=other, user=plan_admin)
    dco = round_progress(update_round).by_owner[0]
    assert set(dco.holders) == {officer, plan_admin}
