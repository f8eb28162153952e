"""Strategies (plans) and priorities in the admin: every save and delete through the
services, with who and why in the history, and nothing of an archived plan changed."""

import pytest
from django.urls import reverse

from priorities.choices import StrategyStage
from priorities.models import LocalArea, Priority
from sendplan import roles
from tests.conftest import make_user

ARCHIVED = "The plan “Joint SEND Strategy 2022-25” is archived"


@pytest.fixture
def admin_client(client, plan_admin):
    client.force_login(plan_admin)
    return client


def priority_form(priority, **overrides):
    data = {
        "strategy": priority.strategy_id,
        "number": priority.number,
        "title": priority.title,
        "description": priority.description,
        "order": priority.order,
        "change_reason": "",
    }
    return {**data, **overrides}


def archive(strategy):
    strategy.stage = StrategyStage.ARCHIVED
    strategy.save()


def test_retitling_a_priority_of_an_archived_plan_is_refused_and_says_why(
    admin_client, priority, strategy
):
    # Reported: a plan admin retitled a priority of an archived plan through the admin,
    # with no reason in its history.
    archive(strategy)
    before = priority.history.count()
    url = reverse("admin:priorities_priority_change", args=[priority.pk])

    response = admin_client.post(
        url, priority_form(priority, title="Early help", change_reason="Typo")
    )

    assert response.status_code == 200
    assert ARCHIVED in response.content.decode()
    priority.refresh_from_db()
    assert priority.title == "Early identification"
    assert priority.history.count() == before


def strategy_form(strategy, **overrides):
    data = {
        "area": strategy.area_id,
        "title": strategy.title,
        "start_year": strategy.start_year or "",
        "end_year": strategy.end_year or "",
        "stage": strategy.stage,
        "description": strategy.description,
        "change_reason": "",
    }
    return {**data, **overrides}


def test_a_retitled_priority_keeps_who_and_why_in_its_history(admin_client, priority, plan_admin):
    url = reverse("admin:priorities_priority_change", args=[priority.pk])

    response = admin_client.post(
        url, priority_form(priority, title="Early help", change_reason="Board renamed it")
    )

    assert response.status_code == 302
    latest = priority.history.latest()
    assert (latest.title, latest.history_user, latest.history_change_reason) == (
        "Early help",
        plan_admin,
        "Board renamed it",
    )


def test_a_change_without_a_reason_is_a_form_error_at_the_reason(admin_client, priority):
    url = reverse("admin:priorities_priority_change", args=[priority.pk])

    response = admin_client.post(url, priority_form(priority, title="Early help"))

    assert response.status_code == 200
    form = response.context["adminform"].form
    needed = "Give a reason for this change: the history keeps it."
    assert form.errors == {"change_reason": [needed]}
    assert priority.history.count() == 1


def test_an_archived_plan_is_un_archived_in_the_admin_and_nothing_else_changes(
    admin_client, strategy, plan_admin
):
    archive(strategy)
    url = reverse("admin:priorities_strategy_change", args=[strategy.pk])

    refused = admin_client.post(
        url, strategy_form(strategy, title="Renamed", stage="published", change_reason="Reopen")
    )
    assert refused.status_code == 200 and ARCHIVED in refused.content.decode()

    response = admin_client.post(
        url, strategy_form(strategy, stage="published", change_reason="Extended to 2026")
    )
    assert response.status_code == 302
    latest = strategy.history.latest()
    assert (latest.stage, latest.history_user, latest.history_change_reason) == (
        "published",
        plan_admin,
        "Extended to 2026",
    )


def test_deleting_asks_a_reason_and_the_history_keeps_it(admin_client, priority, plan_admin):
    url = reverse("admin:priorities_priority_delete", args=[priority.pk])
    assert 'name="reason"' in admin_client.get(url).content.decode()

    unexplained = admin_client.post(url, {"post": "yes"}, follow=True)
    assert "Give a reason for deleting: the history keeps it." in unexplained.content.decode()
    assert Priority.objects.filter(pk=priority.pk).exists()

    admin_client.post(url, {"post": "yes", "reason": "Merged into priority 2"})
    assert not Priority.objects.filter(pk=priority.pk).exists()
    deleted = Priority.history.get(id=priority.pk, history_type="-")
    assert (deleted.history_user, deleted.history_change_reason) == (
        plan_admin,
        "Merged into priority 2",
    )


def test_deleting_an_archived_plans_priority_is_refused_with_the_reason(
    admin_client, priority, strategy
):
    archive(strategy)
    url = reverse("admin:priorities_priority_delete", args=[priority.pk])

    response = admin_client.post(url, {"post": "yes", "reason": "Tidying"}, follow=True)

    assert ARCHIVED in response.content.decode()
    assert Priority.objects.filter(pk=priority.pk).exists()


def test_delete_selected_which_asks_no_reason_is_not_offered(admin_client, priority, strategy):
    for name in ("priority", "strategy"):
        page = admin_client.get(reverse(f"admin:priorities_{name}_changelist"))
        assert "delete_selected" not in page.content.decode()
    response = admin_client.post(
        reverse("admin:priorities_priority_changelist"),
        {"action": "delete_selected", "_selected_action": [priority.pk], "post": "yes"},
    )
    assert response.status_code in (200, 302)
    assert Priority.objects.filter(pk=priority.pk).exists()


def test_another_areas_plan_admin_cannot_change_the_priority(client, priority):
    kent_admin = make_user("kim", roles.PLAN_ADMIN, LocalArea.objects.create(name="Kent"))
    kent_admin.is_staff = True
    kent_admin.save()
    client.force_login(kent_admin)
    url = reverse("admin:priorities_priority_change", args=[priority.pk])

    response = client.post(url, priority_form(priority, title="Renamed", change_reason="Mine"))

    assert response.status_code == 404
    assert Priority.objects.get().title == "Early identification"
