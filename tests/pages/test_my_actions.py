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


def test_it_leaves_out_others_actions_and_archived_plans(
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
    assert "Joint SEND Strategy 2022-25, priority 2" in response.text
    assert "Old plan" not in response.text


def test_overdue_comes_first_across_priorities_then_due_soon(
    officer_client, strategy, priority, owner
):
    # The seed's case: 1.1 due soon was listed before 2.1 overdue, priority by priority.
    first = priority
    second = Priority.objects.create(strategy=strategy, number=2, title="Sufficiency")
    add_action(first, owner, "1.1", due_in_days=20)
    add_action(second, owner, "2.1", due_in_days=-20)
    add_action(first, owner, "1.2", due_in_days=400)
    text = officer_client.get(HOME).text
    assert references(text) == ["2.1", "1.1", "1.2"]
    headings = re.findall(r'<h2 class="govuk-heading-m govuk-!-margin-top-6">([^<]+)', text)
    assert [h.strip() for h in headings] == [
        "Overdue",
        "Due soon",
        "Due later or with no due date",
    ]


def test_counts_at_the_top_say_how_many_are_overdue_due_soon_and_listed(
    officer_client, priority, owner
):
    add_action(priority, owner, "1.1", due_in_days=-5)
    add_action(priority, owner, "1.2", due_in_days=-50)
    add_action(priority, owner, "1.3", due_in_days=5)
    add_action(priority, owner, "1.4", due_in_days=-5, status=Status.COMPLETED)
    counts = officer_client.get(HOME).text.split('id="counts"')[1].split("</div>")[0]
    numbers = re.findall(r"font-size-36\">(\d+)</strong> ([a-z ]+)</p>", counts)
    assert numbers == [("2", "overdue"), ("1", "due soon"), ("4", "listed")]


def test_it_filters_by_plan_and_status(officer_client, strategy, priority, owner, area):
    other = Strategy.objects.create(area=area, title="SEND Strategy 2025-28")
    other_priority = Priority.objects.create(strategy=other, number=1, title="New")
    add_action(priority, owner, "1.1", status=Status.IN_PROGRESS)
    add_action(priority, owner, "1.2", status=Status.BLOCKED)
    add_action(other_priority, owner, "1.7", status=Status.IN_PROGRESS)
    page = officer_client.get(HOME).text
    assert f'<option value="{other.pk}">SEND Strategy 2025-28</option>' in page
    by_plan = officer_client.get(HOME, {"strategy": strategy.pk}).text
    assert references(by_plan) == ["1.1", "1.2"]
    both = officer_client.get(HOME, {"strategy": strategy.pk, "status": "in_progress"}).text
    assert references(both) == ["1.1"]
    assert 'value="in_progress" selected' in both
    bad = officer_client.get(HOME, {"status": "finished"})
    assert "Select one of the statuses listed." in bad.text
    assert references(bad.text) == ["1.1", "1.2", "1.7"]


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


def test_a_filtered_page_runs_as_few_queries_whatever_the_actions(
    officer_client, strategy, queries_at_10_and_500
):
    url = f"{HOME}?strategy={strategy.pk}&status=in_progress"
    small, large = queries_at_10_and_500(officer_client, url)
    assert small == large
    assert large <= 9


def test_my_actions_is_the_current_nav_item(officer_client):
    response = officer_client.get(HOME)
    assert re.search(r'href="/"\s+aria-current="page">My actions', response.text)
