"""Open, overdue, due soon and stale: one definition, and every page that counts them agrees."""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from actions import rules
from actions.choices import Status
from actions.models import Action, ProgressUpdate
from actions.selectors.pages import dashboard_for_strategy, filter_actions
from actions.services.actions import action_save
from governance.models import Board, Meeting
from governance.selectors import board_pack
from planfile.importer import plan_import
from priorities.models import Strategy
from tests.seed import SEED

TODAY = datetime.date(2026, 11, 29)


def at(day: datetime.date, hour: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def test_due_today_is_due_soon_not_overdue():
    assert not rules.is_overdue(status=Status.IN_PROGRESS, due_date=TODAY, today=TODAY)
    assert rules.is_due_soon(status=Status.IN_PROGRESS, due_date=TODAY, today=TODAY)


def test_due_yesterday_is_overdue_unless_completed():
    yesterday = TODAY - datetime.timedelta(days=1)
    assert rules.is_overdue(status=Status.BLOCKED, due_date=yesterday, today=TODAY)
    assert not rules.is_overdue(status=Status.COMPLETED, due_date=yesterday, today=TODAY)
    assert not rules.is_due_soon(status=Status.BLOCKED, due_date=yesterday, today=TODAY)


def test_due_soon_ends_after_the_setting_days():
    last = TODAY + datetime.timedelta(days=settings.SENDPLAN_DUE_SOON_DAYS)
    assert rules.is_due_soon(status=Status.NOT_STARTED, due_date=last, today=TODAY)
    after = last + datetime.timedelta(days=1)
    assert not rules.is_due_soon(status=Status.NOT_STARTED, due_date=after, today=TODAY)


def test_no_due_date_is_neither_overdue_nor_due_soon():
    assert not rules.is_overdue(status=Status.NOT_STARTED, due_date=None, today=TODAY)
    assert not rules.is_due_soon(status=Status.NOT_STARTED, due_date=None, today=TODAY)


def test_stale_counts_from_the_start_of_the_area_day():
    days = settings.SENDPLAN_STALE_AFTER_DAYS
    cutoff_day = TODAY - datetime.timedelta(days=days)
    just_before = at(cutoff_day) - datetime.timedelta(minutes=1)
    assert rules.is_stale(status=Status.IN_PROGRESS, last_activity=just_before, today=TODAY)
    assert not rules.is_stale(status=Status.IN_PROGRESS, last_activity=at(cutoff_day), today=TODAY)
    assert not rules.is_stale(status=Status.COMPLETED, last_activity=just_before, today=TODAY)


def import_seed(plan_admin) -> None:
    plan_import(
        area_name="Medway",
        strategy_title="SEND Strategy 2019-2022",
        file_name=SEED.name,
        data=SEED.read_bytes(),
        user=plan_admin,
    )


def test_a_plan_imported_yesterday_is_not_stale(plan_admin):
    import_seed(plan_admin)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    assert Action.objects.count() == 36
    assert not Action.objects.stale(tomorrow).exists()


@pytest.fixture
def seed_plan(plan_admin, officer):
    """The seed appendix imported 200 days ago (its 2019-22 deadlines have all passed): two
    actions completed, one due in a week, and recent notes on the first three of priority 1."""
    import_seed(plan_admin)
    strategy = Strategy.objects.get(title="SEND Strategy 2019-2022")
    actions = {a.reference: a for a in Action.objects.filter(priority__strategy=strategy)}
    today = timezone.localdate()
    actions["2.1"].status = actions["3.1"].status = Status.COMPLETED
    actions["4.1"].due_date = today + datetime.timedelta(days=7)
    for reference in ("2.1", "3.1", "4.1"):
        action_save(action=actions[reference], user=plan_admin, reason="Board review")
    Action.history.update(history_date=timezone.now() - datetime.timedelta(days=200))
    for reference in ("1.1", "1.2", "1.3"):
        ProgressUpdate.objects.create(action=actions[reference], author=officer, note="Recent")
    return strategy, actions


def test_dashboard_board_pack_list_and_admin_filter_agree_on_the_seed_plan(
    seed_plan, client, plan_admin
):
    strategy, actions = seed_plan
    today = timezone.localdate()
    stale_days = settings.SENDPLAN_STALE_AFTER_DAYS
    references = {a.pk: a.reference for a in actions.values()}

    for action in actions.values():
        action.refresh_from_db()
    expected_overdue = {ref for ref, action in actions.items() if action.is_overdue}
    # Ongoing actions have no due date; the completed and the one due next week are not late.
    assert 20 < len(expected_overdue) < 33
    assert not expected_overdue & {"2.1", "3.1", "4.1"}
    expected_stale = set(actions) - {"2.1", "3.1", "1.1", "1.2", "1.3"}

    dashboard = dashboard_for_strategy(strategy, today, stale_days)
    assert dashboard.totals.overdue == len(expected_overdue)
    assert dashboard.totals.stale == len(expected_stale)
    assert dashboard.totals.due_soon == 1

    def listed(**filters):
        return {a.reference for a in filter_actions(strategy, filters, today)}

    assert listed(overdue=True) == expected_overdue
    assert listed(stale=True) == expected_stale
    assert listed(due_soon=True) == {"4.1"}

    client.force_login(plan_admin)
    response = client.get(reverse("admin:actions_action_changelist") + "?overdue=yes")
    assert {a.reference for a in response.context["cl"].result_list} == expected_overdue

    board = Board.objects.create(area=strategy.area, name="SEND Partnership Board")
    pack = board_pack(Meeting.objects.create(board=board, strategy=strategy, date=today))
    reasons = {references[row.action.id]: row.reasons for row in pack.exceptions}
    assert {ref for ref, why in reasons.items() if "Overdue" in why} == expected_overdue
    stale_reason = f"No update for over {stale_days} days"
    assert {ref for ref, why in reasons.items() if stale_reason in why} == expected_stale
