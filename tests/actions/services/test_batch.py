import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from actions.choices import Rag, Status
from actions.models import Action, ActionOwner, Owner
from actions.services.batch import ActionBatch


def test_batch_applies_the_rules_of_a_single_save(priority, action, plan_admin):
    batch = ActionBatch(user=plan_admin, reason="")
    new = Action(priority=priority, reference="1.2", text="New.", deadline_text="May 2020")
    assert batch.add(old=None, action=new) == {}
    moved = Action.objects.get(pk=action.pk)
    moved.status = Status.BLOCKED
    with pytest.raises(ValidationError) as error:
        batch.add(old=Action.objects.get(pk=action.pk), action=moved)
    assert set(error.value.message_dict) == {"status"}
    too_long = Action(priority=priority, reference="1.3", text="x", deadline_text="x" * 201)
    with pytest.raises(ValidationError) as error:
        batch.add(old=None, action=too_long)
    assert set(error.value.message_dict) == {"deadline_text"}
    assert batch.add(old=Action.objects.get(pk=action.pk), action=action) is None

    batch.save()

    saved = Action.objects.get(reference="1.2")
    assert (saved.due_date, saved.original_due_date, saved.version) == (
        datetime.date(2020, 5, 31),
        datetime.date(2020, 5, 31),
        1,
    )
    action.refresh_from_db()
    assert action.status == Status.NOT_STARTED
    assert action.history.count() == 1


def test_batch_writes_changes_and_owners_with_history(priority, action, owner, plan_admin):
    other = Owner.objects.create(area=owner.area, name="SEN manager")
    batch = ActionBatch(user=plan_admin, reason="Board agreed")
    old = Action.objects.prefetch_related("ownerships").get(pk=action.pk)
    changed = Action.objects.get(pk=action.pk)
    changed.rag = Rag.RED
    new = Action(priority=priority, reference="1.2", text="New.")
    batch.add(old=old, action=changed)
    batch.add(old=None, action=new)
    assert batch.set_owners(action=changed, owners=[other], existing=old.ownerships.all())
    assert batch.set_owners(action=new, owners=[owner, other, owner], existing=[])

    batch.save()

    changed.refresh_from_db()
    assert (changed.rag, changed.version) == (Rag.RED, old.version + 1)
    assert changed.updated_at > old.updated_at
    assert list(changed.owners.all()) == [other]
    assert [o.owner for o in new.ownerships.all()] == [owner, other]
    latest = changed.history.latest()
    assert (latest.rag, latest.history_type, latest.history_user) == ("red", "~", plan_admin)
    assert latest.history_change_reason == "Board agreed"
    rows = ActionOwner.history.values_list("history_type", "history_user", "history_change_reason")
    assert sorted(rows) == [
        ("+", plan_admin.pk, "Board agreed"),
        ("+", plan_admin.pk, "Board agreed"),
        ("+", plan_admin.pk, "Board agreed"),
        ("-", plan_admin.pk, "Board agreed"),
    ]


def test_batch_is_for_plan_admins_only(officer):
    with pytest.raises(PermissionDenied):
        ActionBatch(user=officer, reason="")


def test_batch_checks_each_value_it_has_not_yet_found_valid(priority, plan_admin):
    # The batch checks a value once: the same value on a later action passes unchecked,
    # any other value is still checked, however many valid actions came before it.
    batch = ActionBatch(user=plan_admin, reason="")
    for number in range(3):
        batch.add(old=None, action=Action(priority=priority, reference=f"1.{number}", text="A."))
    for field, value in [("status", "bogus"), ("deadline_text", "x" * 201), ("rag", "purple")]:
        bad = Action(priority=priority, reference="1.9", text="A.", **{field: value})
        with pytest.raises(ValidationError) as error:
            batch.add(old=None, action=bad)
        assert set(error.value.message_dict) == {field}
    assert batch.add(old=None, action=Action(priority=priority, reference="1.8", text="B.")) == {}
