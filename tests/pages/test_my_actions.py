"""My actions: the signed-in officer's actions, by priority, overdue first."""

import datetime
import re

from django.urls import reverse
from django.utils import timezone

from actions.choices import Rag, Status
from actions.models import Action, Owner
from priorities.choices import StrategyStage
from priorities.models import Priority, Strategy
from tests.conftest import make_user, update_progress

HOME = reverse("home")


def add_action(priority, owner, reference, due_in_days=None, **fields):
    due = timezone.localdate() + datetime.timedelta(days=due_in_days) if due_in_days else None
    action = Action.objects.create(
        priority=priority, reference=reference, text=f"Action {reference}.", due_date=due, **fields
    )
    action.owners.add(owner)
    return action


def references(html: str) -> list[str]:
    return re.findall(r'class="govuk-link" href="/actions/\d+/">([\d.]+):', html)


def test_it_lists_overdue_first_then_due_soonest_then_undated_then_completed(
    officer_client, priority, owner
):
    add_action(priority, owner, "1.1", due_in_days=200)
    add_action(priority, owner, "1.2")
    add_action(priority, owner, "1.3", due_in_days=-30)
    add_action(priority, owner, "1.4", due_in_days=10)
    add_action(priority, owner, "1.5", due_in_days=-300, status=Status.COMPLETED)
    response = officer_client.get(HOME)
    assert references(response.text) == ["1.3", "1.4", "1.1", "1.2", "1.5"]
    overdue_card = response.text.split("1.3:")[1].split("govuk-summary-card__title")[0]
    assert "Overdue" in overdue_card


def test_it_groups_by_priority_and_leaves_out_others_actions_and_archived_plans(
    officer_client, strategy, priority, owner, area
):
    second = Priority.objects.create(strategy=strategy, number=2, title="Sufficiency")
    add_action(second, owner, "2.1")
    add_action(priority, owner, "1.1")
    add_action(priority, Owner.objects.create(area=area, name="Head of Education"), "1.9")
    archived = Strategy.objects.create(area=area, title="Old plan", stage=StrategyStage.ARCHIVED)
    old = Priority.objects.create(strategy=archived, number=1, title="Long gone")
    add_action(old, owner, "1.1")
    response = officer_client.get(HOME)
    assert references(response.text) == ["1.1", "2.1"]
    assert response.text.index("Priority 1: Early identification") < response.text.index(
        "Priority 2: Sufficiency"
    )
    assert "Long gone" not in response.text


def test_each_action_shows_status_rag_due_and_last_update_as_text(officer_client, action, officer):
    Action.objects.filter(pk=action.pk).update(due_date=datetime.date(2019, 12, 31))
    note = "Waiting for the schools' replies."
    update_progress(action, officer, Status.AT_RISK, rag=Rag.AMBER, percent=30, note=note)
    response = officer_client.get(HOME)
    text = response.text
    assert '<strong class="govuk-tag govuk-tag--yellow">At risk</strong>' in text
    assert '<strong class="govuk-tag govuk-tag--orange">Amber</strong>' in text
    assert "30% complete" in text
    assert "31 December 2019" in text and "As written: “December 2019”" in text
    assert '<strong class="govuk-tag govuk-tag--red">Overdue</strong>' in text
    assert f"{timezone.localdate():%-d %B %Y} (just now)" in text
    assert "Waiting for the schools&#x27; replies." in text
    assert f'href="{reverse("actions:update", args=[action.pk])}"' in text


def test_an_officer_with_no_role_is_told_what_to_do(client, db):
    client.force_login(make_user("newbie", "Officer"))
    response = client.get(HOME)
    assert "You do not hold an owner role yet" in response.text


def test_a_board_member_lands_on_the_plans(board_client):
    response = board_client.get(HOME)
    assert response.status_code == 302
    assert response["Location"] == reverse("actions:strategies")


def test_its_query_count_does_not_grow_with_the_actions(officer_client, queries_at_10_and_500):
    small, large = queries_at_10_and_500(officer_client, HOME)
    assert small == large
    assert large <= 8


def test_my_actions_is_the_current_nav_item(officer_client):
    response = officer_client.get(HOME)
    assert re.search(r'href="/"\s+aria-current="page">My actions', response.text)
