"""The measures pages: the plan's list, a measure's chart and table, entering a value."""

import datetime
import re

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from measures.choices import Series
from measures.models import MeasureValue
from sendplan.audit import history_stamped


@pytest.fixture
def with_values(measure, enter):
    enter(measure, "Q4 2023-24", 50, series=Series.TARGET)
    enter(measure, "Q2 2024-25", 60, series=Series.TARGET)
    enter(measure, "Q4 2023-24", 48)
    enter(measure, "Q1 2024-25", 52)
    enter(measure, "Q2 2024-25", 57.5)
    enter(measure, "Q2 2024-25", 50.1, series=Series.ENGLAND)
    enter(measure, "Q2 2024-25", 55, series=Series.NEIGHBOUR, comparator="Kent")
    return measure


def test_measure_page_shows_chart_table_and_judgement_in_words(client, board_member, with_values):
    client.force_login(board_member)
    page = client.get(reverse("measures:detail", args=[with_values.pk])).content.decode()
    assert "<svg" in page and "<title id=" in page and "<desc id=" in page
    # Not colour alone: each series has its own dash pattern (the actual line is solid).
    dashes = set(re.findall(r'<path d="M[^"]*" fill="none" stroke-dasharray="([^"]+)"', page))
    assert len(dashes) == 3  # target, England, neighbour
    assert "Off track" in page
    assert "57.5% in Q2 2024-25, against a target of 60% by Q2 2024-25." in page
    assert "Better than Q1 2024-25 (52%)." in page
    # The table holds every figure of the chart.
    for shown in ("48%", "52%", "57.5%", "50.1%", "55%", "Kent (statistical neighbour)"):
        assert shown in page


def test_plan_measures_page_lists_each_measure_with_comparators(client, board_member, with_values):
    client.force_login(board_member)
    page = client.get(reverse("measures:list", args=[with_values.strategy_id])).content.decode()
    assert with_values.name in page
    assert "England: 50.1%" in page


def test_officer_enters_a_value_on_the_page(client, officer, measure):
    client.force_login(officer)
    url = reverse("measures:value_create", args=[measure.pk])
    response = client.post(url, {"period_label": "Q3 2024-25", "value": "63.2", "note": "SEN2"})
    assert response.status_code == 302
    value = MeasureValue.objects.get()
    assert (str(value.period_end), value.entered_by) == ("2024-12-31", officer)


def test_a_period_with_no_end_in_its_words_asks_for_the_date(client, officer, measure):
    client.force_login(officer)
    url = reverse("measures:value_create", args=[measure.pk])
    page = client.post(url, {"period_label": "Latest", "value": "abc"}).content.decode()
    assert "There is a problem" in page
    assert "does not say it" in page and "Enter the value as a number" in page
    assert not MeasureValue.objects.exists()


def test_officer_cannot_open_the_value_page_of_others_measure(client, officer, appeals):
    client.force_login(officer)
    assert client.get(reverse("measures:value_create", args=[appeals.pk])).status_code == 403


def test_measure_pages_query_count_does_not_grow_with_values(
    client, board_member, measure, appeals, enter, django_assert_num_queries
):
    client.force_login(board_member)
    enter(measure, "Q1 2024-25", 52)
    enter(appeals, "2023", 12)
    urls = [
        reverse("measures:list", args=[measure.strategy_id]),
        reverse("measures:detail", args=[measure.pk]),
    ]
    counts = []
    for url in urls:
        with CaptureQueriesContext(connection) as context:
            client.get(url)
        counts.append(len(context))
    for year in range(2000, 2020):
        enter(measure, f"Q1 {year}-{(year + 1) % 100:02d}", year % 50)
        enter(measure, f"Q1 {year}-{(year + 1) % 100:02d}", 50, series=Series.ENGLAND)
        enter(appeals, str(year), year % 30)
    for url, count in zip(urls, counts, strict=True):
        with django_assert_num_queries(count):
            client.get(url)


def test_measure_page_lists_corrections_with_the_value_replaced(client, officer, measure, enter):
    enter(measure, "Q1 2024-25", 58.3, user=officer)
    enter(measure, "Q1 2024-25", 61, user=officer, note="Late returns added.")
    client.force_login(officer)
    page = client.get(reverse("measures:detail", args=[measure.pk])).content.decode()
    corrections = page[page.index("Corrections") :]
    assert "58.3%" in corrections and "61%" in corrections
    assert "Late returns added." in corrections


def test_a_user_with_no_role_cannot_read_measures(client, measure, db):
    client.force_login(User.objects.create_user("nobody", password="pw"))
    assert client.get(reverse("measures:detail", args=[measure.pk])).status_code == 403
    assert client.get(reverse("measures:list", args=[measure.strategy_id])).status_code == 403


def test_measure_page_compares_with_the_value_known_on_a_date(client, board_member, measure, enter):
    with history_stamped(date=datetime.datetime(2024, 8, 1, 12, tzinfo=datetime.UTC)):
        enter(measure, "Q1 2024-25", 52)
    enter(measure, "Q2 2024-25", 50)  # entered today
    client.force_login(board_member)
    url = reverse("measures:detail", args=[measure.pk])
    page = client.get(url, {"since": "2024-09-06"}).content.decode()
    assert "Worse than the value known on 6 September 2024 (Q1 2024-25: 52%)." in page
    early = client.get(url, {"since": "01/07/2024"}).content.decode()
    assert "No value was known on 1 July 2024." in early
    bad = client.get(url, {"since": "last week"}).content.decode()
    assert "There is a problem" in bad and "Enter the date as day/month/year" in bad
