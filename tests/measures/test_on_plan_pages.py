"""Measures on the plan's own pages: the dashboard beside action counts, and the action page."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from measures.models import Measure
from measures.services import measure_set_links


def test_dashboard_shows_each_prioritys_measures_next_to_its_action_counts(
    client, board_member, plan_admin, measure, priority, action, enter
):
    measure_set_links(measure=measure, priorities=[priority], actions=[], user=plan_admin)
    enter(measure, "Q1 2024-25", 52)
    client.force_login(board_member)
    page = client.get(reverse("actions:dashboard", args=[priority.strategy_id])).content.decode()
    impact = page[page.index('id="impact"') :]
    start = impact.index("Priority 1")
    row = impact[start : impact.index("</tr>", start)]
    assert "0 of 1 completed; 0 overdue" in row
    assert measure.name in row and "52% in Q1 2024-25" in row


def test_action_page_shows_the_measures_it_evidences(
    client, officer, plan_admin, measure, appeals, action
):
    measure_set_links(measure=measure, priorities=[], actions=[action], user=plan_admin)
    client.force_login(officer)
    page = client.get(reverse("actions:detail", args=[action.pk])).content.decode()
    assert measure.name in page and appeals.name not in page


def test_a_measure_links_only_to_its_own_plans_priorities(
    plan_admin, measure, priority, strategy, area
):
    other = strategy.__class__.objects.create(area=area, title="Another plan")
    stranger = priority.__class__.objects.create(strategy=other, number=1, title="Elsewhere")
    with pytest.raises(ValidationError, match="not in the plan"):
        measure_set_links(measure=measure, priorities=[stranger], actions=[], user=plan_admin)
    assert not measure.priority_links.exists()


def test_dashboard_query_count_does_not_grow_with_measures(
    client, board_member, plan_admin, strategy, priority, action, enter
):
    client.force_login(board_member)
    url = reverse("actions:dashboard", args=[strategy.pk])

    def add(count: int, start: int) -> None:
        for number in range(start, start + count):
            extra = Measure.objects.create(strategy=strategy, name=f"Measure {number}")
            measure_set_links(measure=extra, priorities=[priority], actions=[], user=plan_admin)
            enter(extra, "2023", number)
            enter(extra, "2024", number + 1)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    add(1, 0)
    small = count()
    add(15, 1)
    assert count() == small


def test_action_page_query_count_does_not_grow_with_its_measures(
    client, officer, plan_admin, strategy, action, enter
):
    client.force_login(officer)
    url = reverse("actions:detail", args=[action.pk])

    def add(count: int, start: int) -> None:
        for number in range(start, start + count):
            extra = Measure.objects.create(strategy=strategy, name=f"Measure {number}")
            measure_set_links(measure=extra, priorities=[], actions=[action], user=plan_admin)
            enter(extra, "2023", number)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    add(1, 0)
    small = count()
    add(10, 1)
    assert count() == small
