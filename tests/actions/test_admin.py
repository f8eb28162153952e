import datetime

import pytest
from django.urls import reverse

from actions.choices import Status
from actions.models import Action, Owner, ProgressUpdate
from measures.models import Measure
from priorities.models import Priority, Strategy


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


@pytest.fixture
def archived_action(action, strategy):
    strategy.stage = "archived"
    strategy.save()
    return action


ARCHIVED = "The plan “Joint SEND Strategy 2022-25” is archived: its actions cannot be changed."


def test_admin_form_refuses_any_change_to_an_archived_plans_action(
    admin_client, archived_action, area
):
    url = reverse("admin:actions_action_change", args=[archived_action.pk])
    for change in [
        {"status": "completed", "change_reason": "Done"},
        {"owner_list": [Owner.objects.create(area=area, name="Headteachers").pk]},
    ]:
        response = admin_client.post(url, change_form_data(archived_action, **change))
        assert response.status_code == 200
        assert ARCHIVED in response.content.decode()
    archived_action.refresh_from_db()
    assert archived_action.status == Status.NOT_STARTED
    assert archived_action.history.count() == 1
    assert [o.name for o in archived_action.owners.all()] == ["Designated Clinical Officer"]


def test_admin_bulk_update_refuses_an_archived_plans_actions(admin_client, archived_action):
    response = admin_client.post(
        reverse("admin:actions_action_changelist"),
        {
            "action": "set_status",
            "_selected_action": [archived_action.pk],
            "status": "completed",
            "note": "Signed off",
            "rag": "-",
        },
        follow=True,
    )
    assert ARCHIVED in response.content.decode()
    archived_action.refresh_from_db()
    assert archived_action.status == Status.NOT_STARTED


def test_overdue_column_says_overdue_or_not_in_words(admin_client, priority):
    Action.objects.create(
        priority=priority, reference="1.1", text="Late", due_date=datetime.date(2020, 1, 31)
    )
    Action.objects.create(
        priority=priority, reference="1.2", text="Early", due_date=datetime.date(2099, 1, 31)
    )
    page = admin_client.get(reverse("admin:actions_action_changelist")).content.decode()
    assert '<td class="field-overdue">Overdue</td>' in page
    assert '<td class="field-overdue">Not overdue</td>' in page
    assert "icon-yes.svg" not in page and "icon-no.svg" not in page


def test_priority_choices_name_their_strategy(admin_client, action, area):
    other = Strategy.objects.create(area=area, title="SEND Strategy 2019-2022")
    Priority.objects.create(strategy=other, number=1, title="Early identification")
    page = admin_client.get(reverse("admin:actions_action_change", args=[action.pk])).content
    page = page.decode()
    assert ">Joint SEND Strategy 2022-25: 1. Early identification</option>" in page
    assert ">SEND Strategy 2019-2022: 1. Early identification</option>" in page


def test_help_texts_fit_their_fields(admin_client, action):
    page = admin_client.get(reverse("admin:actions_action_change", args=[action.pk])).content
    page = page.decode()
    assert "Changing it sets the due date from it." in page
    assert "a completed action is 100." in page
    assert 'As written: "Bi monthly /ongoing".' not in page


def test_history_page_shows_labels_not_codes(admin_client, action):
    url = reverse("admin:actions_action_change", args=[action.pk])
    admin_client.post(
        url, change_form_data(action, status="in_progress", rag="amber", change_reason="Begun")
    )
    page = admin_client.get(reverse("admin:actions_action_history", args=[action.pk]))
    changes = page.content.decode().split('id="change-history"')[1]
    assert "Not started" in changes and "In progress" in changes and "Amber" in changes
    assert "in_progress" not in changes and "not_started" not in changes


def test_status_timeline_shows_no_unchanged_rag_as_a_change(admin_client, action):
    url = reverse("admin:actions_action_change", args=[action.pk])
    admin_client.post(url, change_form_data(action, rag="amber", change_reason="Worried"))
    action.refresh_from_db()
    admin_client.post(url, change_form_data(action, status="blocked", change_reason="Stuck"))
    page = admin_client.get(url).content.decode()
    assert "Not started &rarr; Blocked" in page
    assert "Amber &rarr; Amber" not in page


def test_progress_updates_cannot_be_deleted_from_the_inline(admin_client, action, officer):
    update = ProgressUpdate.objects.create(action=action, author=officer, note="Begun.")
    url = reverse("admin:actions_action_change", args=[action.pk])
    page = admin_client.get(url).content.decode()
    assert 'name="updates-0-DELETE"' not in page
    data = change_form_data(
        action,
        **{
            "updates-TOTAL_FORMS": 1,
            "updates-INITIAL_FORMS": 1,
            "updates-0-id": update.pk,
            "updates-0-action": action.pk,
            "updates-0-DELETE": "on",
        },
    )
    admin_client.post(url, data)
    assert ProgressUpdate.objects.filter(pk=update.pk).exists()


def test_merge_into_asks_for_the_owner_to_keep_and_a_reason_then_merges(
    admin_client, action, owner, area, plan_admin
):
    source = Owner.objects.create(area=area, name="Designated Clinical Officer (SEND)")
    action.owners.add(source)
    url = reverse("admin:actions_owner_changelist")
    chosen = {"action": "merge_into", "_selected_action": [source.pk]}
    asked = admin_client.post(url, chosen)
    assert asked.status_code == 200
    assert "Merge into" in asked.text and f'<option value="{owner.pk}">' in asked.text
    no_reason = admin_client.post(url, {**chosen, "merge": "Merge", "target": owner.pk})
    assert "Give a reason for merging these owners." in no_reason.text
    assert Owner.objects.filter(pk=source.pk).exists()
    merged = admin_client.post(
        url, {**chosen, "merge": "Merge", "target": owner.pk, "reason": "Same role"}, follow=True
    )
    assert "Merged Designated Clinical Officer (SEND) into Designated Clinical Officer." in (
        merged.text
    )
    assert not Owner.objects.filter(pk=source.pk).exists()
    assert list(action.owners.all()) == [owner]
    assert Owner.history.get(id=source.pk, history_type="-").history_user == plan_admin


def test_merging_an_owner_of_a_measure_moves_the_measure(admin_client, strategy, owner, area):
    source = Owner.objects.create(area=area, name="Head of SEN Service")
    measure = Measure.objects.create(strategy=strategy, name="EHC plans in 20 weeks", owner=source)

    merged = admin_client.post(
        reverse("admin:actions_owner_changelist"),
        {
            "action": "merge_into",
            "_selected_action": [source.pk],
            "merge": "Merge",
            "target": owner.pk,
            "reason": "Same role",
        },
        follow=True,
    )

    assert "Merged Head of SEN Service into Designated Clinical Officer." in merged.text
    measure.refresh_from_db()
    assert measure.owner == owner
