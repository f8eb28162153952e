"""The admin's Deleted records page: list what was deleted in your areas, restore with a reason."""

import pytest
from django.urls import reverse

from actions.models import Action
from actions.services.actions import action_delete
from priorities.models import LocalArea
from sendplan import roles
from sendplan.audit import delete_with_history
from tests.conftest import make_user

URL = reverse("deleted_records")


@pytest.fixture
def deleted_action(action, plan_admin):
    action_id = action.pk
    action_delete(action=action, user=plan_admin, reason="Duplicate")
    return action_id


@pytest.mark.django_db
def test_plan_admin_sees_the_deleted_action_and_restores_it_with_a_reason(
    client, plan_admin, deleted_action
):
    client.force_login(plan_admin)
    page = client.get(URL).content.decode()
    assert "1.1 Review support for parents." in page
    assert "Duplicate" in page
    assert 'href="/admin/deleted/"' in client.get(reverse("admin:index")).content.decode()

    response = client.post(URL, {"kind": "action", "id": deleted_action, "reason": "Still needed"})

    assert response.url == reverse("admin:actions_action_change", args=[deleted_action])
    row = Action.history.filter(id=deleted_action).latest()
    assert (row.history_type, row.history_user, row.history_change_reason) == (
        "+",
        plan_admin,
        "Still needed",
    )
    # Listed no more (the message of its restore shows once, on the next page).
    client.get(reverse("admin:index"))
    assert "Review support" not in client.get(URL).content.decode()


@pytest.mark.django_db
def test_a_restore_without_a_reason_is_refused_with_a_message(client, plan_admin, deleted_action):
    client.force_login(plan_admin)
    response = client.post(URL, {"kind": "action", "id": deleted_action, "reason": ""}, follow=True)
    assert "Say why the action is restored" in response.content.decode()
    assert not Action.objects.filter(pk=deleted_action).exists()


@pytest.mark.django_db
def test_another_areas_plan_admin_neither_sees_nor_restores_it(client, deleted_action):
    kent_admin = make_user("kim", roles.PLAN_ADMIN, LocalArea.objects.create(name="Kent"))
    kent_admin.is_staff = True
    kent_admin.save()
    client.force_login(kent_admin)
    assert "Review support" not in client.get(URL).content.decode()
    response = client.post(URL, {"kind": "action", "id": deleted_action, "reason": "Mine now"})
    assert response.status_code == 403
    assert not Action.objects.filter(pk=deleted_action).exists()


@pytest.mark.django_db
def test_an_officer_has_no_deleted_records_page(client, officer, deleted_action):
    officer.is_staff = True
    officer.save()
    client.force_login(officer)
    assert client.get(URL).status_code in (302, 403)
    client.post(URL, {"kind": "action", "id": deleted_action, "reason": "Please"})
    assert not Action.objects.filter(pk=deleted_action).exists()


@pytest.mark.django_db
def test_a_deleted_plan_is_listed_and_its_actions_come_back_with_it(client, action, plan_admin):
    strategy = action.priority.strategy
    delete_with_history(strategy, user=plan_admin, reason="Wrong plan")
    client.force_login(plan_admin)
    page = client.get(URL).content.decode()
    assert "Joint SEND Strategy 2022-25" in page
    assert "Review support" not in page
