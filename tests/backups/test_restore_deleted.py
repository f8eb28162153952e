"""A plan admin brings back a deleted action, measure or plan, with what was deleted with it."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from actions.models import Action, ActionOwner, Milestone, Priority, ProgressUpdate
from actions.services.actions import action_delete, action_restore
from actions.services.milestones import milestone_add
from measures.models import Measure, MeasurePriority, MeasureValue
from measures.services import measure_restore, measure_set_links, value_record
from priorities.models import LocalArea, Strategy
from priorities.services import strategy_restore
from sendplan import roles
from sendplan.audit import delete_with_history, history_stamped
from tests.conftest import make_user, update_progress

REASON = "Deleted by mistake at the board"


@pytest.fixture
def worked_action(action, officer, plan_admin):
    """The shared action with a milestone and a progress note."""
    milestone_add(action=action, user=plan_admin, text="Survey parents")
    update_progress(action, officer, "in_progress", rag="green", percent=10, note="Begun")
    # As the admin and the pages load it.
    return Action.objects.get(pk=action.pk)


@pytest.fixture
def measure(strategy, priority, owner, plan_admin):
    measure = Measure.objects.create(strategy=strategy, name="EHC plans within 20 weeks")
    measure_set_links(measure=measure, priorities=[priority], actions=[], user=plan_admin)
    for label, end, value in [("2024", "2024-12-31", "51.5"), ("2025", "2025-12-31", "58.3")]:
        value_record(
            measure=measure,
            period_end=datetime.date.fromisoformat(end),
            period_label=label,
            value=Decimal(value),
            user=plan_admin,
        )
    return measure


def latest(model, pk):
    return model.history.filter(**{model._meta.pk.attname: pk}).latest()


@pytest.mark.django_db
def test_action_comes_back_with_its_owners_milestones_and_notes(worked_action, measure, plan_admin):
    measure_set_links(
        measure=measure,
        priorities=list(measure.priorities.all()),
        actions=[worked_action],
        user=plan_admin,
    )
    action_id = worked_action.pk
    action_delete(action=worked_action, user=plan_admin, reason="Merged into 1.2")
    assert not Action.objects.filter(pk=action_id).exists()

    restored = action_restore(action_id=action_id, user=plan_admin, reason=REASON)

    assert restored.pk == action_id
    assert restored.status == "in_progress"
    assert [owner.name for owner in restored.owners.all()] == ["Designated Clinical Officer"]
    assert [m.text for m in restored.milestones.all()] == ["Survey parents"]
    assert [update.note for update in restored.updates.all()] == ["Begun"]
    assert list(restored.measures.all()) == [measure]
    for model, pk in [
        (Action, action_id),
        (ActionOwner, restored.ownerships.get().pk),
        (Milestone, restored.milestones.get().pk),
    ]:
        row = latest(model, pk)
        assert (row.history_type, row.history_user, row.history_change_reason) == (
            "+",
            plan_admin,
            REASON,
        )


@pytest.mark.django_db
def test_a_milestone_deleted_before_its_action_stays_deleted(worked_action, plan_admin):
    earlier = worked_action.milestones.get()
    with history_stamped(date=timezone.now() - datetime.timedelta(days=1)):
        delete_with_history(earlier, user=plan_admin, reason="Not needed")
    action_id = worked_action.pk
    action_delete(action=worked_action, user=plan_admin)

    restored = action_restore(action_id=action_id, user=plan_admin, reason=REASON)

    assert not restored.milestones.exists()
    assert restored.updates.count() == 1


@pytest.mark.django_db
def test_only_a_plan_admin_of_its_area_restores_with_a_reason(action, officer, plan_admin):
    action_id = action.pk
    action_delete(action=action, user=plan_admin)
    kent = LocalArea.objects.create(name="Kent")
    kent_admin = make_user("kim", roles.PLAN_ADMIN, kent)

    with pytest.raises(PermissionDenied):
        action_restore(action_id=action_id, user=officer, reason=REASON)
    with pytest.raises(PermissionDenied):
        action_restore(action_id=action_id, user=kent_admin, reason=REASON)
    with pytest.raises(ValidationError, match="Say why the action is restored"):
        action_restore(action_id=action_id, user=plan_admin, reason="  ")
    assert not Action.objects.filter(pk=action_id).exists()
    with pytest.raises(ValidationError, match="no deleted action"):
        action_restore(action_id=action_id + 1, user=plan_admin, reason=REASON)


@pytest.mark.django_db
def test_measure_comes_back_with_its_values_and_links(measure, plan_admin):
    measure_id = measure.pk
    # As the admin deletes it: Django's delete, no single stamp on the cascade.
    measure._history_user = plan_admin
    measure.delete()
    assert not MeasureValue.objects.exists()

    restored = measure_restore(measure_id=measure_id, user=plan_admin, reason=REASON)

    assert restored.pk == measure_id
    assert [v.value for v in restored.values.order_by("period_end")] == [
        Decimal("51.5"),
        Decimal("58.3"),
    ]
    assert MeasurePriority.objects.get().measure == restored
    row = latest(Measure, measure_id)
    assert (row.history_type, row.history_user, row.history_change_reason) == (
        "+",
        plan_admin,
        REASON,
    )


@pytest.mark.django_db
def test_plan_comes_back_with_priorities_actions_and_measures(worked_action, measure, plan_admin):
    strategy = worked_action.priority.strategy
    strategy_id, action_id = strategy.pk, worked_action.pk
    delete_with_history(strategy, user=plan_admin, reason="Wrong plan")
    assert not Action.objects.filter(pk=action_id).exists()

    restored = strategy_restore(strategy_id=strategy_id, user=plan_admin, reason=REASON)

    assert restored.title == "Joint SEND Strategy 2022-25"
    assert list(Priority.objects.filter(strategy=restored).values_list("title", flat=True)) == [
        "Early identification"
    ]
    action = Action.objects.get(pk=action_id)
    assert action.owners.get().name == "Designated Clinical Officer"
    assert action.milestones.count() == 1
    assert ProgressUpdate.objects.get(action=action).note == "Begun"
    assert Measure.objects.get(pk=measure.pk).values.count() == 2
    assert MeasurePriority.objects.get().priority.strategy == restored
    assert latest(Strategy, strategy_id).history_change_reason == REASON


@pytest.mark.django_db
def test_the_service_administrator_restores_in_any_area(action, plan_admin, django_user_model):
    action_id = action.pk
    action_delete(action=action, user=plan_admin)
    superuser = django_user_model.objects.create_superuser("root", password="pw")
    assert action_restore(action_id=action_id, user=superuser, reason=REASON).pk == action_id
