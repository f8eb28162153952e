"""The action list: filters, and the filtered list as a CSV spreadsheet."""

import csv
import datetime
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from actions.choices import Rag, Status
from actions.models import Action, ActionOwner, Owner, ProgressUpdate
from priorities.models import Priority
from tests.pages.conftest import add_action, days_ago


def url(strategy, query: str = "") -> str:
    return reverse("actions:list", args=[strategy.pk]) + query


def listed(response) -> list[str]:
    assert response.status_code == 200, response.content[:1000]
    return re.findall(r'href="/actions/\d+/">([\d.]+)</a>', response.text)


@pytest.fixture
def plan(strategy, priority, owner, area, officer):
    second = Priority.objects.create(strategy=strategy, number=2, title="Sufficiency")
    education = Owner.objects.create(area=area, name="Head of Education")

    def add(priority, reference, owners, status=Status.NOT_STARTED, rag="", due_in=None):
        action = add_action(priority, reference, status, rag, due_in)
        for position, named in enumerate(owners):
            ActionOwner.objects.create(action=action, owner=named, order=position)
        return action

    actions = {
        "1.1": add(priority, "1.1", [owner], Status.COMPLETED, Rag.GREEN, due_in=-100),
        "1.2": add(priority, "1.2", [owner, education], Status.IN_PROGRESS, Rag.RED, -5),
        "1.3": add(priority, "1.3", [education], due_in=20),
        "2.1": add(second, "2.1", [education], Status.BLOCKED, Rag.AMBER, due_in=300),
    }
    # Recorded long ago, so only progress updates keep them from being stale.
    Action.history.filter(id__in=[a.pk for a in actions.values()]).update(
        history_date=days_ago(200)
    )
    ProgressUpdate.objects.create(
        action=actions["1.2"], author=officer, note="Recent", created_at=days_ago(2)
    )
    ProgressUpdate.objects.create(
        action=actions["2.1"], author=officer, note="Old", created_at=days_ago(90)
    )
    return {"second": second, "education": education, **actions}


def test_with_no_filters_it_lists_every_action_in_plan_order(board_client, strategy, plan):
    assert listed(board_client.get(url(strategy))) == ["1.1", "1.2", "1.3", "2.1"]


def test_each_filter(board_client, strategy, plan, priority):
    before = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    for query, expected in [
        (f"?priority={plan['second'].pk}", ["2.1"]),
        (f"?owner={plan['education'].pk}", ["1.2", "1.3", "2.1"]),
        ("?status=in_progress", ["1.2"]),
        ("?rag=red", ["1.2"]),
        ("?rag=not_rated", ["1.3"]),
        ("?overdue=on", ["1.2"]),
        ("?due_soon=on", ["1.3"]),
        ("?stale=on", ["1.3", "2.1"]),
        ("?stale=on&stale_days=120", ["1.3"]),
        (f"?due_before={before}", ["1.1", "1.2", "1.3"]),
        (f"?priority={priority.pk}&owner={plan['education'].pk}&overdue=on", ["1.2"]),
    ]:
        assert listed(board_client.get(url(strategy, query))) == expected, query


def test_it_shows_owners_due_dates_and_tags_as_text(board_client, strategy, plan):
    text = board_client.get(url(strategy, "?overdue=on")).text
    assert "Designated Clinical Officer; Head of Education" in text
    assert '<strong class="govuk-tag govuk-tag--red">Overdue</strong>' in text
    assert '<strong class="govuk-tag govuk-tag--red">Red</strong>' in text
    assert "(2\xa0days ago)" in text


@pytest.mark.parametrize(
    ("query", "anchor", "message"),
    [
        ("?status=done", "id_status", "Select one of the statuses listed."),
        ("?rag=blue", "id_rag", "Select one of the RAG ratings listed."),
        ("?priority=9999", "id_priority", "Select one of the priorities listed."),
        ("?due_before=soon", "id_due_before", "Enter the date as day, month and year"),
    ],
)
def test_a_bad_filter_gets_an_error_summary_and_no_list(
    board_client, strategy, plan, query, anchor, message
):
    response = board_client.get(url(strategy, query))
    assert response.status_code == 400
    assert "There is a problem" in response.text
    assert f'<a href="#{anchor}">{message}' in response.text
    assert "Correct the filters to see the actions." in response.text


def test_the_csv_has_the_filtered_actions_in_the_plan_layout(board_client, strategy, plan):
    page = board_client.get(url(strategy, "?status=in_progress")).text
    assert f'href="/plans/{strategy.pk}/actions.csv?status=in_progress"' in page
    response = board_client.get(
        reverse("actions:list_csv", args=[strategy.pk]) + "?status=in_progress"
    )
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="actions-')
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [(row["Ref"], row["Status"], row["RAG"]) for row in rows] == [
        ("1.2", "In progress", "Red")
    ]
    assert rows[0]["By whom"] == "Designated Clinical Officer/Head of Education"


def test_the_csv_escapes_text_a_spreadsheet_would_run(board_client, strategy, plan):
    Action.objects.filter(pk=plan["1.3"].pk).update(text='=HYPERLINK("http://x")')
    response = board_client.get(reverse("actions:list_csv", args=[strategy.pk]))
    assert "'=HYPERLINK" in response.content.decode("utf-8-sig")


def test_the_csv_with_bad_filters_goes_back_to_the_list(board_client, strategy, plan):
    response = board_client.get(reverse("actions:list_csv", args=[strategy.pk]) + "?status=done")
    assert response.status_code == 302
    assert response["Location"] == url(strategy, "?status=done")


def test_its_query_count_does_not_grow_with_the_actions(
    board_client, strategy, owner, queries_at_10_and_500
):
    small, large = queries_at_10_and_500(board_client, url(strategy, f"?owner={owner.pk}&stale=on"))
    assert small == large
    assert large <= 12


def test_the_csv_query_count_does_not_grow_with_the_actions(
    board_client, strategy, owner, queries_at_10_and_500
):
    csv_url = reverse("actions:list_csv", args=[strategy.pk]) + f"?owner={owner.pk}"
    small, large = queries_at_10_and_500(board_client, csv_url)
    assert small == large
    assert large <= 10
