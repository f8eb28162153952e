"""A plan's dashboard: counts by priority, each linking to its actions, and two charts."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from actions.choices import Rag, Status
from actions.models import Action, ActionOwner, ProgressUpdate
from actions.selectors.history import completion_over_time
from actions.services.actions import action_save
from governance.choices import BoardKind
from governance.models import Board, Meeting
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
    assert cells(text, "status-table")[-1] == ["All priorities", "1", "1", "0", "1", "1"]
    assert cells(text, "rag-table")[0] == ["1. Early identification", "1", "1", "0", "1"]


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
        f'href="{href}">1<span class="govuk-visually-hidden"> overdue action in priority 1' in text
    )
    listed = board_client.get(href.replace("&amp;", "&")).text
    assert ">1.2</a>" in listed and ">1.1</a>" not in listed


def test_the_status_chart_labels_each_bar_and_has_a_table(board_client, strategy, small_plan):
    text = board_client.get(url(strategy)).text
    assert 'role="img"' in text
    assert "1 not started, 1 in progress, 0 at risk, 0 blocked, 1 completed" in text
    assert "by priority: the chart&#x27;s figures" in text.replace("'", "&#x27;")


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
    assert '-text">1 of 3 completed (33%)</text>' in text


def test_the_plans_list_links_to_each_dashboard(board_client, strategy, small_plan):
    text = board_client.get(reverse("actions:strategies")).text
    assert f'href="{url(strategy)}">Joint SEND Strategy 2022-25' in text
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">4</td>' in text


def test_its_query_count_does_not_grow_with_the_actions(
    board_client, strategy, queries_at_10_and_500
):
    small, large = queries_at_10_and_500(board_client, url(strategy))
    assert small == large
    # Session and user, the plan, counts, exceptions, the last meeting, direction of travel
    # (then and now), completion over time, the priorities' measures.
    assert large <= 16


def test_the_plans_list_query_count_does_not_grow(board_client, queries_at_10_and_500):
    small, large = queries_at_10_and_500(board_client, reverse("actions:strategies"))
    assert small == large == count_queries(board_client, reverse("actions:strategies"))


def test_it_opens_with_what_needs_attention_each_count_linking_to_its_list(
    board_client, strategy, small_plan
):
    text = board_client.get(url(strategy)).text
    attention = text.split('id="attention"')[1].split('id="exceptions"')[0]
    figures = dict(
        (words.strip(), (int(count), href.replace("&amp;", "&")))
        for href, count, words in re.findall(
            r'href="([^"]+)"><span class="sendplan-figures__number">(\d+)</span>([^<]+)<',
            attention,
        )
    )
    assert {words: count for words, (count, _) in figures.items()} == {
        "red": 1,
        "blocked": 1,
        "overdue": 1,
        "with no update for 60 days": 2,
    }
    assert '<span class="sendplan-figures__number">0</span> at risk' in attention
    for words, (count, href) in figures.items():
        listed = board_client.get(href).text
        assert f">{count} action{'s' if count != 1 else ''}</h2>" in listed, words
    assert text.index('id="attention"') < text.index('id="progress"')


def test_it_lists_the_exceptions_worst_first_with_owner_and_last_update(
    board_client, strategy, small_plan, owner
):
    ActionOwner.objects.create(action=small_plan["overdue"], owner=owner)
    text = board_client.get(url(strategy)).text
    assert "3 actions need attention, worst first" in text
    rows = cells(text, "exceptions")
    assert [row[0].split()[0] for row in rows] == ["1.2", "2.1", "1.3"]
    assert rows[0][1:5] == ["Designated Clinical Officer", "In progress", "Red", rows[0][4]]
    assert "<li>Red</li><li>Overdue</li>" in text
    assert "<li>Blocked</li><li>No update for over 60 days</li>" in text
    assert rows[2][5] == "None yet"


def test_one_exception_and_one_action_are_not_plural(board_client, strategy, priority):
    add_action(priority, "1.1", Status.BLOCKED, due_in=30)
    text = board_client.get(url(strategy)).text
    assert "How the plan&#x27;s 1 action stands" in text or "How the plan's 1 action stands" in text
    assert "1 action needs attention, worst first" in text
    assert "Priority 1 (1 action)" in text
    assert not re.search(r'>1<span class="govuk-visually-hidden"> [a-z ]*actions', text)


def test_direction_of_travel_since_the_plans_last_meeting(
    board_client, strategy, small_plan, area, plan_admin
):
    board = Board.objects.create(
        area=area, name="SEND Partnership Board", kind=BoardKind.PARTNERSHIP
    )
    day = timezone.localdate() - datetime.timedelta(days=100)
    Meeting.objects.create(board=board, strategy=strategy, date=day, title="Autumn board")
    changes = [
        ("overdue", Status.IN_PROGRESS, Rag.AMBER),  # better; overdue since the meeting
        ("due_soon", Status.COMPLETED, ""),  # better, and completed
        ("blocked", Status.BLOCKED, Rag.RED),  # worse
    ]
    for key, status, rag in changes:
        action = small_plan[key]
        action.status, action.rag = status, rag
        action_save(action=action, user=plan_admin, reason="Moved on.")
    text = board_client.get(url(strategy)).text
    assert (
        f"Direction of travel since the SEND Partnership Board meeting of {day:%-d %B %Y}" in text
    )
    assert (
        "Since then, 2 actions have got better, 1 got worse, 1 was completed and 1 became overdue."
        in text
    )
    assert cells(text, "travel") == [
        ["1. Early identification", "▲ 2", "0", "1", "1"],
        ["2. Sufficiency", "0", "▼ 1", "0", "0"],
        ["3. Adulthood", "0", "0", "0", "0"],
        ["All priorities", "▲ 2", "▼ 1", "1", "1"],
    ]


def test_with_no_meeting_yet_travel_is_since_30_days_ago(board_client, strategy, small_plan):
    text = board_client.get(url(strategy)).text
    assert "Direction of travel since 30 days ago" in text and "(no meeting held yet)" in text


def test_the_rag_chart_writes_each_count_in_its_segment_with_a_pattern(
    board_client, strategy, small_plan
):
    text = board_client.get(url(strategy)).text
    chart = text.split('id="rag"')[1].split("</ul>", 2)[1]
    assert 'class="sendplan-pattern-rag-red"' in chart and 'class="sendplan-fill-rag-red"' in chart
    assert ">1</text>" in chart
    assert "1 not rated, 1 red, 0 amber, 1 green" in chart
    assert 'style="' not in text.split("<main")[1]  # no inline styles: the CSP allows none


def test_completion_over_time_says_so_when_nothing_is_complete(board_client, strategy, priority):
    add_action(priority, "1.1", Status.IN_PROGRESS)
    add_action(priority, "1.2", Status.NOT_STARTED)
    text = board_client.get(url(strategy)).text
    assert "None of the plan&#x27;s 2 actions has been completed yet" in text.replace("'", "&#x27;")
    assert "completion-1" not in text


def test_long_priority_titles_are_shown_whole(board_client, strategy, priority, small_plan):
    priority.title = " ".join(["Preparing for adulthood and independent living"] * 3)
    priority.save()
    text = board_client.get(url(strategy)).text
    assert priority.title in text
