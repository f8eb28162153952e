import datetime

import pytest
from django.urls import reverse

from actions.choices import Status
from actions.models import Action, Owner


def change_form_data(action, **overrides):
    data = {
        "priority": action.priority_id,
        "reference": action.reference,
        "order": action.order,
        "text": action.text,
        "owner_list": [owner.pk for owner in action.owners.all()],
        "deadline_text": action.deadline_text,
        "due_date": action.due_date.isoformat() if action.due_date else "",
        "is_ongoing": "on" if action.is_ongoing else "",
        "status": action.status,
        "rag": action.rag,
        "percent_complete": action.percent_complete,
        "change_reason": "",
        "milestones-TOTAL_FORMS": 0,
        "milestones-INITIAL_FORMS": 0,
        "updates-TOTAL_FORMS": 0,
        "updates-INITIAL_FORMS": 0,
    }
    return {key: value for key, value in {**data, **overrides}.items() if value != ""}


@pytest.fixture
def admin_client(client, plan_admin):
    client.force_login(plan_admin)
    return client


def test_plan_admin_status_change_shows_in_history_with_their_name(
    admin_client, action, plan_admin
):
    url = reverse("admin:actions_action_change", args=[action.pk])
    response = admin_client.post(
        url, change_form_data(action, status=Status.IN_PROGRESS, change_reason="Board asked")
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    latest = action.history.latest()
    assert (latest.status, latest.history_user, latest.history_change_reason) == (
        "in_progress",
        plan_admin,
        "Board asked",
    )
    page = admin_client.get(url).content.decode()
    assert "Not started &rarr; In progress" in page and "Board asked" in page
    history = admin_client.get(reverse("admin:actions_action_history", args=[action.pk]))
    assert "Pat" in history.content.decode() or "pat" in history.content.decode()


def test_admin_status_change_without_reason_is_a_form_error(admin_client, action):
    url = reverse("admin:actions_action_change", args=[action.pk])
    response = admin_client.post(url, change_form_data(action, status=Status.BLOCKED))
    assert response.status_code == 200
    assert "Give a reason for changing the status." in response.content.decode()
    action.refresh_from_db()
    assert action.status == Status.NOT_STARTED


def test_admin_edit_of_deadline_rederives_due_date_with_reason(admin_client, action):
    url = reverse("admin:actions_action_change", args=[action.pk])
    data = change_form_data(action, deadline_text="March 2021", change_reason="Rescheduled")
    assert admin_client.post(url, data).status_code == 302
    action.refresh_from_db()
    assert action.due_date == datetime.date(2021, 3, 31)


def test_admin_owner_change_is_recorded_in_history(admin_client, action, area, plan_admin):
    pep = Owner.objects.create(area=area, name="Principal Educational Psychologist")
    url = reverse("admin:actions_action_change", args=[action.pk])
    admin_client.post(url, change_form_data(action, owner_list=[pep.pk]))
    assert list(action.owners.all()) == [pep]
    added = action.ownerships.get().history.latest()
    assert added.history_user == plan_admin


def test_bulk_set_status_records_history_per_action(admin_client, priority, plan_admin):
    actions = [
        Action.objects.create(priority=priority, reference=f"1.{n}", text="x") for n in (1, 2)
    ]
    response = admin_client.post(
        reverse("admin:actions_action_changelist"),
        {
            "action": "set_status",
            "_selected_action": [a.pk for a in actions],
            "status": "completed",
            "note": "Signed off",
            "rag": "-",
        },
    )
    assert response.status_code == 302
    for action in actions:
        latest = action.history.latest()
        assert (latest.status, latest.history_user, latest.history_change_reason) == (
            "completed",
            plan_admin,
            "Signed off",
        )


def test_bulk_set_status_without_reason_says_why_and_changes_nothing(admin_client, action):
    response = admin_client.post(
        reverse("admin:actions_action_changelist"),
        {
            "action": "set_status",
            "_selected_action": [action.pk],
            "status": "completed",
            "rag": "-",
        },
        follow=True,
    )
    page = response.content.decode()
    assert "Give a reason for changing the status." in page
    assert "action(s) changed" not in page
    action.refresh_from_db()
    assert (action.status, action.version) == (Status.NOT_STARTED, 1)
    assert action.history.count() == 1


def test_admin_delete_keeps_history_with_the_user(admin_client, action, plan_admin):
    admin_client.post(reverse("admin:actions_action_delete", args=[action.pk]), {"post": "yes"})
    assert not Action.objects.filter(pk=action.pk).exists()
    assert Action.history.get(id=action.pk, history_type="-").history_user == plan_admin


def test_changelist_filters_overdue_and_searches_owner_aliases(admin_client, priority, owner):
    late = Action.objects.create(
        priority=priority, reference="1.1", text="Late one", due_date=datetime.date(2020, 1, 31)
    )
    Action.objects.create(
        priority=priority, reference="1.2", text="Future one", due_date=datetime.date(2099, 1, 31)
    )
    late.owners.add(owner)
    url = reverse("admin:actions_action_changelist")
    overdue = admin_client.get(url, {"overdue": "yes"}).content.decode()
    assert "Late one" in overdue and "Future one" not in overdue
    by_alias = admin_client.get(url, {"q": "DCO"}).content.decode()
    assert "Late one" in by_alias and "Future one" not in by_alias


def test_history_revert_cannot_bypass_the_services(admin_client, action):
    url = reverse("admin:actions_action_change", args=[action.pk])
    admin_client.post(url, change_form_data(action, status="completed", change_reason="Done"))
    first = action.history.earliest()
    revert = reverse("admin:actions_action_simple_history", args=[action.pk, first.history_id])
    admin_client.post(revert, {"_save": "Save"})
    action.refresh_from_db()
    assert action.status == Status.COMPLETED
    assert action.history.count() == 2


def test_officer_cannot_use_the_admin(client, officer, action):
    client.force_login(officer)
    response = client.get(reverse("admin:actions_action_change", args=[action.pk]))
    assert response.status_code == 302
    assert "/login/" in response["Location"]
