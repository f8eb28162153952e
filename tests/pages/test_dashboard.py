"""A plan's dashboard: counts by priority, each linking to its actions, and two charts."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from actions.choices import Rag, Status
from actions.models import Action, ProgressUpdate
from actions.selectors.history import completion_over_time
from priorities.models import Priority
from tests.pages.conftest import add_action, count_queries, days_ago


def url(strategy, query: str = "") -> str:
    return reverse("actions:dashboard", args=[strategy.pk]) + query


@pytest.fixture
def small_plan(strategy, priority, owner, officer):
    """Priority 1: completed; in progress, overdue, red, updated this week; not started, due
    in 30 days, never updated. Priority 2: blocked, amber, updated 100 days ago. Priority 3:
    no actions."""
    second = Priority.objects.create(strategy=strategy, number=2, title="Sufficiency")
    Priority.objects.create(strategy=strategy, number=3, title="Adulthood")

    def add(priority, reference, status, rag="", due_in=None, updated_days_ago=None):
        action = add_action(priority, reference, status, rag, due_in)
        if updated_days_ago is not None:
            ProgressUpdate.objects.create(
                action=action, author=officer, note="Note", created_at=days_ago(updated_days_ago)
            )
        return action

    plan = {
        "completed": add(priority, "1.1", Status.COMPLETED, Rag.GREEN, due_in=-400),
        "overdue": add(priority, "1.2", Status.IN_PROGRESS, Rag.RED, -10, updated_days_ago=3),
        "due_soon": add(priority, "1.3", Status.NOT_STARTED, due_in=30),
        "blocked": add(second, "2.1", Status.BLOCKED, Rag.AMBER, 200, updated_days_ago=100),
    }
    # Recorded long ago, so only progress updates keep them from being stale.
    Action.history.filter(id__in=[a.pk for a in plan.values()]).update(history_date=days_ago(200))
    return plan


def cells(html: str, heading_id: str) -> list[list[str]]:
    """The text of each body row's cells in the table after the heading, tags stripped."""
    table = html.split(f'id="{heading_id}"')[1].split("</table>")[0].split("<tbody")[1]
    rows = re.findall(r"<tr.*?</tr>", table, re.S)
    strip = re.compile(r'<span class="govuk-visually-hidden">.*?</span>|<[^>]+>', re.S)
    return [
        [
            " ".join(strip.sub("", cell).split())
            for cell in re.findall(r"<t[hd].*?</t[hd]>", row, re.S)
        ]
        for row in rows
    ]


def test_it_counts_by_priority_with_a_totals_row(board_client, strategy, small_plan):
    text = board_client.get(url(strategy)).text
    assert cells(text, "progress") == [
        ["1. Early identification", "3", "1", "33%", "1", "1", "1"],
        ["2. Sufficiency", "1", "0", "0%", "0", "0", "1"],
        ["3. Adulthood", "0", "0", "0%", "0", "0", "0"],
        ["All priorities", "4", "1", "25%", "1", "1", "2"],
    ]
    assert cells(text, "status")[-1] == ["All priorities", "1", "1", "0", "1", "1"]
    assert cells(text, "rag")[0] == ["1. Early identification", "1", "1", "0", "1"]


def test_stale_days_can_be_set_in_the_address(board_client, strategy, small_plan):
    text = board_client.get(url(strategy, "?stale_days=120")).text
    assert cells(text, "progress")[-1][-1] == "1"
    assert "No update in 120 days" in text
    assert 'name="stale_days" type="text" inputmode="numeric" value="120"' in text


def test_a_bad_stale_days_is_reported_and_the_default_used(board_client, strategy, small_plan):
    response = board_client.get(url(strategy, "?stale_days=lots"))
    assert "There is a problem" in response.text
    assert "Enter a number of days from 1 to 3650, like 60." in response.text
    assert cells(response.text, "progress")[-1][-1] == "2"


def test_each_count_links_to_the_list_of_those_actions(board_client, strategy, small_plan):
    text = board_client.get(url(strategy)).text
    links = re.findall(r'<a class="govuk-link" href="([^"]+)">(\d+)<span', text)
    assert links
    for href, count in links:
        listed = board_client.get(href.replace("&amp;", "&"))
        assert listed.status_code == 200, href
        assert f">{count} action{'s' if count != '1' else ''}</h2>" in listed.text, href


def test_the_overdue_link_lists_the_overdue_action(board_client, strategy, small_plan, priority):
    text = board_client.get(url(strategy)).text
    href = f"/plans/{strategy.pk}/actions/?priority={priority.pk}&amp;overdue=on"
    assert (
        f'href="{href}">1<span class="govuk-visually-hidden"> overdue actions in priority 1' in text
    )
    listed = board_client.get(href.replace("&amp;", "&")).text
    assert ">1.2</a>" in listed and ">1.1</a>" not in listed


def test_the_status_chart_labels_each_bar_and_has_a_table(board_client, strategy, small_plan):
    text = board_client.get(url(strategy)).text
    assert 'role="img"' in text
    assert "1 not started, 1 in progress, 0 at risk, 0 blocked, 1 completed" in text
    assert "The chart's figures" in text


def test_completion_over_time_comes_from_the_history(board_client, strategy, priority, officer):
    actions = bulk_create_with_history(
        [Action(priority=priority, reference=f"1.{n}", text="An action") for n in range(3)],
        Action,
        default_user=officer,
        default_date=days_ago(100),
    )
    for when, status, changed in [
        (70, Status.COMPLETED, actions[:1]),
        (40, Status.COMPLETED, actions[1:2]),
        (10, Status.IN_PROGRESS, actions[:1]),
    ]:
        for action in changed:
            action.status = status
        bulk_update_with_history(
            changed, Action, ["status"], default_user=officer, default_date=days_ago(when)
        )
    today = timezone.localdate()
    months = completion_over_time(strategy, today)
    history = list(Action.history.order_by("history_date"))
    for month in months[:-1]:
        end = datetime.datetime.strptime(month.label, "%d %b %Y").date()
        moment = timezone.make_aware(datetime.datetime.combine(end, datetime.time.max))
        latest = {row.id: row.status for row in history if row.history_date <= moment}
        assert month.completed == sum(s == Status.COMPLETED for s in latest.values()), month
        assert month.total == len(latest)
    assert months[-1].label == "Today" and (months[-1].completed, months[-1].total) == (1, 3)
    text = board_client.get(url(strategy)).text
    assert "Today: 1 of 3 completed (33%)" in text


def test_the_plans_list_links_to_each_dashboard(board_client, strategy, small_plan):
    text = board_client.get(reverse("actions:strategies")).text
    assert f'href="{url(strategy)}">Joint SEND Strategy 2022-25' in text
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">4</td>' in text


def test_its_query_count_does_not_grow_with_the_actions(
    board_client, strategy, queries_at_10_and_500
):
    small, large = queries_at_10_and_500(board_client, url(strategy))
    assert small == large
    assert large <= 10


def test_the_plans_list_query_count_does_not_grow(board_client, queries_at_10_and_500):
    small, large = queries_at_10_and_500(board_client, reverse("actions:strategies"))
    assert small == large == count_queries(board_client, reverse("actions:strategies"))
