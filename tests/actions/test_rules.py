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


def _needs(**flags) -> rules.Attention:
    return rules.Attention(stale_days=60, **flags)


def test_worst_first_puts_red_blocked_overdue_together_first_then_at_risk_then_stale():
    items = [
        ("stale", _needs(stale=True), None),
        ("at risk", _needs(at_risk=True), None),
        ("overdue long ago", _needs(overdue=True), datetime.date(2025, 1, 1)),
        ("red and overdue", _needs(red=True, overdue=True), datetime.date(2026, 6, 1)),
        ("overdue lately", _needs(overdue=True), datetime.date(2026, 6, 1)),
        ("red, blocked and overdue", _needs(red=True, blocked=True, overdue=True), None),
        ("at risk and stale", _needs(at_risk=True, stale=True), None),
    ]
    ordered = rules.worst_first(
        items, attention_of=lambda item: item[1], due_date_of=lambda item: item[2]
    )
    assert [item[0] for item in ordered] == [
        "red, blocked and overdue",
        "red and overdue",
        "overdue long ago",
        "overdue lately",
        "at risk and stale",
        "at risk",
        "stale",
    ]


def test_attention_names_each_reason_and_ignores_completed_actions():
    long_ago = at(TODAY - datetime.timedelta(days=100))
    needs = rules.attention(
        status=Status.BLOCKED,
        rag="red",
        due_date=TODAY - datetime.timedelta(days=1),
        last_activity=long_ago,
        today=TODAY,
        stale_days=60,
    )
    assert needs.reasons == ["Red", "Blocked", "Overdue", "No update for over 60 days"]
    done = rules.attention(
        status=Status.COMPLETED, rag="red", due_date=None, last_activity=long_ago, today=TODAY
    )
    assert not done.needed and done.reasons == []


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (("not_started", ""), ("in_progress", ""), 1),
        (("in_progress", "green"), ("at_risk", "green"), -1),
        (("in_progress", "amber"), ("in_progress", "green"), 1),
        (("in_progress", "green"), ("completed", "red"), -1),  # a slip is never hidden
        (("in_progress", ""), ("in_progress", "red"), 0),  # not rated is off the scale
        (("blocked", "red"), ("blocked", "red"), 0),
    ],
)
def test_better_and_worse_follow_the_status_and_rag_orders(old, new, expected):
    assert (
        rules.direction(old_status=old[0], new_status=new[0], old_rag=old[1], new_rag=new[1])
        == expected
    )
